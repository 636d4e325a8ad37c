/* SPDX-License-Identifier: MIT */
/*
 * The IPC fastpath, after seL4's fastpath_call / fastpath_reply_recv: the
 * common case of SYS_CALL and SYS_REPLY_RECV done in one pass, entered from
 * syscall_entry before the generic dispatcher. It checks everything first
 * and changes nothing until it knows it can finish; any case it does not
 * handle returns NULL and goes the general way (ipc/sys_ipc.c and
 * ipc/endpoint.c), whose semantics it copies exactly.
 *
 * The case it handles: a message of at most six words with no capability
 * and no buffer bytes, a valid handle with the right rights, a partner
 * already waiting (a receiver for call; the caller, and nothing queued on
 * the endpoint, for reply_recv) whose priority is at least that of every
 * ready thread. Then the words go from the current frame to the partner's,
 * the current thread blocks, and the partner is resumed straight from its
 * saved user frame (syscall.asm jumps to trap_return on it). Timeouts are
 * taken here as in ipc_call and ipc_reply_to: the partner's timer goes, a
 * call's timeout arms the caller's (it covers the reply), a reply_recv's
 * arms the receive's (not 0: that receive would not block). The asm
 * fastpath arms a call's timer (the clock read and the insert from the
 * list's tail) and takes the caller's off at the reply; it sends here a
 * reply_recv whose receive has a timeout and a call to a receiver that
 * has a timer.
 *
 * Resuming from the user frame is sound because a thread blocked in
 * B_RECV or B_REPLY has nothing left to do in the kernel but return its
 * wake_result: the frames of the call chain it blocked in are dropped. The
 * current thread is parked the same way: its saved_rsp points at a switch
 * frame under its trap_frame that resumes in fastpath_parked
 * (syscall.asm), so the general scheduler can wake it like any other.
 *
 * The same switch serves yield, notification wait and signal, the end of
 * an interrupt that readied a higher-priority thread (fastpath_preempt),
 * and the IRQ route (fastpath_irq_signal: an interrupt that signals a
 * waiting driver runs it without a trip through the run queue).
 */
#include "kernel/fastpath.h"

#include "arch/cpu.h"
#include "arch/percpu.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/device.h"
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "sys/errors.h"
#include "sys/syscall.h"

#define FAST __attribute__((always_inline)) inline

/* The layout arch/x86_64/fastpath.asm reads with fixed offsets. */
#define ASM_OFFSET(type, field, off) _Static_assert(offsetof(type, field) == (off), #field)
ASM_OFFSET(struct percpu, fs_base, 40);
ASM_OFFSET(struct thread, proc, 32);
ASM_OFFSET(struct thread, state, 40);
ASM_OFFSET(struct thread, reason, 41);
ASM_OFFSET(struct thread, prio, 42);
ASM_OFFSET(struct thread, slice, 43);
ASM_OFFSET(struct thread, prio_above, 44);
ASM_OFFSET(struct thread, kstack_top, 48);
ASM_OFFSET(struct thread, saved_rsp, 56);
ASM_OFFSET(struct thread, tf, 64);
ASM_OFFSET(struct thread, next, 72);
ASM_OFFSET(struct thread, prev, 80);
ASM_OFFSET(struct thread, wq, 88);
ASM_OFFSET(struct thread, wake_result, 104);
ASM_OFFSET(struct thread, deadline, 120);
ASM_OFFSET(struct thread, tnext, 128);
ASM_OFFSET(struct thread, tprev, 136);
ASM_OFFSET(struct thread, on_timer, 144);
ASM_OFFSET(struct timer_list, tail, 8);
ASM_OFFSET(struct thread, caller, 160);
ASM_OFFSET(struct thread, callee, 168);
ASM_OFFSET(struct thread, fs_base, 224);
ASM_OFFSET(struct thread, fpu, 240);
ASM_OFFSET(struct process, vs.pml4, 64);
ASM_OFFSET(struct process, handles.slots, 88);
ASM_OFFSET(struct process, handles.capacity, 96);
ASM_OFFSET(struct process, iopb, 216);
ASM_OFFSET(struct handle_slot, obj, 0);
ASM_OFFSET(struct handle_slot, rights, 8);
ASM_OFFSET(struct handle_slot, gen, 12);
ASM_OFFSET(struct handle_slot, weak, 14);
ASM_OFFSET(struct handle_slot, type, 15);
ASM_OFFSET(struct handle_slot, badge, 16);
ASM_OFFSET(struct endpoint, senders.head, 24);
ASM_OFFSET(struct endpoint, receivers.head, 40);
ASM_OFFSET(struct endpoint, receivers.tail, 48);
ASM_OFFSET(struct endpoint, bound, 56);
ASM_OFFSET(struct endpoint, kq_head, 64);
ASM_OFFSET(struct ntfn, bits, 24);
_Static_assert(sizeof(struct handle_slot) == 1 << 5 && sizeof(enum thread_state) == 1 &&
		       sizeof(enum block_reason) == 1 &&
		       sizeof(((struct thread *)0)->on_timer) == 1,
	       "fastpath.asm: slot size and field widths");
_Static_assert(T_READY == 1 && T_RUNNING == 2 && T_BLOCKED == 3 && B_NONE == 0 && B_REPLY == 2 &&
		       B_RECV == 3 && SCHED_SLICE_TICKS == 2 && KOBJ_ENDPOINT == 3 && R_SEND == 8 &&
		       R_RECV == 16 && IPC_LABEL_KERNEL_FIRST == 0xFFFC && HANDLE_INVALID == 0 &&
		       TIMEOUT_NEVER == UINT64_MAX && SYS_CALL == 25 && SYS_REPLY_RECV == 29 &&
		       SYS_YIELD == 3 && MSR_FS_BASE == 0xC0000100,
	       "fastpath.asm: constants");

/* Tag bits the fastpath does not handle: a capability, buffer bytes, bits above. */
#define TAG_SLOW_BITS	 (~(uint64_t)0x7FFFF)
/* A switch frame (context_switch's six registers and a return address). */
#define PARK_FRAME_BYTES (7 * 8)

/* The switch (the asm path is reached only when on: syscall_entries_init), and
 * the syscalls either fastpath took (counted by fastpath.asm too). */
static bool fastpath_on = true;
uint64_t fastpath_completed;

void fastpath_init(void)
{
	char v[8];

	if (cmdline_get("fastpath", v, sizeof(v)) && v[0] == 'o' && v[1] == 'f')
		fastpath_on = false;
	syscall_entries_init(fastpath_on);
	klog("ipc: fastpath %s\n", fastpath_on ? "on" : "off (fastpath=off)");
}

bool fastpath_enabled(void)
{
	return fastpath_on;
}

uint64_t fastpath_count(void)
{
	return fastpath_completed;
}

/* The message fits: words only (at most six), no capability, no bytes. */
static FAST bool tag_is_fast(uint64_t tag)
{
	return !(tag & TAG_SLOW_BITS) && IPC_TAG_WORDS(tag) <= IPC_WORDS;
}

/* handle_lookup inlined: the slot of the object of `type` `h` names in `p` with `rights`, or NULL.
 */
static FAST const struct handle_slot *lookup(struct process *p, uint64_t reg, uint32_t type,
					     uint32_t rights)
{
	uint32_t h = (uint32_t)reg, i = h & 0xFFFF;

	if (i == 0 || i >= p->handles.capacity)
		return NULL;
	const struct handle_slot *s = &p->handles.slots[i];
	struct kobj *o = s->obj;
	if (!o || s->gen != (h >> 16) || o->type != type || (s->rights & rights) != rights)
		return NULL;
	return s;
}

/* sched_handoff's rule: `t` runs now only if no ready thread outranks it. */
static FAST bool may_run_now(const struct thread *t)
{
	return (runq_bitmap >> t->prio) <= 1;
}

/* wait_queue_remove(t) for `t`, the head of `wq`, a queue other than a run queue. */
static FAST void pop_head(struct wait_queue *wq, struct thread *t)
{
	wq->head = t->next;
	if (t->next)
		t->next->prev = NULL;
	else
		wq->tail = NULL;
	t->next = NULL;
	t->wq = NULL;
}

/* deliver() for a word-only message: tag, badge, words (zero past the count). */
static FAST void move_words(const struct trap_frame *s, struct trap_frame *d, uint64_t tag,
			    uint64_t badge)
{
	uint32_t n = IPC_TAG_WORDS(tag);

	if (n == IPC_WORDS) {
		d->rdx = s->rdx;
		d->r10 = s->r10;
		d->r8 = s->r8;
		d->r9 = s->r9;
		d->r12 = s->r12;
		d->r13 = s->r13;
	} else {
		d->rdx = n > 0 ? s->rdx : 0;
		d->r10 = n > 1 ? s->r10 : 0;
		d->r8 = n > 2 ? s->r8 : 0;
		d->r9 = n > 3 ? s->r9 : 0;
		d->r12 = n > 4 ? s->r12 : 0;
		d->r13 = 0;
	}
	d->rsi = tag;
	d->rdi = badge;
	d->r14 = HANDLE_INVALID;
	d->rax = E_OK;
}

/*
 * switch_to() for two user threads, with comparisons in place of calls:
 * the kernel stack, the FPU state, and the address space, FS base and I/O
 * bitmap only where they differ. `cur` is parked (see the file comment).
 */
static FAST struct trap_frame *switch_fast(struct thread *cur, struct thread *next,
					   struct trap_frame *tf)
{
	struct percpu *cpu = this_cpu();
	struct process *np = next->proc;

	cur->saved_rsp = (uint64_t)(uintptr_t)tf - PARK_FRAME_BYTES;
	fpu_save(cur->fpu);
	next->state = T_RUNNING;
	next->slice = SCHED_SLICE_TICKS;
	cpu->need_resched = false;
	cpu->current = next;
	percpu_set_kernel_stack(cpu, next->kstack_top);
	if (np != cur->proc) {
		if (np->iopb != cur->proc->iopb)
			ioport_switch(np);
		if (read_cr3() != np->vs.pml4)
			write_cr3(np->vs.pml4);
	}
	fpu_restore(next->fpu);
	if (next->fs_base != cpu->fs_base) {
		wrmsr(MSR_FS_BASE, next->fs_base);
		cpu->fs_base = next->fs_base;
	}
	fastpath_completed++;
	return next->tf;
}

/* A finite timeout that blocks: neither TIMEOUT_NEVER nor 0. */
static FAST bool is_finite(uint64_t timeout)
{
	return timeout + 1 > 1;
}

/* ipc_call() when a receiver waits, for a word-only message. */
struct trap_frame *fastpath_call(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();
	uint64_t tag = tf->rsi;

	if (!fastpath_on || !tag_is_fast(tag) || IPC_TAG_LABEL(tag) >= IPC_LABEL_KERNEL_FIRST)
		return NULL;
	const struct handle_slot *s = lookup(cur->proc, tf->rdi, KOBJ_ENDPOINT, R_SEND);
	if (!s)
		return NULL;
	struct endpoint *ep = (struct endpoint *)s->obj;
	struct thread *dest = ep->receivers.head;
	if (!dest || !may_run_now(dest))
		return NULL;
	pop_head(&ep->receivers, dest); /* the point of no return */
	if (dest->on_timer)
		thread_forget_timer(dest);
	if (is_finite(tf->r15))
		thread_arm_timeout(cur, tf->r15); /* the timeout covers the reply too */
	move_words(tf, dest->tf, tag, s->badge);
	dest->wake_result = E_OK;
	dest->reason = B_NONE;
	cur->state = T_BLOCKED; /* pair() */
	cur->reason = B_REPLY;
	cur->callee = dest;
	cur->wake_result = E_OK;
	dest->caller = cur;
	return switch_fast(cur, dest, tf);
}

/* SYS_REPLY_RECV's reply to the implicit caller, then a receive that must block. */
struct trap_frame *fastpath_reply_recv(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();
	struct thread *caller = cur->caller;
	uint64_t tag = tf->rsi;

	if (!fastpath_on || !caller || !tag_is_fast(tag) || tf->r15 == 0)
		return NULL;
	const struct handle_slot *s = lookup(cur->proc, tf->rdi, KOBJ_ENDPOINT, R_RECV);
	if (!s)
		return NULL;
	struct endpoint *ep = (struct endpoint *)s->obj;
	if (ep->senders.head || ep->kq_head || (ep->bound && ep->bound->bits))
		return NULL; /* something to receive at once: the general path */
	if (!may_run_now(caller))
		return NULL;
	/* The point of no return: ipc_reply_to(caller), then block in B_RECV. */
	if (caller->on_timer)
		thread_forget_timer(caller); /* its call timeout ends with the reply */
	move_words(tf, caller->tf, tag, 0);
	caller->callee = NULL;
	caller->reason = B_NONE;
	caller->wake_result = E_OK;
	cur->caller = NULL;
	cur->state = T_BLOCKED;
	cur->reason = B_RECV;
	cur->wake_result = E_OK;
	wait_queue_push(&ep->receivers, cur);
	if (is_finite(tf->r15))
		thread_arm_timeout(cur, tf->r15);
	return switch_fast(cur, caller, tf);
}

/* A thread the fastpath parked, resumed by the general scheduler (syscall.asm). */
void fastpath_resumed(void)
{
	struct thread *t = percpu_current();

	sched_reap();
	t->tf->rax = (uint64_t)t->wake_result;
}

void context_switch(uint64_t *save_rsp, uint64_t new_rsp); /* arch/x86_64/switch.asm */

/* What schedule() would run now: the head of the highest ready queue (NULL: the idle thread). */
static FAST struct thread *ready_next(void)
{
	return runq_bitmap ? runq[31 - __builtin_clz(runq_bitmap)].head : NULL;
}

/* Whether a fastpath parked `t` (its switch frame, just under its frame, returns to
 * fastpath_parked). */
static FAST bool is_parked(const struct thread *t)
{
	const uint64_t *park = (const uint64_t *)(uintptr_t)t->saved_rsp;

	return (uintptr_t)t->tf - t->saved_rsp == PARK_FRAME_BYTES &&
	       park[PARK_FRAME_BYTES / 8 - 1] == (uint64_t)(uintptr_t)fastpath_parked;
}

/*
 * Run `next`, which is on no queue; `cur` is parked under its frame `tf`. A thread a fastpath
 * parked has nothing left to do in the kernel but return its wake_result (fastpath_resumed's work),
 * so it is resumed straight from its user frame. Any other (a new thread, one preempted by an
 * interrupt or woken inside a general-path syscall) resumes where it switched away: context_switch,
 * leaving this call chain behind for good, since `cur` resumes in fastpath_parked. Its switch
 * frame's return address is the slot of this chain's own return to
 * syscall_full, just under `tf`.
 */
static FAST struct trap_frame *run_now(struct thread *cur, struct thread *next,
				       struct trap_frame *tf)
{
	bool parked = is_parked(next);
	uint64_t abandoned;

	if (parked)
		next->tf->rax = (uint64_t)next->wake_result;
	struct trap_frame *to = switch_fast(cur, next, tf);
	if (parked)
		return to;
	((uint64_t *)tf)[-1] = (uint64_t)(uintptr_t)fastpath_parked;
	context_switch(&abandoned, next->saved_rsp);
	__builtin_unreachable();
}

/* run_now for ready_next(), taken off its run queue. */
static FAST struct trap_frame *run_next(struct thread *cur, struct thread *next,
					struct trap_frame *tf)
{
	wait_queue_pop(&runq[next->prio]);
	return run_now(cur, next, tf);
}

/* SYS_YIELD: schedule() would run a thread that waits at our priority or above. */
struct trap_frame *fastpath_yield(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();

	if (!fastpath_on || !(runq_bitmap >> cur->prio))
		return NULL; /* nobody at our level or above: we run on */
	struct thread *next = ready_next();
	cur->slice = 0; /* SYS_YIELD_handler: to the back of our queue, behind `next` */
	cur->wake_result = E_OK;
	sched_ready(cur);
	return run_next(cur, next, tf);
}

/* SYS_NTFN_WAIT with no bits pending and a timeout other than 0: block, and
 * run the next thread. */
struct trap_frame *fastpath_ntfn_wait(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();

	if (!fastpath_on || tf->rsi == 0)
		return NULL;
	const struct handle_slot *s = lookup(cur->proc, tf->rdi, KOBJ_NOTIFICATION, R_WAIT);
	struct ntfn *n = s ? (struct ntfn *)s->obj : NULL;
	struct thread *next = n && !n->bits ? ready_next() : NULL;
	if (!next)
		return NULL;	/* bits to take at once, or nothing else to run: the idle thread */
	cur->state = T_BLOCKED; /* thread_block(&n->waiters, B_NTFN, TIMEOUT_NEVER) */
	cur->reason = B_NTFN;
	cur->wake_result = E_OK;
	wait_queue_push(&n->waiters, cur);
	if (tf->rsi != TIMEOUT_NEVER)
		thread_arm_timeout(cur, tf->rsi);
	return run_next(cur, next, tf);
}

/*
 * The end of an interrupt from ring 3 that made a higher-priority thread
 * ready (trap_dispatch, where schedule() would run it): when a fastpath
 * parked that thread, it returns from its syscall straight through its
 * frame. We go to the back of our run queue, parked under our interrupt
 * frame with a switch frame that isr.asm points at isr_resume, so whoever
 * runs us again does it with context_switch and IRETQ, every register as
 * it was (is_parked is false for us: we have no wake_result to return).
 */
struct trap_frame *fastpath_preempt(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();
	struct thread *next = ready_next();

	if (!fastpath_on || !next || next->prio <= cur->prio || !is_parked(next))
		return NULL;
	sched_ready(cur); /* schedule(): cur runs, so it goes to the back of its queue */
	wait_queue_pop(&runq[next->prio]);
	next->tf->rax = (uint64_t)next->wake_result;
	return switch_fast(cur, next, tf);
}

/*
 * An interrupt from ring 3 that signals `n` (irq.c, after the mask and the
 * EOI): ntfn_signal, thread_wake and fastpath_preempt in one step when the
 * first waiter outranks us and every ready thread and a fastpath parked it
 * (a driver in SYS_NTFN_WAIT): it comes off the waiters and goes straight
 * to running, without a trip through the run queue, and we go to the back
 * of ours as schedule() would leave us. Its timeout, if armed, is
 * cancelled as thread_wake cancels it. NULL, having changed nothing: the
 * caller signals the general way.
 */
struct trap_frame *fastpath_irq_signal(struct trap_frame *tf, struct ntfn *n, uint64_t bits)
{
	struct thread *cur = percpu_current();
	struct thread *w = n->waiters.head;

	bits &= NTFN_BITS_MASK;
	if (!fastpath_on || !(tf->cs & 3) || !bits || !w || w->prio <= cur->prio ||
	    (runq_bitmap >> w->prio) || !is_parked(w))
		return NULL;
	pop_head(&n->waiters, w); /* the point of no return */
	if (w->on_timer)
		thread_arm_timeout(w, TIMEOUT_NEVER);
	w->reason = B_NONE;
	w->waiting_on = NULL;
	w->tf->rax = n->bits | bits;
	n->bits = 0;
	sched_ready(cur);
	return switch_fast(cur, w, tf);
}

/* The general path's end when nothing switches: `tf` returns `result`. */
static FAST struct trap_frame *finish_here(struct trap_frame *tf, long result)
{
	tf->rax = (uint64_t)result;
	fastpath_completed++;
	return tf;
}

/*
 * SYS_NTFN_SIGNAL, ntfn_signal and thread_wake inlined: with no waiter the
 * bits are kept; a waiter at our priority or below is made ready and we
 * return at once; a waiter above us that no ready thread matches runs at
 * once, as the schedule() the general path would make (we go to the back of
 * our run queue) but without the trip through the scheduler. A waiter with
 * a timeout, one above us behind a ready thread, no waiter on a notification
 * bound to an endpoint (a receiver there may take the bits), or a reschedule
 * already due go the general way.
 */
struct trap_frame *fastpath_ntfn_signal(struct trap_frame *tf)
{
	struct thread *cur = percpu_current();
	uint64_t bits = tf->rsi & NTFN_BITS_MASK;

	if (!fastpath_on || !bits || this_cpu()->need_resched)
		return NULL;
	const struct handle_slot *s = lookup(cur->proc, tf->rdi, KOBJ_NOTIFICATION, R_SIGNAL);
	if (!s)
		return NULL;
	struct ntfn *n = (struct ntfn *)s->obj;
	struct thread *w = n->waiters.head;
	bool preempt = w && w->prio > cur->prio;
	if (!w && !n->bound_ep) {
		n->bits |= bits;
		return finish_here(tf, E_OK);
	}
	if (!w || w->on_timer || (preempt && (runq_bitmap >> w->prio)))
		return NULL;
	wait_queue_pop(&n->waiters); /* the point of no return */
	w->reason = B_NONE;
	w->waiting_on = NULL;
	w->wake_result = (long)(n->bits | bits);
	n->bits = 0;
	if (!preempt) {
		sched_ready(w);
		return finish_here(tf, E_OK);
	}
	cur->wake_result = E_OK; /* what our signal returns when we run again */
	sched_ready(cur);
	return run_now(cur, w, tf);
}

const fastpath_fn syscall_fast_table[SYS_COUNT] = {
	[SYS_CALL] = fastpath_call,
	[SYS_REPLY_RECV] = fastpath_reply_recv,
	[SYS_YIELD] = fastpath_yield,
	[SYS_NTFN_WAIT] = fastpath_ntfn_wait,
	[SYS_NTFN_SIGNAL] = fastpath_ntfn_signal,
};
