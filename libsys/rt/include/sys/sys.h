/* SPDX-License-Identifier: MIT */
/*
 * The system call interface for ring-3 programs: one C function per
 * syscall in sys/syscall.h, plus the IPC calls. Every function returns a
 * non-negative result or a negative error from sys/errors.h.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/errors.h"
#include "sys/handle.h"
#include "sys/ipc.h"
#include "sys/syscall.h"

/* Raw traps (kernel/arch/x86_64/user/sys_entry.asm). */
long sys_call6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

struct sys_ipc_regs {
	uint64_t handle; /* in: endpoint (or reply handle); out: badge */
	uint64_t tag;
	uint64_t w[IPC_WORDS];
	uint64_t cap;
	uint64_t timeout;
};
_Static_assert(sizeof(struct sys_ipc_regs) == 80, "sys_entry.asm depends on this layout");
long sys_ipc(long nr, struct sys_ipc_regs *r);

long sys_null(void);
long sys_debug_write(const char *buf, size_t len);
uint64_t sys_clock(void);
long sys_yield(void);
long sys_sleep(uint64_t ns);
long sys_handle_close(handle_t h);
long sys_handle_dup(handle_t h, uint32_t rights);
long sys_handle_info(handle_t h, struct handle_info *out);
/* A child with no quota of its own (the caller's bounds it) and the caller's maximum priority. */
long sys_process_create(const char *name, size_t len);
/* The same with a quota in pages (QUOTA_UNLIMITED: none of its own) and a maximum priority. */
long sys_process_create_ex(const char *name, size_t len, uint64_t quota_pages,
			   unsigned max_priority);
__attribute__((noreturn)) void sys_process_exit(int code);
/* 0 and the exit code in *code, or an error (E_TIMEOUT, E_FAULT, ...). */
long sys_process_wait(handle_t process, uint64_t timeout, int64_t *code);
long sys_process_kill(handle_t process);
long sys_thread_create(handle_t process, uintptr_t entry, uintptr_t stack, uint64_t arg,
		       unsigned priority);
long sys_thread_start(handle_t thread);
__attribute__((noreturn)) void sys_thread_exit(void);
long sys_thread_set_ipcbuf(void *page);
/* A memory object charged to the caller, or (_for) to a process it manages. */
long sys_mobj_create(size_t size, unsigned flags);
long sys_mobj_create_for(handle_t charged, size_t size, unsigned flags);
long sys_mobj_map(handle_t process, handle_t mobj, uintptr_t va, uint64_t offset, size_t size,
		  uint32_t rights);
long sys_unmap(handle_t process, uintptr_t va, size_t size);
long sys_ep_create(void);
long sys_ep_mint(handle_t ep, uint64_t badge, uint32_t rights);
long sys_ep_bind(handle_t ep, handle_t ntfn);
/*
 * Tell the holder of ep (R_RECV) when no handle carries `badge` to it any
 * more: an IPC_LABEL_GONE notice on ep (sys/ipc.h). Flags 0 arms it
 * (again: nothing more), EP_WATCH_CANCEL disarms it. E_NOENT: no handle
 * carries that badge (the client is gone already), or nothing to cancel.
 */
long sys_ep_watch(handle_t ep, uint64_t badge, unsigned flags);
long sys_ntfn_create(void);
long sys_ntfn_signal(handle_t ntfn, uint64_t bits);
long sys_ntfn_wait(handle_t ntfn, uint64_t timeout);
long sys_reply_save(void);
long sys_kinfo(struct kinfo *out);
uint64_t sys_rdtsc(void);
/* Signal `bits` on the notification at sys_clock() time `deadline` (0 cancels). */
long sys_ntfn_timer(handle_t ntfn, uint64_t deadline, uint64_t bits);
long sys_handle_grant(handle_t process, handle_t h, uint32_t rights);
long sys_process_supervise(handle_t process, handle_t ep, uint64_t badge);
long sys_process_set_quota(handle_t process, uint64_t pages);
struct process_info;
long sys_process_info(handle_t process, struct process_info *out);

/* IPC on messages (sys/ipc.h). On success `m` holds what was received. */
long ipc_call(handle_t ep, struct ipc_msg *m, uint64_t timeout);
long ipc_send(handle_t ep, const struct ipc_msg *m, uint64_t timeout);
long ipc_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout);
long ipc_reply(handle_t reply, const struct ipc_msg *m);
long ipc_reply_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout);
/*
 * ipc_call for idempotent requests: when the server dies with the call in
 * flight (E_RESTARTED), send the same request again, up to `attempts` calls
 * in all; the next instance serves it. Each attempt has `timeout`. Returns
 * what the last attempt returned. Never use it for a request whose protocol
 * header does not say it is idempotent.
 */
long ipc_call_retry(handle_t ep, struct ipc_msg *m, uint64_t timeout, int attempts);
/*
 * A reply's status (its label, negative for an error), or E_PROTO unless it
 * carries exactly `words` words, at most `bytes` bytes and no capability.
 */
long ipc_reply_status(const struct ipc_msg *m, uint32_t words, uint32_t bytes);
/*
 * A reply's label as a status: an error of the list, 0, or a positive value
 * a protocol defines; a negative label outside the error list (a corrupted
 * reply) is E_PROTO. For stubs whose reply shape ipc_reply_status cannot check.
 */
long ipc_label_status(const struct ipc_msg *m);

#ifndef HOST_TEST /* host tests link fake transports under these names instead */
#include "sys/ipc_inline.h"
#endif

/* The calling thread's IPC buffer (set up by libsys before main). */
struct ipc_buffer *ipc_buffer(void);
