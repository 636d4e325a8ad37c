/* SPDX-License-Identifier: MIT */
/*
 * Thread life cycle: creation with a kernel stack whose top holds the
 * thread's user trap_frame, start, kill and exit. A thread holds a reference
 * to its process; the creator gets the first reference to the thread, and
 * the scheduler takes one when the thread starts and holds it until the
 * thread is dead and off its stack. So a thread that is never started goes
 * when its last handle does.
 */
#include "kernel/thread.h"
#include "arch/gdt.h"
#include "kernel/account.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/kstack.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "sys/errors.h"
#include "sys/syscall.h"

#define RFLAGS_USER   0x202 /* IF and the always-one bit; IOPL 0 */
#define MXCSR_DEFAULT 0x1F80
#define FCW_DEFAULT   0x037F
#define THREAD_POISON 0x6B /* fills a freed thread */
/* Charged to the process per thread: its kernel stack and the kernel's records of it. */
#define THREAD_CHARGE (KSTACK_SIZE + sizeof(struct thread) + sizeof(struct kmsg))

void thread_trampoline(void);
void ipc_thread_cleanup(struct thread *t);

static uint64_t next_tid = 1;
static uint64_t live_threads;

/* Build the first kernel-stack picture: a switch frame returning into
 * thread_trampoline, with the user trap_frame above it. */
static void build_initial_stack(struct thread *t, uintptr_t entry, uintptr_t stack, uint64_t arg)
{
	struct trap_frame *tf = (struct trap_frame *)(t->kstack_top - sizeof(*tf));
	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->cs = SEL_UCODE;
	tf->rflags = RFLAGS_USER;
	tf->rsp = stack;
	tf->ss = SEL_UDATA;
	tf->rdi = arg;
	t->tf = tf;
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)(uintptr_t)thread_trampoline;
	for (int i = 0; i < 6; i++) /* rbp, rbx, r12-r15 popped by context_switch */
		*--sp = 0;
	t->saved_rsp = (uint64_t)(uintptr_t)sp;
}

static void init_fpu_state(struct thread *t)
{
	memset(t->fpu, 0, sizeof(t->fpu));
	*(uint16_t *)&t->fpu[0] = FCW_DEFAULT;
	*(uint32_t *)&t->fpu[24] = MXCSR_DEFAULT;
}

int thread_create(struct process *p, uintptr_t entry, uintptr_t stack, uint64_t arg, uint8_t prio,
		  struct thread **out)
{
	if (entry >= USER_SPACE_END || stack > USER_SPACE_END || prio >= SCHED_PRIORITIES)
		return E_INVAL;
	if (p->exited)
		return E_CLOSED;
	if (prio > p->max_prio)
		return E_RANGE;
	if (account_charge(p->acct, THREAD_CHARGE))
		return E_QUOTA;
	struct thread *t = kmem_zalloc(sizeof(*t));
	struct kmsg *notice = kzalloc(sizeof(struct kmsg));
	if (!t || !notice || kstack_alloc(&t->kstack_top)) {
		kmem_free(t, sizeof(*t));
		kfree(notice);
		account_uncharge(p->acct, THREAD_CHARGE);
		return E_NOMEM;
	}
	t->fault_notice = notice;
	notice->owner = &t->obj;
	kobj_init(&t->obj, KOBJ_THREAD); /* the creator's reference */
	kobj_adopt_charge(&t->obj, p->acct, THREAD_CHARGE);
	t->id = next_tid++;
	t->proc = p;
	kobj_get(&p->obj);
	t->prio = prio;
	t->prio_above = prio + 1 < 32 ? ~0u << (prio + 1) : 0;
	t->state = T_NEW;
	build_initial_stack(t, entry, stack, arg);
	init_fpu_state(t);
	t->proc_next = p->threads;
	p->threads = t;
	p->live_threads++;
	live_threads++;
	*out = t;
	return E_OK;
}

void thread_start(struct thread *t)
{
	if (t->state != T_NEW)
		return;
	kobj_get(&t->obj); /* the scheduler's reference, until the thread is reaped */
	t->proc->running_threads++;
	t->proc->ran = true;
	sched_ready(t);
}

/* Called on the new thread's stack before its first return to user mode. */
void thread_first_run(void)
{
	sched_reap();
}

static void release_ipcbuf(struct thread *t)
{
	if (t->ipcbuf_mobj)
		kobj_put(&t->ipcbuf_mobj->obj);
	t->ipcbuf_mobj = NULL;
	t->ipcbuf = NULL;
}

/* Common part of kill and exit: leave every queue, give up IPC state. */
static void thread_detach(struct thread *t)
{
	ipc_thread_cleanup(t);
	wait_queue_remove(t);
	thread_forget_timer(t);
	release_ipcbuf(t);
	if (t->state == T_BLOCKED && t->reason == B_FAULT)
		t->proc->suspended_threads--;
	if (t->state != T_DEAD) {
		if (t->state != T_NEW)
			t->proc->running_threads--;
		t->state = T_DEAD;
		live_threads--;
		t->proc->live_threads--;
	}
}

void thread_kill(struct thread *t)
{
	if (t->state == T_DEAD)
		return;
	bool started = t->state != T_NEW;
	thread_detach(t);
	if (started && t != current_thread())
		kobj_put(&t->obj); /* never runs again: drop the scheduler's reference */
}

NORETURN void thread_exit_current(void)
{
	struct thread *t = current_thread();

	thread_detach(t);
	/*
	 * Threads made but never started do not keep it going: nothing would
	 * start them, and one whose handle sits in its own process's table
	 * would keep the process, and so itself, alive for ever.
	 */
	if (t->proc->running_threads == 0 && !t->proc->exited)
		process_exit(t->proc, 0);
	else
		process_check_stopped(t->proc);
	schedule(); /* a dead thread is never picked again; reap() drops it */
	panic("thread: dead thread %lu resumed", t->id);
}

void thread_destroy(struct kobj *o)
{
	struct thread *t = (struct thread *)o;
	struct process *p = t->proc;

	if (t->state != T_DEAD) /* never started, last handle closed */
		thread_detach(t);
	for (struct thread **link = &p->threads; *link; link = &(*link)->proc_next) {
		if (*link == t) {
			*link = t->proc_next;
			break;
		}
	}
	kstack_free(t->kstack_top);
	kfree(t->fault_notice); /* not queued: a queued notice holds a reference to t */
	memset(t, THREAD_POISON, sizeof(*t)); /* a stale link to it now fails thread_is_live */
	kmem_free(t, sizeof(*t));
	kobj_put(&p->obj); /* kobj_put gives the charge back after this */
}

bool thread_is_live(const struct thread *t)
{
	return t->obj.type == KOBJ_THREAD && t->obj.refs > 0;
}

_Static_assert(sizeof(struct fault_regs) == sizeof(struct trap_frame), "same layout");

/* A ring-3 exception in a supervised process: tell the supervisor, stay suspended. */
void thread_fault_to_supervisor(struct thread *t, const struct trap_frame *tf, uint64_t addr)
{
	struct process *p = t->proc;
	struct kmsg *k = t->fault_notice;

	k->badge = p->sup_badge;
	k->tag = IPC_TAG(IPC_LABEL_FAULT, IPC_WORDS, 0, 0);
	k->w[0] = tf->vector;
	k->w[1] = tf->error;
	k->w[2] = addr;
	k->w[3] = tf->rip;
	k->w[4] = tf->rsp;
	k->w[5] = t->id;
	k->has_regs = true;
	memcpy(&k->regs, tf, sizeof(k->regs));
	p->faulted = true;
	p->suspended_threads++;
	process_check_stopped(p);
	if (!p->sup_ep) { /* its supervisor endpoint went with p's own handles */
		p->suspended_threads--;
		return;
	}
	ipc_post(p->sup_ep, k);
	thread_block(NULL, B_FAULT, TIMEOUT_NEVER); /* until the supervisor kills us */
	p->suspended_threads--;			    /* or is gone */
}

uint64_t thread_count(void)
{
	return live_threads;
}
