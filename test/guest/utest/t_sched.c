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

TEST(sched, ipc_fifo_order, "callers queued on an endpoint are received first come, first served")
{
	struct ut_probe clients[CLIENTS];
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());

	for (int i = 0; i < CLIENTS; i++) { /* each runs until it blocks in its call */
		clients[i].msg = (struct ipc_msg){.tag = IPC_TAG(1, 1, 0, 0), .w = {100 + i}};
		T_OK(ut_probe_start(ut_probe_call, &clients[i], ep, UT_PRIO_HIGH));
	}
	for (int i = 0; i < CLIENTS; i++) {
		T_OK(ipc_recv(ep, &m, 1000 * MS));
		T_EQ(m.w[0], 100 + i);
		m = (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {200 + i}};
		T_OK(ipc_reply(HANDLE_INVALID, &m));
	}
	for (int i = 0; i < CLIENTS; i++) {
		T_ASSERT(ut_wait_flag(&clients[i].done, 1000));
		T_EQ(clients[i].result, E_OK);
		T_EQ(clients[i].msg.w[0], 200 + i);
	}
	T_OK(sys_handle_close(ep));
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

TEST(sched, sched_fair_share, "two busy threads of equal priority both make steady progress")
{
	volatile int stop = 0;
	struct spinner a = {0, &stop, 0}, b = {0, &stop, 0};

	T_OK(thread_spawn(spin, &a, UT_PRIO, NULL));
	T_OK(thread_spawn(spin, &b, UT_PRIO, NULL));
	T_OK(sys_sleep(200 * MS)); /* 20 ticks: about ten time slices each */
	uint64_t ca = a.count, cb = b.count;
	stop = 1;
	T_ASSERT(ut_wait_flag(&a.done, 1000) && ut_wait_flag(&b.done, 1000));
	uint64_t lo = ca < cb ? ca : cb, hi = ca < cb ? cb : ca;
	if (lo == 0 || lo * 3 < hi)
		T_FAIL("unfair shares: %lu and %lu iterations", (unsigned long)ca,
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

TEST(sched, sched_priority_preempts,
     "a signal to a higher-priority thread runs it before the signal returns")
{
	T_HANDLE(n, sys_ntfn_create());
	struct waker_probe w = {n, 0};

	T_OK(thread_spawn(wait_then_mark, &w, UT_PRIO_HIGH, NULL));
	T_EQ(w.ran, 0);
	T_OK(sys_ntfn_signal(n, 1));
	T_EQ(w.ran, 1); /* no sleep, no yield: it already ran */
	T_OK(sys_handle_close(n));
}

TEST(sched, sched_yield_alternates, "yield hands the CPU to the next thread of the same priority")
{
	volatile int stop = 0;
	struct spinner s = {0, &stop, 0};

	T_OK(thread_spawn(spin, &s, UT_PRIO, NULL));
	T_EQ(s.count, 0); /* equal priority: it waits its turn */
	T_OK(sys_yield());
	T_ASSERT(s.count > 0); /* it ran a time slice before we came back */
	stop = 1;
	T_ASSERT(ut_wait_flag(&s.done, 1000));
}

TEST(sched, ipc_reply_save,
     "a saved reply answers its caller later, once; dropping it gives E_RESTARTED")
{
	struct ut_probe a = {.msg = {.tag = IPC_TAG(1, 1, 0, 0), .w = {1}}};
	struct ut_probe b = {.msg = {.tag = IPC_TAG(1, 1, 0, 0), .w = {2}}};
	struct ipc_msg m = {0};
	struct handle_info info;
	T_HANDLE(ep, sys_ep_create());

	T_OK(ut_probe_start(ut_probe_call, &a, ep, UT_PRIO_HIGH));
	T_OK(ut_probe_start(ut_probe_call, &b, ep, UT_PRIO_HIGH));
	T_OK(ipc_recv(ep, &m, 1000 * MS));
	T_EQ(m.w[0], 1);
	T_HANDLE(ra, sys_reply_save());
	T_OK(sys_handle_info(ra, &info));
	T_EQ(info.type, KOBJ_REPLY);
	T_EQ(sys_reply_save(), E_INVAL);   /* the implicit slot is empty again */
	T_OK(ipc_recv(ep, &m, 1000 * MS)); /* so we may receive the next caller */
	T_EQ(m.w[0], 2);
	m = (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {20}};
	T_OK(ipc_reply(HANDLE_INVALID, &m));
	T_EQ(a.done, 0);
	m.w[0] = 10;
	T_OK(ipc_reply(ra, &m));
	T_EQ(ipc_reply(ra, &m), E_CLOSED); /* used up */
	T_ASSERT(ut_wait_flag(&a.done, 1000) && ut_wait_flag(&b.done, 1000));
	T_EQ(a.msg.w[0], 10);
	T_EQ(b.msg.w[0], 20);
	T_OK(sys_handle_close(ra));
	/* a saved reply closed unanswered: its caller must not wait for ever */
	T_OK(ut_probe_start(ut_probe_call, &a, ep, UT_PRIO_HIGH));
	T_OK(ipc_recv(ep, &m, 1000 * MS));
	T_HANDLE(dropped, sys_reply_save());
	T_OK(sys_handle_close(dropped));
	T_ASSERT(ut_wait_flag(&a.done, 1000));
	T_EQ(a.result, E_RESTARTED); /* the server dropped the call */
	T_OK(sys_handle_close(ep));
}

TEST(sched, ipc_close_wakes_blocked,
     "closing the last handle wakes blocked receivers, callers and waiters")
{
	struct ut_probe recv = {0}, call = {.msg = {.tag = IPC_TAG(1, 0, 0, 0)}}, wait = {0};
	T_HANDLE(ep_r, sys_ep_create());
	T_HANDLE(ep_c, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());

	T_OK(ut_probe_start(ut_probe_recv, &recv, ep_r, UT_PRIO_HIGH));
	T_OK(ut_probe_start(ut_probe_call, &call, ep_c, UT_PRIO_HIGH));
	T_OK(ut_probe_start(ut_probe_wait, &wait, n, UT_PRIO_HIGH));
	T_ASSERT(!recv.done && !call.done && !wait.done); /* all three are blocked */
	T_OK(sys_handle_close(ep_r));
	T_OK(sys_handle_close(ep_c));
	T_OK(sys_handle_close(n));
	T_ASSERT(ut_wait_flag(&recv.done, 1000));
	T_ASSERT(ut_wait_flag(&call.done, 1000));
	T_ASSERT(ut_wait_flag(&wait.done, 1000));
	T_EQ(recv.result, E_CLOSED);
	T_EQ(call.result, E_CLOSED);
	T_EQ(wait.result, E_CLOSED);
}
