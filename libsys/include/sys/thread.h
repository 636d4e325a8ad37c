/* SPDX-License-Identifier: MIT */
/*
 * Threads of one process. Each thread has its own stack, its own IPC buffer
 * page and a small thread-local block reached through FS (fs:0 points at the
 * block itself), which is how ipc_buffer() finds the calling thread's buffer.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"

#define THREAD_STACK_SIZE (64 * 1024)

struct thread_local {
	struct thread_local *self; /* fs:0 */
	struct ipc_buffer *ipcbuf;
	void (*fn)(void *);
	void *arg;
	void *stack;
};

/* Start fn(arg) in a new thread at `priority`; its handle is stored in *out. */
long thread_spawn(void (*fn)(void *), void *arg, unsigned priority, handle_t *out);
/* End the calling thread (a thread whose fn returns ends too). */
__attribute__((noreturn)) void thread_exit(void);

/* libsys internal: set up the calling thread's IPC buffer and TLS block. */
long thread_local_setup(struct thread_local *tl);
void *sys_tls_self(void);
