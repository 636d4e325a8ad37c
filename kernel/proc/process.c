/* SPDX-License-Identifier: MIT */
/*
 * Process life cycle. process_exit is the single teardown path for exit,
 * kill, a fault and the last running thread's exit: it stops every thread,
 * unmaps every region, closes every handle (breaking reference cycles
 * through handles), destroys the address space and wakes the waiters.
 *
 * Handles can form cycles only through handle tables, and a process that
 * runs breaks its cycles when it ends. One that never ran cannot end by
 * itself, so it ends with the process that created it: processes that
 * never ran and hold each other's handles are given back then, charged to
 * their creator's budget until that point. Destruction is queued, so a
 * chain of processes each holding the next is freed one after another,
 * never by recursion on the kernel stack.
 */
#include "kernel/process.h"
#include "kernel/account.h"
#include "kernel/device.h"
#include "kernel/fastpath.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "sys/errors.h"

long arch_copy_user(void *dst, const void *src, size_t n);

static uint64_t next_pid = 1;
static uint64_t live_processes;
static struct process *reap_head; /* destroyed, not yet freed */
static bool reaping;

uint64_t process_base_charge(void)
{
	return sizeof(struct process) + sizeof(struct account) + sizeof(struct kmsg) + PAGE_SIZE +
	       HANDLE_TABLE_BASE_BYTES; /* PAGE_SIZE: the top-level page table */
}

static void process_free(struct process *p)
{
	if (p->handles.slots)
		handle_table_destroy(&p->handles);
	if (p->acct)
		account_put(p->acct);
	kfree(p->exit_notice);
	vm_space_destroy(&p->vs);
	kfree(p);
}

int process_create(const char *name, size_t len, struct account *payer, uint8_t max_prio,
		   struct process **out)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return E_NOMEM;
	if (vm_space_create(&p->vs) != 0) {
		kfree(p);
		return E_NOMEM;
	}
	int err = account_create(payer, &p->acct);
	p->exit_notice = kzalloc(sizeof(struct kmsg));
	if (!err && (!p->exit_notice || handle_table_init(&p->handles, p->acct, &p->obj)))
		err = E_NOMEM;
	if (err) {
		process_free(p);
		return err;
	}
	p->exit_notice->owner = &p->obj;
	kobj_init(&p->obj, KOBJ_PROCESS);
	p->pid = next_pid++;
	p->max_prio = max_prio;
	len = MIN(len, PROCESS_NAME_MAX - 1);
	memcpy(p->name, name, len);
	p->name[len] = '\0';
	live_processes++;
	*out = p;
	return E_OK;
}

void process_set_creator(struct process *p, struct process *creator)
{
	p->created_next = creator->created;
	if (creator->created)
		creator->created->created_pprev = &p->created_next;
	creator->created = p;
	p->created_pprev = &creator->created;
}

static void creator_unlink(struct process *p)
{
	if (!p->created_pprev)
		return;
	*p->created_pprev = p->created_next;
	if (p->created_next)
		p->created_next->created_pprev = p->created_pprev;
	p->created_next = NULL;
	p->created_pprev = NULL;
}

/* p is ending: what it created and never ran ends too; the rest forget p. */
static void end_created(struct process *p)
{
	for (struct process *c; (c = p->created);) {
		creator_unlink(c);
		if (!c->ran)
			process_exit(c, EXIT_KILLED);
	}
}

/*
 * The supervisor link is weak: the endpoint does not stay alive for the
 * processes it supervises. It keeps a list of them instead and, when its
 * last handle goes, lets them go (process_supervisor_gone).
 */
static void sup_unlink(struct process *p)
{
	if (!p->sup_ep)
		return;
	for (struct process **link = &p->sup_ep->supervised; *link; link = &(*link)->sup_next) {
		if (*link == p) {
			*link = p->sup_next;
			break;
		}
	}
	p->sup_ep = NULL;
	p->sup_next = NULL;
}

static void notify_supervisor(struct process *p, int64_t code)
{
	struct endpoint *ep = p->sup_ep;
	struct kmsg *k = p->exit_notice;

	if (!ep)
		return;
	sup_unlink(p);
	k->badge = p->sup_badge;
	k->tag = IPC_TAG(IPC_LABEL_EXIT, 2, 0, 0);
	k->w[0] = (uint64_t)code;
	k->w[1] = p->pid;
	ipc_post(ep, k);
}

void process_supervise(struct process *p, struct endpoint *ep, uint64_t badge)
{
	sup_unlink(p);
	p->sup_ep = ep;
	p->sup_badge = badge;
	p->sup_next = ep->supervised;
	ep->supervised = p;
}

/*
 * Nobody can hear a fault any more: a thread suspended on one is woken and
 * ends its process itself (user_exception goes on as for an unsupervised
 * process), so the teardown runs on its own stack, never nested in ours.
 */
void process_supervisor_gone(struct endpoint *ep)
{
	for (struct process *p; (p = ep->supervised);) {
		sup_unlink(p);
		for (struct thread *t = p->threads; t; t = t->proc_next)
			if (t->state == T_BLOCKED && t->reason == B_FAULT)
				thread_wake(t, E_CLOSED);
	}
}

/*
 * No thread of p can run any more: each started one has ended or waits on a
 * fault for the supervisor, which can only kill it. Its handles are of no
 * more use to it, and they may be all that keeps its supervisor endpoint
 * (and so p) alive, so they are closed now, and SYS_HANDLE_GRANT gives it
 * no new ones until a thread of it runs again. If that took the endpoint,
 * p is unsupervised from here and its faults end it.
 */
bool process_stopped(const struct process *p)
{
	return !p->exited && p->running_threads && p->suspended_threads == p->running_threads;
}

void process_check_stopped(struct process *p)
{
	if (process_stopped(p))
		handle_table_clear(&p->handles);
}

static void process_teardown(struct process *p, int64_t code)
{
	p->exited = true;
	p->exit_code = code;
	for (struct thread *t = p->threads, *next; t; t = next) {
		next = t->proc_next; /* thread_kill may free t */
		if (t != current_thread())
			thread_kill(t);
	}
	region_unmap_all(p);
	handle_table_destroy(&p->handles);
	end_created(p);
	ioport_process_exit(p);
	struct thread *cur = current_thread();
	if (cur->proc == p)
		vm_space_activate(vm_kernel_space());
	account_uncharge(p->acct, p->vs.tables * PAGE_SIZE);
	vm_space_destroy(&p->vs);
	for (struct thread *w; (w = wait_queue_pop(&p->exit_waiters));) {
		w->wake_value = code;
		thread_wake(w, E_OK);
	}
	notify_supervisor(p, code);
	if (p->pid == INIT_PID) {
		klog("kernel: init exited with code %ld; stopping\n", (long)code);
		klog("ipc: fastpath took %lu syscalls\n", (unsigned long)fastpath_count());
		kernel_exit(code == 0 ? KEXIT_SUCCESS : KEXIT_FAILURE);
	}
}

void process_exit(struct process *p, int64_t code)
{
	if (p->exited)
		return;
	kobj_get(&p->obj); /* keep p alive through the teardown */
	process_teardown(p, code);
	kobj_put(&p->obj);
}

static void process_reap(struct process *p)
{
	KASSERT(p->exited || p->live_threads == 0);
	if (!p->exited) { /* created, never ran, last handle closed: no notice */
		sup_unlink(p);
		process_teardown(p, EXIT_KILLED);
	}
	live_processes--;
	account_put(p->acct);
	kfree(p->exit_notice); /* not queued: a queued notice holds a reference to p */
	kfree(p);
}

/*
 * The last reference went. Freeing p closes its handles, which may hold the
 * last references to other processes: those queue behind it and the
 * outermost call frees them in turn, so the stack depth stays the same
 * however long the chain (400 nested frees overflowed the kernel stack).
 */
void process_destroy(struct kobj *o)
{
	struct process *p = (struct process *)o;

	creator_unlink(p);
	p->reap_next = reap_head;
	reap_head = p;
	if (reaping)
		return;
	reaping = true;
	while ((p = reap_head)) {
		reap_head = p->reap_next;
		process_reap(p);
	}
	reaping = false;
}

uint64_t process_count(void)
{
	return live_processes;
}

static bool user_range_ok(uintptr_t p, size_t n)
{
	return p + n >= p && p + n <= USER_SPACE_END;
}

int copy_from_user(void *dst, uintptr_t user_src, size_t n)
{
	if (!user_range_ok(user_src, n))
		return E_FAULT;
	return arch_copy_user(dst, (const void *)user_src, n) ? E_FAULT : E_OK;
}

int copy_to_user(uintptr_t user_dst, const void *src, size_t n)
{
	if (!user_range_ok(user_dst, n))
		return E_FAULT;
	return arch_copy_user((void *)user_dst, src, n) ? E_FAULT : E_OK;
}
