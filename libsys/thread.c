/* SPDX-License-Identifier: MIT */
/*
 * Thread creation in libsys: a heap-allocated stack, an IPC buffer page
 * mapped at the next free slot above USER_IPCBUF_BASE, and a thread_local
 * block that FS points at. The new thread starts in thread_entry.
 */
#include "sys/thread.h"

#include <stdlib.h>

#include "sys/start.h"
#include "sys/sys.h"

static uint64_t next_ipcbuf_slot = 1; /* slot 0 belongs to the main thread */

static uintptr_t take_ipcbuf_va(void)
{
	uint64_t slot = __atomic_fetch_add(&next_ipcbuf_slot, 1, __ATOMIC_RELAXED);
	return USER_IPCBUF_BASE + slot * 2 * sizeof(struct ipc_buffer);
}

long thread_local_setup(struct thread_local *tl)
{
	uintptr_t va = tl->ipcbuf ? (uintptr_t)tl->ipcbuf : take_ipcbuf_va();
	long m = sys_mobj_create(sizeof(struct ipc_buffer), 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, sizeof(struct ipc_buffer),
				R_READ | R_WRITE);
	sys_handle_close((handle_t)m); /* the mapping keeps the page */
	if (err == E_OK)
		err = sys_thread_set_ipcbuf((void *)va);
	tl->self = tl;
	tl->ipcbuf = err == E_OK ? (struct ipc_buffer *)va : NULL;
	long tls = sys_call6(SYS_THREAD_SET_TLS, (long)tl, 0, 0, 0, 0, 0);
	return err < 0 ? err : tls;
}

struct ipc_buffer *ipc_buffer(void)
{
	struct thread_local *tl = sys_tls_self();
	return tl ? tl->ipcbuf : NULL;
}

__attribute__((noreturn)) static void thread_entry(struct thread_local *tl)
{
	thread_local_setup(tl);
	tl->fn(tl->arg);
	thread_exit();
}

void thread_exit(void)
{
	/* The stack and block stay allocated: we are still running on them. */
	sys_thread_exit();
}

long thread_spawn(void (*fn)(void *), void *arg, unsigned priority, handle_t *out)
{
	struct thread_local *tl = calloc(1, sizeof(*tl));
	void *stack = malloc(THREAD_STACK_SIZE);

	if (!tl || !stack) {
		free(tl);
		free(stack);
		return E_NOMEM;
	}
	*tl = (struct thread_local){.fn = fn, .arg = arg, .stack = stack};
	/* As if called: the ABI wants rsp + 8 16-byte aligned at function entry. */
	uintptr_t top = (((uintptr_t)stack + THREAD_STACK_SIZE) & ~(uintptr_t)15) - 8;
	long t = sys_thread_create(HANDLE_SELF, (uintptr_t)thread_entry, top, (uint64_t)tl, priority);
	if (t >= 0)
		t = sys_thread_start((handle_t)t) == E_OK ? t : E_INVAL;
	if (t < 0) {
		free(tl);
		free(stack);
		return t;
	}
	*out = (handle_t)t;
	return E_OK;
}
