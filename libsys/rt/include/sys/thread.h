/* SPDX-License-Identifier: MIT */
/*
 * Threads of one process. Each thread has its own stack, its own IPC buffer
 * page and a small thread-local block reached through FS (fs:0 points at the
 * block itself), which is how ipc_buffer() finds the calling thread's buffer.
 *
 * A thread_spawn thread lives in one of THREAD_MAX slots: its stack is the
 * top THREAD_STACK_SIZE of the slot's THREAD_SLOT_SIZE bytes at
 * USER_THREAD_STACKS (the rest stays unmapped: a guard gap), its IPC buffer
 * is the page at USER_IPCBUF_BASE + (slot + 1) * 2 pages (the first one is
 * the main thread's), and its thread-local block sits at the top of its
 * stack. When the thread ends it unmaps all of this and frees the slot, so
 * threads can come and go for ever without leaking memory.
 *
 * Threads made with the raw sys_thread_create have no thread-local block
 * (FS base 0): they must not call ipc_buffer() or anything that uses it.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"

#define THREAD_STACK_SIZE (64 * 1024)
#define THREAD_SLOT_SIZE  (128 * 1024)
#define THREAD_MAX	  256

struct thread_local
{
	struct thread_local *self; /* fs:0 */
	struct ipc_buffer *ipcbuf;
	void (*fn)(void *);
	void *arg;
	int slot; /* -1: the main thread */
};

/*
 * Start fn(arg) in a new thread at `priority` (0-31). Returns E_OK with the
 * thread's handle in *out (closing it does not stop the thread; with out ==
 * NULL it is closed here), E_NOSPACE when THREAD_MAX threads are running, or
 * the error of the syscall that failed (E_NOMEM; E_RANGE for a bad priority).
 */
long thread_spawn(void (*fn)(void *), void *arg, unsigned priority, handle_t *out);
/* End the calling thread (a thread whose fn returns ends too). */
__attribute__((noreturn)) void thread_exit(void);

/* libsys internal: set up the main thread's IPC buffer and TLS block. */
long thread_local_setup(struct thread_local *tl);
void *sys_tls_self(void);
/* libsys internal (sys_entry.asm): unmap the caller's own stack, clear *slot, exit. */
__attribute__((noreturn)) void sys_thread_exit_unmap(uintptr_t stack, uint64_t size, uint8_t *slot,
						     long nr_unmap, long nr_exit);
