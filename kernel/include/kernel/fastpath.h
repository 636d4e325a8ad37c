/* SPDX-License-Identifier: MIT */
/*
 * The IPC fastpath (kernel/ipc/fastpath.c): SYS_CALL and SYS_REPLY_RECV in
 * their common case, entered straight from syscall_entry before the generic
 * dispatcher. Each returns the trap_frame of the thread to resume in ring 3,
 * or NULL to leave the syscall to the general path, which has the same
 * semantics for every case.
 */
#pragma once

#include "arch/trap.h"
#include "kernel/thread.h"
#include "kernel/types.h"

struct trap_frame *fastpath_call(struct trap_frame *tf);
struct trap_frame *fastpath_reply_recv(struct trap_frame *tf);

/* Called by fastpath_parked (syscall.asm) when the scheduler resumes a
 * thread the fastpath parked: its syscall returns its wake_result. */
void fastpath_resumed(void);

/* Read `fastpath=off` from the command line (called once at boot). */
void fastpath_init(void);
bool fastpath_enabled(void);
/* How many syscalls the fastpath has completed since boot. */
uint64_t fastpath_count(void);

/* The count, shared with kernel/arch/x86_64/fastpath.asm. */
extern uint64_t fastpath_completed;

/* The C fastpaths by syscall number (NULL: none), tried by syscall_full. */
typedef struct trap_frame *(*fastpath_fn)(struct trap_frame *tf);
extern const fastpath_fn syscall_fast_table[];
struct trap_frame *fastpath_yield(struct trap_frame *tf);
struct trap_frame *fastpath_ntfn_wait(struct trap_frame *tf);
struct trap_frame *fastpath_ntfn_signal(struct trap_frame *tf);
/* The end of an interrupt from ring 3 (trap_dispatch): a thread to run at once, or NULL. */
struct trap_frame *fastpath_preempt(struct trap_frame *tf);
struct ntfn;
/* An interrupt from ring 3 signalling `n`: the waiting driver's frame to run at once, or NULL
 * (nothing done: signal it the general way). */
struct trap_frame *fastpath_irq_signal(struct trap_frame *tf, struct ntfn *n, uint64_t bits);
/* The first instruction of a thread a fastpath parked (syscall.asm). */
void fastpath_parked(void);

/* The scheduler's run queues, one per priority (proc/sched.c). */
extern struct wait_queue runq[];
/* The scheduler's bitmap of non-empty run queues (proc/sched.c). */
extern uint32_t runq_bitmap;
/* The scheduler's timer list, sorted by deadline (proc/sched.c): threads blocked with a timeout. */
struct timer_list {
	struct thread *head, *tail;
};
extern struct timer_list sched_timers;
