/* SPDX-License-Identifier: MIT */
/*
 * Churn: create and destroy kernel objects by the thousand and check that
 * the kernel's counters (free frames, live heap objects, processes,
 * threads, endpoints, notifications, memory objects, replies, page tables)
 * come back exactly. Each test measures around its own loop, after one
 * warm-up round has paid for what stays (page tables, the loader's).
 */
#include "sys/thread.h"
#include "utest.h"

#define PROCESSES 10000
#define TEARDOWNS 1000
#define ENDPOINTS 10000
#define CAP_CALLS 2000
#define THREADS	  300
#define SPAWNS	  1000

static void process_once(struct test_ctx *t)
{
	T_HANDLE(p, sys_process_create("churn", 5));
	T_OK(sys_handle_close(p));
}

TEST(churn, churn_processes, "10,000 processes created and closed leave the counters as they were")
{
	struct kinfo before, after;

	process_once(t);
	T_OK(test_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < PROCESSES && !t->failed; i++)
		process_once(t);
	T_RETURN_IF_FAILED();
	test_note("process_churn_10000", ut_elapsed(start) / MS, "ms");
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

/* A process with a mapping, a granted handle and a thread, killed before it ran. */
static void teardown_once(struct test_ctx *t, handle_t m, handle_t ep)
{
	T_HANDLE(p, sys_process_create("teardown", 8));
	T_OK(sys_mobj_map(p, m, UT_SCRATCH_VA, 0, PAGE, R_READ | R_EXEC));
	T_OK(sys_handle_grant(p, ep, R_SEND));
	T_HANDLE(th, sys_thread_create(p, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, UT_PRIO));
	T_OK(sys_process_kill(p));
	T_EQ(ut_wait(p, 0), EXIT_KILLED);
	T_OK(sys_handle_close(th));
	T_OK(sys_handle_close(p));
}

TEST(churn, churn_process_teardown,
     "1,000 processes with memory, handles and a thread, killed, leave nothing")
{
	struct kinfo before, after;
	T_HANDLE(m, sys_mobj_create(PAGE, 0));
	T_HANDLE(ep, sys_ep_create());

	teardown_once(t, m, ep);
	T_OK(test_kinfo(&before));
	for (int i = 0; i < TEARDOWNS && !t->failed; i++)
		teardown_once(t, m, ep);
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&after));
	T_OK(sys_handle_close(m));
	T_OK(sys_handle_close(ep));
	T_KINFO_SAME(&before, &after);
}

static void endpoint_once(struct test_ctx *t)
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(badged, sys_ep_mint(ep, 42, R_SEND));
	T_HANDLE(n, sys_ntfn_create());
	T_OK(sys_ep_bind(ep, n));
	T_OK(sys_ntfn_signal(n, 1));			     /* left pending when everything goes */
	T_OK(sys_ntfn_timer(n, sys_clock() + 1000 * MS, 2)); /* and armed */
	T_OK(sys_handle_close(ep));
	T_OK(sys_handle_close(n));
	T_OK(sys_handle_close(badged));
}

TEST(churn, churn_endpoints,
     "10,000 endpoints (minted, bound, signalled, timed) leave the counters as before")
{
	struct kinfo before, after;

	endpoint_once(t);
	T_OK(test_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < ENDPOINTS && !t->failed; i++)
		endpoint_once(t);
	T_RETURN_IF_FAILED();
	test_note("endpoint_churn_10000", ut_elapsed(start) / MS, "ms");
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

static void cap_call_once(struct test_ctx *t, handle_t ep)
{
	struct ipc_msg m;
	T_HANDLE(mobj, sys_mobj_create(PAGE, 0));

	m = (struct ipc_msg){.tag = IPC_TAG(UT_CAPINFO, 0, 1, 0), .cap = mobj};
	T_OK(ipc_call(ep, &m, TIMEOUT_NEVER));
	T_EQ(ut_status(m.tag), E_OK);
	T_OK(sys_handle_close(mobj));
}

TEST(churn, churn_ipc_caps, "2,000 calls carrying a fresh memory object each leave nothing behind")
{
	struct kinfo before, after;
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	cap_call_once(t, ep);
	T_OK(test_kinfo(&before));
	for (int i = 0; i < CAP_CALLS && !t->failed; i++)
		cap_call_once(t, ep);
	T_OK(test_kinfo(&after));
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
	T_KINFO_SAME(&before, &after);
}

static void count_up(void *arg)
{
	__atomic_fetch_add((volatile int *)arg, 1, __ATOMIC_RELAXED);
}

TEST(churn, churn_threads, "300 threads spawned and ended leave the counters as they were")
{
	struct kinfo before, after;
	volatile int ran = 0;

	T_OK(thread_spawn(count_up, (void *)&ran, UT_PRIO_HIGH, NULL));
	T_OK(test_kinfo(&before));
	for (int i = 0; i < THREADS; i++)
		T_OK(thread_spawn(count_up, (void *)&ran, UT_PRIO_HIGH, NULL));
	T_EQ(ran, THREADS + 1);
	T_ASSERT(ut_wait_threads(before.threads, 1000));
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

TEST(churn, churn_spawn, "1,000 programs started through the loader and ended leave nothing behind")
{
	struct kinfo before, after;

	T_HANDLE(first, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
	T_EQ(ut_reap(first, 5000 * MS), 0);
	T_OK(test_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < SPAWNS; i++) {
		T_HANDLE(child, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
		T_EQ(ut_reap(child, 5000 * MS), 0);
	}
	test_note("loader_spawn_1000", ut_elapsed(start) / MS, "ms");
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}
