/* SPDX-License-Identifier: MIT */
/*
 * Syscalls that touch no object or only handles: null, debug output, clock,
 * yield, sleep, kernel counters, and closing, duplicating and inspecting
 * handles.
 */
#include "kernel/clock.h"
#include "kernel/kheap.h"
#include "kernel/mobj.h"
#include "kernel/pmm.h"
#include "kernel/printk.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/vm.h"
#include "sys/errors.h"

#define DEBUG_WRITE_MAX 1024

int cap_process(handle_t h, uint32_t rights, struct process **out)
{
	struct handle_slot *s;

	if (h == HANDLE_SELF) {
		*out = current_process();
		return E_OK;
	}
	int err = cap_lookup(h, KOBJ_PROCESS, rights, &s);
	if (!err)
		*out = (struct process *)s->obj;
	return err;
}

long cap_give(struct kobj *obj, uint32_t rights, uint64_t badge)
{
	handle_t h;
	int err = handle_insert(&current_process()->handles, obj, rights, badge, &h);
	return err ? err : (long)h;
}

long cap_give_new(struct kobj *obj, uint32_t rights)
{
	long h = cap_give(obj, rights, 0);
	kobj_put(obj);
	return h;
}

long cap_give_charged(struct kobj *obj, uint32_t rights, uint64_t bytes)
{
	int err = kobj_charge(obj, current_process()->acct, bytes);

	if (err) {
		kobj_put(obj);
		return err;
	}
	return cap_give_new(obj, rights);
}

long SYS_NULL_handler(struct trap_frame *tf)
{
	(void)tf;
	return E_OK;
}

long SYS_DEBUG_WRITE_handler(struct trap_frame *tf)
{
	char buf[DEBUG_WRITE_MAX];
	size_t len = SYS_ARG1(tf);

	if (len > DEBUG_WRITE_MAX)
		return E_RANGE;
	if (copy_from_user(buf, SYS_ARG0(tf), len))
		return E_FAULT;
	console_write(buf, len);
	return (long)len;
}

long SYS_CLOCK_handler(struct trap_frame *tf)
{
	(void)tf;
	return (long)clock_ns();
}

long SYS_YIELD_handler(struct trap_frame *tf)
{
	(void)tf;
	struct thread *t = current_thread();
	t->slice = 0;
	sched_ready(t);
	schedule();
	return E_OK;
}

long SYS_SLEEP_handler(struct trap_frame *tf)
{
	uint64_t ns = SYS_ARG0(tf);
	if (ns == 0)
		return E_OK;
	long r = thread_block(NULL, B_SLEEP, ns);
	return r == E_TIMEOUT ? E_OK : r;
}

long SYS_KINFO_handler(struct trap_frame *tf)
{
	struct slab_stats st;
	kheap_stats(&st);
	struct kinfo k = {
		.frames_free = pmm_free_count(),
		.frames_total = pmm_total_count(),
		.heap_live_objects = st.live,
		.heap_pages = st.pages + kmem_pages_live(),
		.processes = process_count(),
		.threads = thread_count(),
		.endpoints = kobj_live(KOBJ_ENDPOINT),
		.notifications = kobj_live(KOBJ_NOTIFICATION),
		.mobjs = kobj_live(KOBJ_MOBJ),
		.replies = kobj_live(KOBJ_REPLY),
		.page_tables = vm_table_count(),
		.ticks = clock_ticks(),
		.idle_tsc = sched_idle_tsc(),
	};
	return copy_to_user(SYS_ARG0(tf), &k, sizeof(k));
}

long SYS_HANDLE_CLOSE_handler(struct trap_frame *tf)
{
	return handle_remove(&current_process()->handles, (handle_t)SYS_ARG0(tf));
}

long SYS_HANDLE_DUP_handler(struct trap_frame *tf)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)SYS_ARG0(tf), KOBJ_NONE, R_DUP, &s);

	if (err)
		return err;
	return cap_give(s->obj, s->rights & (uint32_t)SYS_ARG1(tf), s->badge);
}

long SYS_HANDLE_INFO_handler(struct trap_frame *tf)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)SYS_ARG0(tf), KOBJ_NONE, 0, &s);

	if (err)
		return err;
	struct handle_info info = {s->obj->type, s->rights, s->badge, 0};
	if (s->obj->type == KOBJ_MOBJ) /* a receiver can check a shared buffer is big enough */
		info.size = ((struct mobj *)s->obj)->npages * PAGE_SIZE;
	return copy_to_user(SYS_ARG1(tf), &info, sizeof(info));
}

long SYS_HANDLE_GRANT_handler(struct trap_frame *tf)
{
	struct process *p;
	struct handle_slot *s;
	handle_t h;
	int err = cap_process((handle_t)SYS_ARG0(tf), R_MANAGE, &p);

	if (!err)
		err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_NONE, R_TRANSFER, &s);
	if (err)
		return err;
	if (p->exited || process_stopped(p))
		return E_CLOSED; /* a stopped process's handles are closed (proc/process.c) */
	err = handle_insert(&p->handles, s->obj, s->rights & (uint32_t)SYS_ARG2(tf), s->badge, &h);
	return err ? err : (long)h;
}
