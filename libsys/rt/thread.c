/* SPDX-License-Identifier: MIT */
/*
 * Threads in libsys (sys/thread.h). The spawner takes a free slot, maps the
 * slot's stack and IPC buffer page (so every failure is reported to it),
 * writes the thread-local block at the top of the new stack and starts the
 * thread in thread_entry, which registers the buffer and FS base and runs
 * fn. A thread ends by unmapping its IPC buffer, then, in asm that no longer
 * touches the stack, its stack; only then is its slot free for the next one.
 */
#include "sys/thread.h"

#include "sys/start.h"
#include "sys/sys.h"

#define PAGE 4096u

static uint8_t slot_busy[THREAD_MAX]; /* 1 from spawn until the thread's stack is gone */

static uintptr_t ipcbuf_va(int slot)
{
	return USER_IPCBUF_BASE + (uint64_t)(slot + 1) * 2 * PAGE;
}

static uintptr_t stack_base(int slot)
{
	return USER_THREAD_STACKS + (uint64_t)slot * THREAD_SLOT_SIZE +
	       (THREAD_SLOT_SIZE - THREAD_STACK_SIZE);
}

static int slot_take(void)
{
	for (int i = 0; i < THREAD_MAX; i++)
		if (!__atomic_exchange_n(&slot_busy[i], 1, __ATOMIC_ACQUIRE))
			return i;
	return -1;
}

static void slot_release(int slot)
{
	__atomic_store_n(&slot_busy[slot], 0, __ATOMIC_RELEASE);
}

/* A fresh zeroed memory object of `size` bytes mapped read-write at `va`. */
static long map_fresh(uintptr_t va, uint64_t size)
{
	long m = sys_mobj_create(size, 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, size, R_READ | R_WRITE);
	sys_handle_close((handle_t)m); /* the mapping keeps the pages */
	return err;
}

static long register_self(struct thread_local *tl)
{
	tl->self = tl;
	long err = sys_thread_set_ipcbuf(tl->ipcbuf);
	long tls = sys_call6(SYS_THREAD_SET_TLS, (long)tl, 0, 0, 0, 0, 0);
	return err < 0 ? err : tls;
}

long thread_local_setup(struct thread_local *tl)
{
	tl->slot = -1;
	long err = map_fresh((uintptr_t)tl->ipcbuf, sizeof(struct ipc_buffer));
	if (err < 0)
		tl->ipcbuf = NULL;
	long reg = register_self(tl);
	return err < 0 ? err : reg;
}

struct ipc_buffer *ipc_buffer(void)
{
	struct thread_local *tl = sys_tls_self();
	return tl ? tl->ipcbuf : NULL;
}

__attribute__((noreturn)) static void thread_entry(struct thread_local *tl)
{
	register_self(tl);
	tl->fn(tl->arg);
	thread_exit();
}

void thread_exit(void)
{
	struct thread_local *tl = sys_tls_self();

	if (!tl || tl->slot < 0)
		sys_thread_exit(); /* the main thread's stack belongs to the process */
	int slot = tl->slot;
	sys_unmap(HANDLE_SELF, ipcbuf_va(slot), PAGE); /* the kernel keeps it while registered */
	sys_thread_exit_unmap(stack_base(slot), THREAD_STACK_SIZE, &slot_busy[slot], SYS_UNMAP,
			      SYS_THREAD_EXIT);
}

static void slot_unmap(int slot)
{
	sys_unmap(HANDLE_SELF, stack_base(slot), THREAD_STACK_SIZE);
	sys_unmap(HANDLE_SELF, ipcbuf_va(slot), PAGE);
	slot_release(slot);
}

/* Map the slot's stack and buffer; returns the block at the stack's top. */
static long slot_map(int slot, struct thread_local **out)
{
	long err = map_fresh(stack_base(slot), THREAD_STACK_SIZE);

	if (err == E_OK)
		err = map_fresh(ipcbuf_va(slot), PAGE);
	if (err < 0) {
		slot_unmap(slot);
		return err;
	}
	uintptr_t top = stack_base(slot) + THREAD_STACK_SIZE;
	*out = (struct thread_local *)((top - sizeof(struct thread_local)) & ~(uintptr_t)15);
	return E_OK;
}

long thread_spawn(void (*fn)(void *), void *arg, unsigned priority, handle_t *out)
{
	struct thread_local *tl;
	int slot = slot_take();

	if (slot < 0)
		return E_NOSPACE;
	long err = slot_map(slot, &tl);
	if (err < 0)
		return err;
	*tl = (struct thread_local){
		.ipcbuf = (struct ipc_buffer *)ipcbuf_va(slot), .fn = fn, .arg = arg, .slot = slot};
	/* As if called: the ABI wants rsp + 8 16-byte aligned at function entry. */
	uintptr_t sp = (uintptr_t)tl - 8;
	long t =
		sys_thread_create(HANDLE_SELF, (uintptr_t)thread_entry, sp, (uint64_t)tl, priority);
	if (t < 0) {
		slot_unmap(slot);
		return t;
	}
	err = sys_thread_start((handle_t)t);
	if (err < 0) { /* cannot happen for a thread we just made; never leave it half-made */
		sys_handle_close((handle_t)t); /* it never ran: this frees it */
		slot_unmap(slot);
		return err;
	}
	if (out)
		*out = (handle_t)t;
	else
		sys_handle_close((handle_t)t);
	return E_OK;
}
