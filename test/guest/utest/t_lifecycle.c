/* SPDX-License-Identifier: MIT */
/*
 * Tests of processes ending in the middle of things: a caller killed while
 * its call is being served or while it waits in an endpoint's queue, several
 * waiters on one exit, and the ways a process ends itself (kill itself, its
 * last thread exits, a thread outlives the first).
 */
#include "sys/thread.h"
#include "utest.h"

TEST(lifecycle, caller_killed_mid_call,
     "a caller killed mid-call leaves its server nothing to answer")
{
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(client, ut_spawn("client", NULL, ep, UT_PRIO));

	T_OK(ipc_recv(ep, &m, 5000 * MS));
	T_EQ(IPC_TAG_LABEL(m.tag), UT_ECHO);
	T_OK(sys_process_kill(client));
	T_EQ(ut_reap(client, 1000 * MS), EXIT_KILLED);
	T_EQ(ipc_reply(HANDLE_INVALID, &m), E_INVAL); /* the slot was emptied */
	T_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT);	      /* and receiving is allowed again */
	/* the same with the reply saved first */
	T_HANDLE(second, ut_spawn("client", NULL, ep, UT_PRIO));
	T_OK(ipc_recv(ep, &m, 5000 * MS));
	T_HANDLE(saved, sys_reply_save());
	T_OK(sys_process_kill(second));
	T_EQ(ut_reap(second, 1000 * MS), EXIT_KILLED);
	T_EQ(ipc_reply(saved, &m), E_CLOSED);
	T_OK(sys_handle_close(saved));
	T_OK(sys_handle_close(ep));
}

TEST(lifecycle, queued_caller_killed,
     "a caller killed while queued on an endpoint leaves the queue")
{
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());
	/* higher than us: by the time the loader answers, it has called and queued */
	T_HANDLE(gone, ut_spawn("client", NULL, ep, UT_PRIO_HIGH));

	T_OK(sys_process_kill(gone));
	T_EQ(ut_reap(gone, 1000 * MS), EXIT_KILLED);
	T_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT); /* no trace of it */
	T_HANDLE(next, ut_spawn("client", NULL, ep, UT_PRIO_HIGH));
	T_OK(ipc_recv(ep, &m, 0)); /* already queued, and it is the only one */
	T_EQ(m.w[0], 5);
	m.w[0] = ~m.w[0];
	m.tag = IPC_TAG(0, 1, 0, 0);
	T_OK(ipc_reply(HANDLE_INVALID, &m));
	T_EQ(ut_reap(next, 5000 * MS), 0);
	T_OK(sys_handle_close(ep));
}

struct exit_waiter {
	handle_t process;
	long code;
	volatile int done;
};

static void wait_for_exit(void *arg)
{
	struct exit_waiter *w = arg;

	w->code = ut_wait(w->process, TIMEOUT_NEVER);
	w->done = 1;
}

TEST(lifecycle, exit_many_waiters, "every thread waiting for a process learns its exit code")
{
	struct exit_waiter w[3];
	T_HANDLE(child, ut_spawn("sleep", NULL, HANDLE_INVALID, UT_PRIO));

	for (int i = 0; i < 3; i++) {
		w[i] = (struct exit_waiter){child, 1, 0};
		T_OK(thread_spawn(wait_for_exit, &w[i], UT_PRIO_HIGH, NULL));
		T_EQ(w[i].done, 0); /* blocked in its wait */
	}
	T_OK(sys_process_kill(child));
	for (int i = 0; i < 3; i++) {
		T_ASSERT(ut_wait_flag(&w[i].done, 1000));
		T_EQ(w[i].code, EXIT_KILLED);
	}
	T_EQ(ut_reap(child, 0), EXIT_KILLED);
}

static long role_code(const char *role, const char *arg)
{
	long c = ut_spawn(role, arg, HANDLE_INVALID, UT_PRIO);
	return c < 0 ? c : ut_reap((handle_t)c, 5000 * MS);
}

TEST(lifecycle, process_ends_itself,
     "kill(self), the last thread's exit and a surviving thread end it right")
{
	T_EQ(role_code("kill-self", NULL), EXIT_KILLED);
	T_EQ(role_code("thread-exit", NULL), 0);
	T_EQ(role_code("last-thread", "5"), 5); /* the process outlived its first thread */
}
