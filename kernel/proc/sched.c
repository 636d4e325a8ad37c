/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: one FIFO run queue per priority with a bitmap of the
 * non-empty ones, a deadline-sorted timer list for timeouts and sleeps, and
 * the switch itself (kernel stack, address space, FPU state). The idle
 * thread is not on any queue; it runs when nothing else can.
 */
#include "arch/cpu.h"
#include "arch/percpu.h"
#include "kernel/clock.h"
#include "kernel/device.h"
#include "kernel/fastpath.h"
#include "kernel/ipc.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/thread.h"
#include "sys/errors.h"
#include "sys/syscall.h"

void context_switch(uint64_t *save_rsp, uint64_t new_rsp);

/* Read by the fastpaths (kernel/fastpath.h): the run queues, and which are non-empty. */
struct wait_queue runq[SCHED_PRIORITIES];
uint32_t runq_bitmap;
/* Read and changed by fastpath.asm too (a reply takes its caller off it). */
struct timer_list sched_timers;
static struct thread idle_thread;
static struct thread *reap_pending; /* a dead thread whose stack we just left */
static uint64_t idle_tsc;	    /* TSC spent halted in the idle loop (SYS_KINFO) */
static uint64_t idle_since;	    /* when the idle loop last halted; 0: it is not halted */

void wait_queue_remove(struct thread *t)
{
	struct wait_queue *wq = t->wq;

	if (!wq)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		wq->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		wq->tail = t->prev;
	t->next = t->prev = NULL;
	t->wq = NULL;
	if (wq >= runq && wq < runq + SCHED_PRIORITIES && !wq->head)
		runq_bitmap &= ~(1u << (wq - runq));
}

/* wait_queue_remove for the head, which has no `prev`. */
struct thread *wait_queue_pop(struct wait_queue *wq)
{
	struct thread *t = wq->head;

	if (!t)
		return NULL;
	wq->head = t->next;
	if (t->next) {
		t->next->prev = NULL;
	} else {
		wq->tail = NULL;
		if (wq >= runq && wq < runq + SCHED_PRIORITIES)
			runq_bitmap &= ~(1u << (wq - runq));
	}
	t->next = NULL;
	t->wq = NULL;
	return t;
}

void sched_ready(struct thread *t)
{
	t->state = T_READY;
	wait_queue_push(&runq[t->prio], t);
	runq_bitmap |= 1u << t->prio;
	struct thread *cur = current_thread();
	if (cur && t->prio > cur->prio)
		this_cpu()->need_resched = true;
}

uint8_t sched_highest_ready(void)
{
	return runq_bitmap ? (uint8_t)(31 - __builtin_clz(runq_bitmap)) : 0;
}

static struct thread *pick_next(void)
{
	if (!runq_bitmap)
		return &idle_thread;
	struct thread *t = wait_queue_pop(&runq[sched_highest_ready()]);
	return t;
}

static void timer_remove(struct thread *t)
{
	if (!t->on_timer)
		return;
	if (t->tprev)
		t->tprev->tnext = t->tnext;
	else
		sched_timers.head = t->tnext;
	if (t->tnext)
		t->tnext->tprev = t->tprev;
	else
		sched_timers.tail = t->tprev;
	t->on_timer = false;
}

/*
 * Sorted by deadline, after those with the same one. The walk starts at the
 * tail: a new deadline is usually the latest (a call's timeout of seconds
 * beside heartbeat sleeps of one), so the usual insert looks at one entry.
 */
static void timer_insert(struct thread *t, uint64_t deadline)
{
	struct thread *prev = sched_timers.tail;

	while (prev && prev->deadline > deadline)
		prev = prev->tprev;
	struct thread *next = prev ? prev->tnext : sched_timers.head;
	t->deadline = deadline;
	t->tprev = prev;
	t->tnext = next;
	if (prev)
		prev->tnext = t;
	else
		sched_timers.head = t;
	if (next)
		next->tprev = t;
	else
		sched_timers.tail = t;
	t->on_timer = true;
}

/* Free what a dead thread left behind once we are off its stack. Runs after
 * every switch, in the resumed thread or, for a new thread, in its first run. */
void sched_reap(void)
{
	struct thread *dead = reap_pending;

	if (!dead)
		return;
	reap_pending = NULL;
	kobj_put(&dead->obj); /* the scheduler's reference */
}

/* The idle loop's halt ends (an interrupt, maybe switching away inside it). */
static void idle_stop(void)
{
	if (idle_since)
		idle_tsc += rdtsc() - idle_since;
	idle_since = 0;
}

static const uint8_t *io_bitmap_of(const struct process *p)
{
	return p ? p->iopb : NULL;
}

/*
 * Run `next`: the kernel stack, FPU state, and the address space, I/O
 * bitmap and FS base only where they differ from what is loaded (the
 * bitmap loaded is always the running process's: ioport.c keeps it so).
 */
static void switch_to(struct thread *next)
{
	struct percpu *cpu = this_cpu();
	struct thread *prev = cpu->current;

	if (prev == &idle_thread)
		idle_stop();

	cpu->need_resched = false;
	if (next == prev) {
		next->state = T_RUNNING;
		return;
	}
	if (prev->proc)
		fpu_save(prev->fpu);
	if (prev->state == T_DEAD)
		reap_pending = prev;
	next->state = T_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	cpu->current = next;
	percpu_set_kernel_stack(cpu, next->kstack_top);
	if (io_bitmap_of(next->proc) != io_bitmap_of(prev->proc))
		ioport_switch(next->proc);
	if (next->proc) {
		if (read_cr3() != next->proc->vs.pml4)
			write_cr3(next->proc->vs.pml4);
		fpu_restore(next->fpu);
		if (next->fs_base != cpu->fs_base) {
			wrmsr(MSR_FS_BASE, next->fs_base);
			cpu->fs_base = next->fs_base;
		}
	}
	context_switch(&prev->saved_rsp, next->saved_rsp);
	sched_reap();
}

void schedule(void)
{
	struct thread *cur = current_thread();

	if (cur->state == T_RUNNING && cur != &idle_thread) {
		if (cur->slice > 0 && cur->prio >= sched_highest_ready() &&
		    !(runq_bitmap & ~((2u << cur->prio) - 1)) && !this_cpu()->need_resched)
			return; /* nothing better to run */
		sched_ready(cur);
	}
	switch_to(pick_next());
}

void sched_handoff(struct thread *t)
{
	struct thread *cur = current_thread();

	if (cur->state == T_RUNNING && cur != this_cpu()->idle)
		sched_ready(cur);
	if (t->prio >= sched_highest_ready()) {
		switch_to(t);
	} else {
		sched_ready(t);
		schedule();
	}
}

long thread_block_handoff(struct wait_queue *wq, enum block_reason why, uint64_t timeout_ns,
			  struct thread *next)
{
	struct thread *t = current_thread();

	if (timeout_ns == 0) {
		if (next)
			sched_ready(next);
		return E_TIMEOUT;
	}
	t->state = T_BLOCKED;
	t->reason = why;
	t->wake_result = E_OK;
	if (wq)
		wait_queue_push(wq, t);
	if (timeout_ns != TIMEOUT_NEVER)
		timer_insert(t, clock_ns() + MIN(timeout_ns, UINT64_MAX / 4));
	if (next)
		sched_handoff(next);
	else
		schedule();
	return t->wake_result;
}

long thread_block(struct wait_queue *wq, enum block_reason why, uint64_t timeout_ns)
{
	return thread_block_handoff(wq, why, timeout_ns, NULL);
}

void thread_wake(struct thread *t, long result)
{
	if (t->state != T_BLOCKED)
		return;
	if (t->wq)
		wait_queue_remove(t);
	if (t->on_timer)
		timer_remove(t);
	t->reason = B_NONE;
	t->waiting_on = NULL;
	t->wake_result = result;
	sched_ready(t);
}

static void expire_timers(void)
{
	uint64_t now = clock_ns();

	while (sched_timers.head && sched_timers.head->deadline <= now) {
		struct thread *t = sched_timers.head;
		timer_remove(t);
		if (t->reason == B_REPLY)
			ipc_cancel_call(t); /* the server's reply will find no caller */
		thread_wake(t, E_TIMEOUT);
	}
}

void thread_arm_timeout(struct thread *t, uint64_t timeout_ns)
{
	timer_remove(t);
	if (timeout_ns != TIMEOUT_NEVER)
		timer_insert(t, clock_ns() + MIN(timeout_ns, UINT64_MAX / 4));
}

void sched_tick(void)
{
	struct thread *cur = current_thread();

	expire_timers();
	ntfn_timers_expire(clock_ns());
	if (cur && cur != &idle_thread && cur->slice > 0 && --cur->slice == 0)
		this_cpu()->need_resched = true;
	if (cur == &idle_thread && runq_bitmap)
		this_cpu()->need_resched = true;
}

static NORETURN void idle_loop(void)
{
	for (;;) {
		if (runq_bitmap)
			schedule();
		idle_since = rdtsc();
		cpu_wait_irq();
		irq_disable();
		idle_stop();
	}
}

uint64_t sched_idle_tsc(void)
{
	return idle_tsc;
}

void sched_init(void)
{
	idle_thread.state = T_RUNNING;
	idle_thread.prio = 0;
	idle_thread.id = 0;
	this_cpu()->idle = &idle_thread;
	this_cpu()->current = &idle_thread;
	clock_set_tick_hook(sched_tick);
}

NORETURN void sched_start(void)
{
	/* The boot stack becomes the idle thread's stack. */
	extern char boot_stack_top[];
	idle_thread.kstack_top = (uintptr_t)boot_stack_top;
	irq_disable();
	idle_loop();
}

void thread_forget_timer(struct thread *t)
{
	timer_remove(t);
}

void thread_set_fs_base(struct thread *t, uint64_t base)
{
	t->fs_base = base;
	if (t == current_thread()) {
		wrmsr(MSR_FS_BASE, base);
		this_cpu()->fs_base = base;
	}
}
