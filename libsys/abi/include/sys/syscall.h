/* SPDX-License-Identifier: MIT */
/*
 * The system call table: the one list that the kernel's dispatcher and the
 * user-space stubs are both generated from. Register convention (x86-64):
 *
 *   in:  rax = number; arguments a0..a5 in rdi, rsi, rdx, r10, r8, r9
 *   out: rax = result (>= 0) or a negative error from sys/errors.h
 *
 * IPC calls (marked IPC) use more registers; see sys/ipc.h.
 * Timeouts are nanoseconds: 0 never blocks, TIMEOUT_NEVER waits for ever.
 */
#pragma once

#include <stdint.h>

/* X(NAME, number, argument count, "signature (for docs and traces)") */
#define SYSCALL_LIST(X)                                                                            \
	X(SYS_NULL, 0, 0, "() -> 0")                                                               \
	X(SYS_DEBUG_WRITE, 1, 2, "(const char *buf, size_t len) -> len")                           \
	X(SYS_CLOCK, 2, 0, "() -> nanoseconds since boot")                                         \
	X(SYS_YIELD, 3, 0, "() -> 0")                                                              \
	X(SYS_SLEEP, 4, 1, "(uint64 ns) -> 0")                                                     \
	X(SYS_HANDLE_CLOSE, 5, 1, "(handle) -> 0")                                                 \
	X(SYS_HANDLE_DUP, 6, 2, "(handle, rights) -> new handle with rights & old rights")         \
	X(SYS_HANDLE_INFO, 7, 2, "(handle, struct handle_info *out) -> 0")                         \
	X(SYS_PROCESS_CREATE, 8, 4,                                                                \
	  "(const char *name, size_t len, quota pages, max priority) -> process handle")           \
	X(SYS_PROCESS_EXIT, 9, 1, "(int code) -> does not return")                                 \
	X(SYS_PROCESS_WAIT, 10, 3,                                                                 \
	  "(process, uint64 timeout, int64 *code) -> 0; *code = exit code")                        \
	X(SYS_PROCESS_KILL, 11, 1, "(process) -> 0")                                               \
	X(SYS_THREAD_CREATE, 12, 5, "(process, entry, stack, arg, priority) -> thread handle")     \
	X(SYS_THREAD_START, 13, 1, "(thread) -> 0")                                                \
	X(SYS_THREAD_EXIT, 14, 0, "() -> does not return")                                         \
	X(SYS_THREAD_SET_IPCBUF, 15, 1, "(void *page) -> 0; the caller's IPC buffer")              \
	X(SYS_MOBJ_CREATE, 16, 3, "(size_t size, flags, process charged) -> memory object handle") \
	X(SYS_MOBJ_MAP, 17, 6, "(process, mobj, vaddr, offset, size, rights) -> 0")                \
	X(SYS_UNMAP, 18, 3, "(process, vaddr, size) -> 0")                                         \
	X(SYS_EP_CREATE, 19, 0, "() -> endpoint handle")                                           \
	X(SYS_EP_MINT, 20, 3, "(endpoint, badge, rights) -> badged endpoint handle")               \
	X(SYS_EP_BIND, 21, 2, "(endpoint, notification) -> 0")                                     \
	X(SYS_NTFN_CREATE, 22, 0, "() -> notification handle")                                     \
	X(SYS_NTFN_SIGNAL, 23, 2, "(notification, bits) -> 0")                                     \
	X(SYS_NTFN_WAIT, 24, 2, "(notification, uint64 timeout) -> bits")                          \
	X(SYS_CALL, 25, 0, "IPC: send to endpoint, wait for the reply")                            \
	X(SYS_SEND, 26, 0, "IPC: send to endpoint (timeout 0: only if a receiver waits)")          \
	X(SYS_RECV, 27, 0, "IPC: receive from endpoint (and its bound notification)")              \
	X(SYS_REPLY, 28, 0, "IPC: reply to the caller last received")                              \
	X(SYS_REPLY_RECV, 29, 0, "IPC: reply, then receive, in one call")                          \
	X(SYS_REPLY_SAVE, 30, 0, "() -> reply handle for the caller last received")                \
	X(SYS_KINFO, 31, 1, "(struct kinfo *out) -> 0")                                            \
	X(SYS_HANDLE_GRANT, 32, 3, "(process, handle, rights) -> the handle in that process")      \
	X(SYS_THREAD_SET_TLS, 33, 1, "(void *p) -> 0; FS base of the caller (fs:0 should hold p)") \
	X(SYS_NTFN_TIMER, 34, 3,                                                                   \
	  "(notification, uint64 deadline ns, bits) -> 0; signal at deadline")                     \
	X(SYS_PROCESS_SUPERVISE, 35, 3,                                                            \
	  "(process, endpoint, badge) -> 0; faults and exit go there")                             \
	X(SYS_PROCESS_SET_QUOTA, 36, 2,                                                            \
	  "(process, pages) -> 0; memory the process may be charged")                              \
	X(SYS_PROCESS_INFO, 37, 2, "(process, struct process_info *out) -> 0")                     \
	X(SYS_IRQ_CREATE, 38, 3, "(irq resource, gsi, flags) -> irq handle")                       \
	X(SYS_IRQ_BIND, 39, 3, "(irq, notification, bits) -> 0; route it, unmask it")              \
	X(SYS_IRQ_ACK, 40, 2, "(irq, flags) -> 0; unmask a level-triggered line again")            \
	X(SYS_IRQ_INFO, 41, 2, "(irq, struct irq_info *out) -> 0")                                 \
	X(SYS_IOPORT_CREATE, 42, 3, "(ioport resource, base, count) -> ioport handle")             \
	X(SYS_IOPORT_ENABLE, 43, 1, "(ioport) -> 0; the caller may use those ports")               \
	X(SYS_DEVMEM_CREATE, 44, 4,                                                                \
	  "(devmem resource, phys, size, flags) -> memory object (uncached, or DEVMEM_WC)")        \
	X(SYS_MOBJ_PHYS, 45, 3, "(dma resource, mobj, page index) -> physical address")            \
	X(SYS_MOBJ_PHYS_LIST, 46, 5,                                                               \
	  "(dma resource, mobj, first page, uint64 *out, count) -> count; physical addresses")     \
	X(SYS_IRQ_SET_MASK, 47, 4, "(irq, device mobj, offset, bit) -> 0; where an MSI is masked") \
	X(SYS_EP_WATCH, 48, 3,                                                                     \
	  "(endpoint, badge, flags) -> 0; IPC_LABEL_GONE there once no handle carries badge")

enum sys_number {
#define SYSCALL_ENUM(name, nr, nargs, sig) name = (nr),
	SYSCALL_LIST(SYSCALL_ENUM)
#undef SYSCALL_ENUM
		SYS_COUNT
};

#define TIMEOUT_NEVER UINT64_MAX

/* Kernel counters for tests and the `mem` command. */
struct kinfo {
	uint64_t frames_free, frames_total;
	uint64_t heap_live_objects, heap_pages;
	uint64_t processes, threads, endpoints, notifications, mobjs, replies;
	uint64_t page_tables;
	uint64_t ticks;
	/*
	 * TSC the CPU spent halted in the idle loop (with the interrupts that
	 * woke it). Under -icount the TSC counts instructions and warps over
	 * halts, so rdtsc deltas minus idle_tsc deltas are the instructions the
	 * guest executed: benchmarks that wait for a device report those.
	 */
	uint64_t idle_tsc;
};
_Static_assert(sizeof(struct kinfo) == 13 * 8, "kinfo is part of the ABI");
