/* SPDX-License-Identifier: MIT */
/*
 * Typed wrappers over the raw traps; the numbers come from the one list in
 * sys/syscall.h. The message-passing calls, sys_null, sys_yield and the
 * notification signal and wait are inline in sys/ipc_inline.h (through the
 * traps of arch/user_ipc.h); this file holds their out-of-line copies.
 */
#include "arch/user_ipc.h"
#include "sys/process.h"
#include "sys/sys.h"

#define SC0(nr)		    sys_call6((nr), 0, 0, 0, 0, 0, 0)
#define SC1(nr, a)	    sys_call6((nr), (long)(a), 0, 0, 0, 0, 0)
#define SC2(nr, a, b)	    sys_call6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define SC3(nr, a, b, c)    sys_call6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SC4(nr, a, b, c, d) sys_call6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SC5(nr, a, b, c, d, e)                                                                     \
	sys_call6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define SC6(nr, a, b, c, d, e, f)                                                                  \
	sys_call6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

long sys_null(void)
{
	return user_trap0(SYS_NULL);
}
long sys_debug_write(const char *buf, size_t len)
{
	return SC2(SYS_DEBUG_WRITE, buf, len);
}
uint64_t sys_clock(void)
{
	return (uint64_t)SC0(SYS_CLOCK);
}
long sys_yield(void)
{
	return user_trap0(SYS_YIELD);
}
long sys_sleep(uint64_t ns)
{
	return SC1(SYS_SLEEP, ns);
}
long sys_handle_close(handle_t h)
{
	return SC1(SYS_HANDLE_CLOSE, h);
}
long sys_handle_dup(handle_t h, uint32_t rights)
{
	return SC2(SYS_HANDLE_DUP, h, rights);
}
long sys_handle_info(handle_t h, struct handle_info *out)
{
	return SC2(SYS_HANDLE_INFO, h, out);
}
long sys_process_create(const char *name, size_t len)
{
	return sys_process_create_ex(name, len, QUOTA_UNLIMITED, PROCESS_PRIORITY_INHERIT);
}

long sys_process_create_ex(const char *name, size_t len, uint64_t quota_pages,
			   unsigned max_priority)
{
	return SC4(SYS_PROCESS_CREATE, name, len, quota_pages, max_priority);
}

void sys_process_exit(int code)
{
	SC1(SYS_PROCESS_EXIT, code);
	__builtin_unreachable();
}

long sys_process_wait(handle_t p, uint64_t timeout, int64_t *code)
{
	return SC3(SYS_PROCESS_WAIT, p, timeout, code);
}
long sys_process_kill(handle_t p)
{
	return SC1(SYS_PROCESS_KILL, p);
}

long sys_thread_create(handle_t p, uintptr_t entry, uintptr_t stack, uint64_t arg, unsigned prio)
{
	return SC5(SYS_THREAD_CREATE, p, entry, stack, arg, prio);
}

long sys_thread_start(handle_t t)
{
	return SC1(SYS_THREAD_START, t);
}

void sys_thread_exit(void)
{
	SC0(SYS_THREAD_EXIT);
	__builtin_unreachable();
}

long sys_thread_set_ipcbuf(void *page)
{
	return SC1(SYS_THREAD_SET_IPCBUF, page);
}
long sys_mobj_create(size_t size, unsigned flags)
{
	return SC3(SYS_MOBJ_CREATE, size, flags, HANDLE_SELF);
}

long sys_mobj_create_for(handle_t charged, size_t size, unsigned flags)
{
	return SC3(SYS_MOBJ_CREATE, size, flags, charged);
}

long sys_mobj_map(handle_t p, handle_t m, uintptr_t va, uint64_t off, size_t size, uint32_t rights)
{
	return SC6(SYS_MOBJ_MAP, p, m, va, off, size, rights);
}

long sys_unmap(handle_t p, uintptr_t va, size_t size)
{
	return SC3(SYS_UNMAP, p, va, size);
}
long sys_ep_create(void)
{
	return SC0(SYS_EP_CREATE);
}
long sys_ep_mint(handle_t ep, uint64_t badge, uint32_t r)
{
	return SC3(SYS_EP_MINT, ep, badge, r);
}
long sys_ep_bind(handle_t ep, handle_t n)
{
	return SC2(SYS_EP_BIND, ep, n);
}
long sys_ep_watch(handle_t ep, uint64_t badge, unsigned flags)
{
	return SC3(SYS_EP_WATCH, ep, badge, flags);
}
long sys_ntfn_create(void)
{
	return SC0(SYS_NTFN_CREATE);
}
long sys_ntfn_signal(handle_t n, uint64_t bits)
{
	return user_trap2(SYS_NTFN_SIGNAL, n, bits);
}
long sys_ntfn_wait(handle_t n, uint64_t timeout)
{
	return user_trap2(SYS_NTFN_WAIT, n, timeout);
}
long sys_reply_save(void)
{
	return SC0(SYS_REPLY_SAVE);
}
long sys_kinfo(struct kinfo *out)
{
	return SC1(SYS_KINFO, out);
}

/* The out-of-line copies of sys/ipc_inline.h's wrappers; every call site inlines them. */
long ipc_call(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_CALL, ep, m, m, timeout);
}

long ipc_send(handle_t ep, const struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_SEND, ep, NULL, m, timeout);
}

long ipc_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_RECV, ep, m, NULL, timeout);
}

long ipc_reply(handle_t reply, const struct ipc_msg *m)
{
	return ipc_op(SYS_REPLY, reply, NULL, m, 0);
}

long ipc_reply_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_REPLY_RECV, ep, m, m, timeout);
}

long sys_handle_grant(handle_t p, handle_t h, uint32_t rights)
{
	return SC3(SYS_HANDLE_GRANT, p, h, rights);
}

long sys_ntfn_timer(handle_t n, uint64_t deadline, uint64_t bits)
{
	return SC3(SYS_NTFN_TIMER, n, deadline, bits);
}

long sys_process_supervise(handle_t p, handle_t ep, uint64_t badge)
{
	return SC3(SYS_PROCESS_SUPERVISE, p, ep, badge);
}

long sys_process_set_quota(handle_t p, uint64_t pages)
{
	return SC2(SYS_PROCESS_SET_QUOTA, p, pages);
}

long sys_process_info(handle_t p, struct process_info *out)
{
	return SC2(SYS_PROCESS_INFO, p, out);
}
