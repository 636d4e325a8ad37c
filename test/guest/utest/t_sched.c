/* SPDX-License-Identifier: MIT */
/*
 * Tests of IPC with several threads and of the scheduler: callers queue in
 * FIFO order, equal priorities share the CPU, a higher priority made ready
 * runs at once, saved replies answer callers out of order, and closing an
 * object wakes every thread blocked on it with E_CLOSED.
 */
#include "sys/thread.h"
#include "utest.h"

#define CLIENTS 5

UTEST(ipc_fifo_order, "callers queued on an endpoint are received first come, first served")
{
	struct ut_probe clients[CLIENTS];
	struct ipc_msg m;
	UT_HANDLE(ep, sys_ep_create());

	for (int i = 0; i < CLIENTS; i++) { /* each runs until it blocks in its call */
		clients[i].msg = (struct ipc_msg){.tag = IPC_TAG(1, 1, 0, 0), .w = {100 + i}};
		UT_OK(ut_probe_start(ut_probe_call, &clients[i], ep, UT_PRIO_HIGH));
	}
	for (int i = 0; i < CLIENTS; i++) {
		UT_OK(ipc_recv(ep, &m, 1000 * MS));
		UT_EQ(m.w[0], 100 + i);
		m = (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {200 + i}};
		UT_OK(ipc_reply(HANDLE_INVALID, &m));
	}
	for (int i = 0; i < CLIENTS; i++) {
		UT_ASSERT(ut_wait_flag(&clients[i].done, 1000));
		UT_EQ(clients[i].result, E_OK);
		UT_EQ(clients[i].msg.w[0], 200 + i);
	}
	UT_OK(sys_handle_close(ep));
}

struct spinner {
	volatile uint64_t count;
	volatile int *stop;
	volatile int done;
};

static void spin(void *arg)
{
	struct spinner *s = arg;

	while (!*s->stop)
		s->count++;
	s->done = 1;
}

UTEST(sched_fair_share, "two busy threads of equal priority both make steady progress")
{
	volatile int stop = 0;
	struct spinner a = {0, &stop, 0}, b = {0, &stop, 0};

	UT_OK(thread_spawn(spin, &a, UT_PRIO, NULL));
	UT_OK(thread_spawn(spin, &b, UT_PRIO, NULL));
	UT_OK(sys_sleep(200 * MS)); /* 20 ticks: about ten time slices each */
	uint64_t ca = a.count, cb = b.count;
	stop = 1;
	UT_ASSERT(ut_wait_flag(&a.done, 1000) && ut_wait_flag(&b.done, 1000));
	uint64_t lo = ca < cb ? ca : cb, hi = ca < cb ? cb : ca;
	if (lo == 0 || lo * 3 < hi)
		UT_FAIL("unfair shares: %lu and %lu iterations", (unsigned long)ca,
			(unsigned long)cb);
}

struct waker_probe {
	handle_t ntfn;
	volatile int ran;
};

static void wait_then_mark(void *arg)
{
	struct waker_probe *w = arg;

	if (sys_ntfn_wait(w->ntfn, TIMEOUT_NEVER) > 0)
		w->ran = 1;
}

UTEST(sched_priority_preempts,
      "a signal to a higher-priority thread runs it before the signal returns")
{
	UT_HANDLE(n, sys_ntfn_create());
	struct waker_probe w = {n, 0};

	UT_OK(thread_spawn(wait_then_mark, &w, UT_PRIO_HIGH, NULL));
	UT_EQ(w.ran, 0);
	UT_OK(sys_ntfn_signal(n, 1));
	UT_EQ(w.ran, 1); /* no sleep, no yield: it already ran */
	UT_OK(sys_handle_close(n));
}

UTEST(sched_yield_alternates, "yield hands the CPU to the next thread of the same priority")
{
	volatile int stop = 0;
	struct spinner s = {0, &stop, 0};

	UT_OK(thread_spawn(spin, &s, UT_PRIO, NULL));
	UT_EQ(s.count, 0); /* equal priority: it waits its turn */
	UT_OK(sys_yield());
	UT_ASSERT(s.count > 0); /* it ran a time slice before we came back */
	stop = 1;
	UT_ASSERT(ut_wait_flag(&s.done, 1000));
}

UTEST(ipc_reply_save, "a saved reply answers its caller later, once; dropping it gives E_RESTARTED")
{
	struct ut_probe a = {.msg = {.tag = IPC_TAG(1, 1, 0, 0), .w = {1}}};
	struct ut_probe b = {.msg = {.tag = IPC_TAG(1, 1, 0, 0), .w = {2}}};
	struct ipc_msg m;
	struct handle_info info;
	UT_HANDLE(ep, sys_ep_create());

	UT_OK(ut_probe_start(ut_probe_call, &a, ep, UT_PRIO_HIGH));
	UT_OK(ut_probe_start(ut_probe_call, &b, ep, UT_PRIO_HIGH));
	UT_OK(ipc_recv(ep, &m, 1000 * MS));
	UT_EQ(m.w[0], 1);
	UT_HANDLE(ra, sys_reply_save());
	UT_OK(sys_handle_info(ra, &info));
	UT_EQ(info.type, KOBJ_REPLY);
	UT_EQ(sys_reply_save(), E_INVAL);   /* the implicit slot is empty again */
	UT_OK(ipc_recv(ep, &m, 1000 * MS)); /* so we may receive the next caller */
	UT_EQ(m.w[0], 2);
	m = (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {20}};
	UT_OK(ipc_reply(HANDLE_INVALID, &m));
	UT_EQ(a.done, 0);
	m.w[0] = 10;
	UT_OK(ipc_reply(ra, &m));
	UT_EQ(ipc_reply(ra, &m), E_CLOSED); /* used up */
	UT_ASSERT(ut_wait_flag(&a.done, 1000) && ut_wait_flag(&b.done, 1000));
	UT_EQ(a.msg.w[0], 10);
	UT_EQ(b.msg.w[0], 20);
	UT_OK(sys_handle_close(ra));
	/* a saved reply closed unanswered: its caller must not wait for ever */
	UT_OK(ut_probe_start(ut_probe_call, &a, ep, UT_PRIO_HIGH));
	UT_OK(ipc_recv(ep, &m, 1000 * MS));
	UT_HANDLE(dropped, sys_reply_save());
	UT_OK(sys_handle_close(dropped));
	UT_ASSERT(ut_wait_flag(&a.done, 1000));
	UT_EQ(a.result, E_RESTARTED); /* the server dropped the call */
	UT_OK(sys_handle_close(ep));
}

UTEST(ipc_close_wakes_blocked,
      "closing the last handle wakes blocked receivers, callers and waiters")
{
	struct ut_probe recv = {0}, call = {.msg = {.tag = IPC_TAG(1, 0, 0, 0)}}, wait = {0};
	UT_HANDLE(ep_r, sys_ep_create());
	UT_HANDLE(ep_c, sys_ep_create());
	UT_HANDLE(n, sys_ntfn_create());

	UT_OK(ut_probe_start(ut_probe_recv, &recv, ep_r, UT_PRIO_HIGH));
	UT_OK(ut_probe_start(ut_probe_call, &call, ep_c, UT_PRIO_HIGH));
	UT_OK(ut_probe_start(ut_probe_wait, &wait, n, UT_PRIO_HIGH));
	UT_ASSERT(!recv.done && !call.done && !wait.done); /* all three are blocked */
	UT_OK(sys_handle_close(ep_r));
	UT_OK(sys_handle_close(ep_c));
	UT_OK(sys_handle_close(n));
	UT_ASSERT(ut_wait_flag(&recv.done, 1000));
	UT_ASSERT(ut_wait_flag(&call.done, 1000));
	UT_ASSERT(ut_wait_flag(&wait.done, 1000));
	UT_EQ(recv.result, E_CLOSED);
	UT_EQ(call.result, E_CLOSED);
	UT_EQ(wait.result, E_CLOSED);
}
