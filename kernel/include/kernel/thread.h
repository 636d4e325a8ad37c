/* SPDX-License-Identifier: MIT */
/*
 * Threads and the scheduler. The kernel is not preemptible: syscalls run
 * with interrupts off and switch threads only at well-defined points
 * (blocking, waking a higher priority, the end of an interrupt from ring 3),
 * so it needs no locks on one CPU and no kernel lock can invert priorities.
 *
 * Scheduling: fixed priorities 0 (lowest) to 31, round-robin with a time
 * slice of SCHED_SLICE_TICKS inside a priority. An IPC call switches
 * straight to the receiving thread, without a scheduler pass, when that
 * thread's priority is at least that of every other ready thread.
 */
#pragma once

#include "arch/percpu.h"
#include "arch/trap.h"
#include "kernel/object.h"

#define SCHED_PRIORITIES  32
#define SCHED_SLICE_TICKS 2
#define KSTACK_SIZE	  (16 * 1024)

struct process;
struct ipc_buffer;
struct mobj;
struct reply;
struct kmsg;

/* Both one byte, side by side in struct thread: fastpath.asm sets them in one store. */
enum __attribute__((packed)) thread_state { T_NEW, T_READY, T_RUNNING, T_BLOCKED, T_DEAD };

enum __attribute__((packed)) block_reason {
	B_NONE,
	B_SEND,	 /* queued on an endpoint to send (or call) */
	B_REPLY, /* called; waiting for the reply */
	B_RECV,	 /* waiting on an endpoint to receive */
	B_NTFN,	 /* waiting on a notification */
	B_SLEEP,
	B_EXIT_WAIT, /* waiting for a process to exit */
	B_FAULT,     /* suspended on an exception until the supervisor acts */
};

struct wait_queue {
	struct thread *head, *tail;
};

struct thread {
	struct kobj obj;
	uint64_t id;
	struct process *proc;
	enum thread_state state;
	enum block_reason reason; /* why it is blocked (B_NONE when not) */
	uint8_t prio;
	uint8_t slice;
	uint32_t prio_above; /* the run queue bits above prio (fastpath.asm: none ready there) */
	uintptr_t kstack_top;
	uint64_t saved_rsp;
	struct trap_frame *tf;	    /* the user context, at the top of the kernel stack */
	struct thread *next, *prev; /* run queue or wait queue links */
	struct wait_queue *wq;
	struct thread *proc_next;

	/* blocking */
	long wake_result;
	int64_t wake_value; /* a second result, e.g. the exit code for SYS_PROCESS_WAIT */
	uint64_t deadline;
	struct thread *tnext, *tprev; /* timer list, sorted by deadline */
	bool on_timer;

	/* IPC */
	struct kobj *waiting_on;   /* endpoint or notification it blocks on */
	struct thread *caller;	   /* implicit reply slot: the caller we serve */
	struct thread *callee;	   /* while B_REPLY: the thread serving us */
	struct reply *saved_reply; /* while B_REPLY: a reply object naming us */
	uint64_t send_badge;	   /* while B_SEND: badge of the handle used */
	handle_t send_cap;	   /* while B_SEND: capability to transfer */
	bool send_is_call;
	struct ipc_buffer *ipcbuf; /* kernel view of the registered IPC buffer */
	struct kmsg *fault_notice; /* preallocated notice for the supervisor */
	struct mobj *ipcbuf_mobj;

	uint64_t fs_base; /* thread-local storage pointer (SYS_THREAD_SET_TLS) */
	uint8_t fpu[512] __attribute__((aligned(16)));
};

/* The running thread (the per-CPU block's; inline, as nearly every syscall asks). */
static inline struct thread *current_thread(void)
{
	return this_cpu()->current;
}

void sched_init(void);
/* Start scheduling: switch from the boot context to the first ready thread. */
NORETURN void sched_start(void);
void sched_ready(struct thread *t);
void schedule(void);
/* Switch to `t` now if its priority allows, else queue it and schedule. */
void sched_handoff(struct thread *t);
void sched_tick(void);
void sched_reap(void);

static inline bool sched_preempt_pending(void)
{
	return this_cpu()->need_resched;
}
/* TSC the idle loop spent halted (with its interrupts), for SYS_KINFO's idle_tsc. */
uint64_t sched_idle_tsc(void);
uint8_t sched_highest_ready(void);

/* Block the current thread (on `wq` if not NULL) until woken or timed out. */
long thread_block(struct wait_queue *wq, enum block_reason why, uint64_t timeout_ns);
/* The same, switching straight to `next` (already made runnable by the caller
 * in spirit, but on no run queue) when its priority allows. */
long thread_block_handoff(struct wait_queue *wq, enum block_reason why, uint64_t timeout_ns,
			  struct thread *next);
/* Wake a blocked thread with `result` as its syscall's return value. */
void thread_wake(struct thread *t, long result);
void wait_queue_remove(struct thread *t);

/*
 * Queue t at the tail of wq; inline for the IPC fastpath. No scheduler
 * bookkeeping: the run queues' bitmap is sched_ready's.
 */
static inline void wait_queue_push(struct wait_queue *wq, struct thread *t)
{
	t->next = NULL;
	t->prev = wq->tail;
	if (wq->tail)
		wq->tail->next = t;
	else
		wq->head = t;
	wq->tail = t;
	t->wq = wq;
}

void thread_forget_timer(struct thread *t);
/* (Re)arm the current thread's timeout; TIMEOUT_NEVER disarms it. */
void thread_arm_timeout(struct thread *t, uint64_t timeout_ns);
struct thread *wait_queue_pop(struct wait_queue *wq);

int thread_create(struct process *p, uintptr_t entry, uintptr_t stack, uint64_t arg, uint8_t prio,
		  struct thread **out);
void thread_start(struct thread *t);
/* Stop a thread for good (it must not be the current one unless it is exiting). */
void thread_kill(struct thread *t);
NORETURN void thread_exit_current(void);
uint64_t thread_count(void);
/* False for a freed thread (its memory is poisoned): kernel checks of IPC links. */
bool thread_is_live(const struct thread *t);
void thread_set_fs_base(struct thread *t, uint64_t base);
void thread_fault_to_supervisor(struct thread *t, const struct trap_frame *tf, uint64_t addr);
