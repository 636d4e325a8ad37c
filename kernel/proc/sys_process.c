/* SPDX-License-Identifier: MIT */
/*
 * Syscalls on processes, threads and memory objects. Each handler checks
 * every argument (handles, rights, ranges, user pointers) before it changes
 * anything, then calls the object code, which cannot fail on bad input.
 */
#include "kernel/account.h"
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "sys/device.h"
#include "sys/errors.h"
#include "sys/ipc.h"
#include "sys/process.h"

static unsigned rights_to_pt(uint32_t r)
{
	return ((r & R_WRITE) ? PT_WRITE : 0) | ((r & R_EXEC) ? PT_EXEC : 0);
}

/* A process whose account the caller's covers: what is charged to it, the caller pays. */
static int cap_process_paid(handle_t h, uint32_t rights, struct process **out)
{
	int err = cap_process(h, rights, out);

	if (!err && !account_covers(current_process()->acct, (*out)->acct))
		return E_RIGHTS;
	return err;
}

static int check_max_prio(uint64_t prio, uint8_t *out)
{
	uint8_t own = current_process()->max_prio;

	if (prio == PROCESS_PRIORITY_INHERIT)
		prio = own;
	if (prio > own)
		return E_RANGE;
	*out = (uint8_t)prio;
	return E_OK;
}

long SYS_PROCESS_CREATE_handler(struct trap_frame *tf)
{
	char name[PROCESS_NAME_MAX];
	size_t len = MIN(SYS_ARG1(tf), sizeof(name) - 1);
	struct process *p;
	uint8_t max_prio;

	if (copy_from_user(name, SYS_ARG0(tf), len))
		return E_FAULT;
	int err = check_max_prio(SYS_ARG3(tf), &max_prio);
	if (err)
		return err;
	err = process_create(name, len, current_process()->acct, max_prio, &p);
	if (err)
		return err;
	process_set_creator(p, current_process());
	p->acct->limit = account_pages_to_bytes(SYS_ARG2(tf));
	return cap_give_charged(&p->obj, R_ALL, process_base_charge());
}

long SYS_PROCESS_EXIT_handler(struct trap_frame *tf)
{
	process_exit(current_process(), (int32_t)SYS_ARG0(tf));
	thread_exit_current();
}

long SYS_PROCESS_WAIT_handler(struct trap_frame *tf)
{
	struct process *p;
	int64_t code;
	int err = cap_process((handle_t)SYS_ARG0(tf), 0, &p);

	if (err)
		return err;
	if (p == current_process())
		return E_INVAL;
	if (p->exited) {
		code = p->exit_code;
	} else {
		long r = thread_block(&p->exit_waiters, B_EXIT_WAIT, SYS_ARG1(tf));
		if (r != E_OK)
			return r;
		code = current_thread()->wake_value;
	}
	return copy_to_user(SYS_ARG2(tf), &code, sizeof(code));
}

long SYS_PROCESS_KILL_handler(struct trap_frame *tf)
{
	struct process *p;
	int err = cap_process((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (err)
		return err;
	bool self = p == current_process();
	process_exit(p, EXIT_KILLED);
	if (self)
		thread_exit_current();
	return E_OK;
}

long SYS_THREAD_CREATE_handler(struct trap_frame *tf)
{
	struct process *p;
	struct thread *t;
	int err = cap_process_paid((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (err)
		return err;
	if (SYS_ARG4(tf) >= SCHED_PRIORITIES || SYS_ARG4(tf) > current_process()->max_prio)
		return E_RANGE;
	err = thread_create(p, SYS_ARG1(tf), SYS_ARG2(tf), SYS_ARG3(tf), (uint8_t)SYS_ARG4(tf), &t);
	if (err)
		return err;
	return cap_give_new(&t->obj, R_ALL);
}

long SYS_THREAD_START_handler(struct trap_frame *tf)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)SYS_ARG0(tf), KOBJ_THREAD, R_MANAGE, &s);

	if (err)
		return err;
	struct thread *t = (struct thread *)s->obj;
	if (t->state != T_NEW)
		return E_BUSY;
	thread_start(t);
	return E_OK;
}

long SYS_THREAD_EXIT_handler(struct trap_frame *tf)
{
	(void)tf;
	thread_exit_current();
}

long SYS_THREAD_SET_IPCBUF_handler(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	vaddr_t va = SYS_ARG0(tf);
	struct mobj *m;

	if (va & PAGE_MASK)
		return E_INVAL;
	void *page = region_kernel_page(t->proc, va, PT_WRITE, &m);
	if (!page)
		return E_FAULT;
	if (t->ipcbuf_mobj)
		kobj_put(&t->ipcbuf_mobj->obj);
	kobj_get(&m->obj); /* the buffer's page outlives an unmap while registered */
	t->ipcbuf_mobj = m;
	t->ipcbuf = page;
	return E_OK;
}

long SYS_MOBJ_CREATE_handler(struct trap_frame *tf)
{
	struct process *charged;
	struct mobj *m;
	handle_t target = (handle_t)SYS_ARG2(tf);
	int err = cap_process_paid(target == HANDLE_INVALID ? HANDLE_SELF : target, R_MANAGE,
				   &charged);

	if (err)
		return err;
	if (SYS_ARG1(tf) & ~(uint64_t)(MOBJ_CONTIGUOUS | MOBJ_BELOW_4G))
		return E_INVAL;
	err = mobj_create_flags(SYS_ARG0(tf), charged->acct, (uint32_t)SYS_ARG1(tf), &m);
	if (err)
		return err;
	return cap_give_charged(&m->obj, R_READ | R_WRITE | R_EXEC | R_DUP | R_TRANSFER,
				mobj_meta_bytes(m));
}

long SYS_MOBJ_MAP_handler(struct trap_frame *tf)
{
	struct process *p;
	struct handle_slot *s;
	uint64_t va = SYS_ARG2(tf), off = SYS_ARG3(tf), size = SYS_ARG4(tf);
	uint32_t rights = (uint32_t)SYS_ARG5(tf) | R_READ;
	int err = cap_process_paid((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (!err)
		err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_MOBJ,
				 rights & (R_READ | R_WRITE | R_EXEC), &s);
	if (err)
		return err;
	if ((off | size) & PAGE_MASK || size == 0)
		return E_INVAL;
	if ((rights & R_WRITE) && (rights & R_EXEC))
		return E_RIGHTS; /* W^X in user space too */
	return region_map(p, va, (struct mobj *)s->obj, off / PAGE_SIZE, size / PAGE_SIZE,
			  rights_to_pt(rights));
}

long SYS_UNMAP_handler(struct trap_frame *tf)
{
	struct process *p;
	int err = cap_process((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (err)
		return err;
	return region_unmap(p, SYS_ARG1(tf), SYS_ARG2(tf));
}

long SYS_THREAD_SET_TLS_handler(struct trap_frame *tf)
{
	if (SYS_ARG0(tf) >= USER_SPACE_END)
		return E_RANGE;
	thread_set_fs_base(current_thread(), SYS_ARG0(tf));
	return E_OK;
}

long SYS_PROCESS_SUPERVISE_handler(struct trap_frame *tf)
{
	struct process *p;
	struct handle_slot *s;
	int err = cap_process((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (!err)
		err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_ENDPOINT, R_SEND, &s);
	if (err)
		return err;
	if (p == current_process())
		return E_INVAL; /* nobody supervises itself */
	if (p->exited)
		return E_CLOSED;
	process_supervise(p, (struct endpoint *)s->obj, SYS_ARG2(tf));
	return E_OK;
}

/*
 * From above (the caller's account covers p's parent), the caller becomes
 * p's payer and may set any limit; anyone else holding R_MANAGE may only
 * lower it.
 */
long SYS_PROCESS_SET_QUOTA_handler(struct trap_frame *tf)
{
	struct process *p;
	struct account *own = current_process()->acct;
	int err = cap_process((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (err)
		return err;
	if (p == current_process())
		return E_INVAL; /* a quota is set from outside */
	uint64_t limit = account_pages_to_bytes(SYS_ARG1(tf));
	if (account_covers(own, p->acct->parent))
		err = account_move(p->acct, own);
	else if (limit > p->acct->limit)
		err = E_RIGHTS;
	if (!err)
		p->acct->limit = limit;
	return err;
}

long SYS_PROCESS_INFO_handler(struct trap_frame *tf)
{
	struct process *p;
	int err = cap_process((handle_t)SYS_ARG0(tf), 0, &p);

	if (err)
		return err;
	struct process_info info = {
		.pid = p->pid,
		.state = p->exited    ? PROCESS_EXITED
			 : p->faulted ? PROCESS_FAULTED
				      : PROCESS_RUNNING,
		.threads = p->live_threads,
		.exit_code = p->exited ? p->exit_code : 0,
		.pages_used = account_bytes_to_pages(p->acct->used),
		.pages_quota = account_bytes_to_pages(p->acct->limit),
	};
	memcpy(info.name, p->name, sizeof(info.name));
	return copy_to_user(SYS_ARG1(tf), &info, sizeof(info));
}
