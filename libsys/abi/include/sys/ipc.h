/* SPDX-License-Identifier: MIT */
/*
 * IPC message layout. A message is a tag, up to six words in registers and,
 * for longer messages, up to IPC_BUF_BYTES bytes copied between the two
 * threads' IPC buffers; one capability may travel with it.
 *
 * IPC registers (SYS_CALL, SYS_SEND, SYS_RECV, SYS_REPLY, SYS_REPLY_RECV):
 *   in:  rax = number, rdi = endpoint handle, rsi = tag,
 *        rdx, r10, r8, r9, r12, r13 = words 0-5,
 *        r14 = handle to transfer (if the tag says so), r15 = timeout (ns)
 *   out: rax = status, rdi = badge of the sender, rsi = tag,
 *        rdx, r10, r8, r9, r12, r13 = words, r14 = received handle
 *
 * Tag: bits 0-15 label (method number or reply status), bits 16-18 word
 * count, bit 19 capability present, bits 20-31 buffer byte count.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"

#define IPC_WORDS     6
#define IPC_BUF_BYTES 2048u

#define IPC_TAG(label, words, cap, bytes)                                                          \
	((uint64_t)((label)&0xFFFFu) | ((uint64_t)((words)&7u) << 16) |                            \
	 ((uint64_t)((cap) ? 1u : 0u) << 19) | ((uint64_t)((bytes)&0xFFFu) << 20))
#define IPC_TAG_LABEL(t) ((uint32_t)((t)&0xFFFFu))
#define IPC_TAG_WORDS(t) ((uint32_t)(((t) >> 16) & 7u))
#define IPC_TAG_CAP(t)	 ((uint32_t)(((t) >> 19) & 1u))
#define IPC_TAG_BYTES(t) ((uint32_t)(((t) >> 20) & 0xFFFu))

/* Label of a message that is really a notification bound to the endpoint. */
#define IPC_LABEL_NOTIFY       0xFFFFu
/*
 * Kernel notices to a supervisor (SYS_PROCESS_SUPERVISE), with the badge
 * given there:
 *   IPC_LABEL_FAULT: a thread took an exception and is suspended.
 *     w0 vector, w1 error code, w2 fault address (CR2 for a page fault),
 *     w3 rip, w4 rsp, w5 thread id; the buffer holds struct fault_regs.
 *   IPC_LABEL_EXIT: the process ended. w0 exit code, w1 pid.
 */
#define IPC_LABEL_FAULT	       0xFFFEu
#define IPC_LABEL_EXIT	       0xFFFDu
/*
 * A client-death notice (SYS_EP_WATCH): no handle carries the watched badge
 * to this endpoint any more (closed, or its process ended). The message's
 * badge is that client's badge, and so is w0.
 */
#define IPC_LABEL_GONE	       0xFFFCu
/* Labels from here up are the kernel's: SYS_CALL and SYS_SEND refuse them. */
#define IPC_LABEL_KERNEL_FIRST IPC_LABEL_GONE

/* SYS_EP_WATCH: flags, and the most watches armed on one endpoint at a time. */
#define EP_WATCH_CANCEL 1u
#define EP_WATCH_MAX	1024u

/* The registers of a faulting thread, as they arrive in the IPC buffer. */
struct fault_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct fault_regs) == 22 * 8, "fault_regs is part of the ABI");

/* The per-thread IPC buffer: one page, registered with SYS_THREAD_SET_IPCBUF. */
struct ipc_buffer {
	uint8_t data[IPC_BUF_BYTES];
	uint8_t user[4096 - IPC_BUF_BYTES]; /* free for libsys */
};
_Static_assert(sizeof(struct ipc_buffer) == 4096, "the IPC buffer is one page");

/* A message as user code sees it. */
struct ipc_msg {
	uint64_t tag;
	uint64_t w[IPC_WORDS];
	handle_t cap;	/* to send (tag cap bit) or received */
	uint64_t badge; /* received: who sent it */
};
