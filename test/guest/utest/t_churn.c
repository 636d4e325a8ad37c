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

static void process_once(struct ut_ctx *t)
{
	UT_HANDLE(p, sys_process_create("churn", 5));
	UT_OK(sys_handle_close(p));
}

UTEST(churn_processes, "10,000 processes created and closed leave the counters as they were")
{
	struct kinfo before, after;

	process_once(t);
	UT_OK(ut_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < PROCESSES && !t->failed; i++)
		process_once(t);
	UT_RETURN_IF_FAILED();
	ut_note("10000 process create+close took", ut_elapsed(start) / MS, "ms");
	UT_OK(ut_kinfo(&after));
	UT_KINFO_SAME(&before, &after);
}

/* A process with a mapping, a granted handle and a thread, killed before it ran. */
static void teardown_once(struct ut_ctx *t, handle_t m, handle_t ep)
{
	UT_HANDLE(p, sys_process_create("teardown", 8));
	UT_OK(sys_mobj_map(p, m, UT_SCRATCH_VA, 0, PAGE, R_READ | R_EXEC));
	UT_OK(sys_handle_grant(p, ep, R_SEND));
	UT_HANDLE(th, sys_thread_create(p, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, UT_PRIO));
	UT_OK(sys_process_kill(p));
	UT_EQ(ut_wait(p, 0), EXIT_KILLED);
	UT_OK(sys_handle_close(th));
	UT_OK(sys_handle_close(p));
}

UTEST(churn_process_teardown,
      "1,000 processes with memory, handles and a thread, killed, leave nothing")
{
	struct kinfo before, after;
	UT_HANDLE(m, sys_mobj_create(PAGE, 0));
	UT_HANDLE(ep, sys_ep_create());

	teardown_once(t, m, ep);
	UT_OK(ut_kinfo(&before));
	for (int i = 0; i < TEARDOWNS && !t->failed; i++)
		teardown_once(t, m, ep);
	UT_RETURN_IF_FAILED();
	UT_OK(ut_kinfo(&after));
	UT_OK(sys_handle_close(m));
	UT_OK(sys_handle_close(ep));
	UT_KINFO_SAME(&before, &after);
}

static void endpoint_once(struct ut_ctx *t)
{
	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(badged, sys_ep_mint(ep, 42, R_SEND));
	UT_HANDLE(n, sys_ntfn_create());
	UT_OK(sys_ep_bind(ep, n));
	UT_OK(sys_ntfn_signal(n, 1)); /* left pending when everything goes */
	UT_OK(sys_ntfn_timer(n, sys_clock() + 1000 * MS, 2)); /* and armed */
	UT_OK(sys_handle_close(ep));
	UT_OK(sys_handle_close(n));
	UT_OK(sys_handle_close(badged));
}

UTEST(churn_endpoints,
      "10,000 endpoints (minted, bound, signalled, timed) leave the counters as before")
{
	struct kinfo before, after;

	endpoint_once(t);
	UT_OK(ut_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < ENDPOINTS && !t->failed; i++)
		endpoint_once(t);
	UT_RETURN_IF_FAILED();
	ut_note("10000 endpoint rounds took", ut_elapsed(start) / MS, "ms");
	UT_OK(ut_kinfo(&after));
	UT_KINFO_SAME(&before, &after);
}

static void cap_call_once(struct ut_ctx *t, handle_t ep)
{
	struct ipc_msg m;
	UT_HANDLE(mobj, sys_mobj_create(PAGE, 0));

	m = (struct ipc_msg){.tag = IPC_TAG(UT_CAPINFO, 0, 1, 0), .cap = mobj};
	UT_OK(ipc_call(ep, &m, TIMEOUT_NEVER));
	UT_EQ(ut_status(m.tag), E_OK);
	UT_OK(sys_handle_close(mobj));
}

UTEST(churn_ipc_caps, "2,000 calls carrying a fresh memory object each leave nothing behind")
{
	struct kinfo before, after;
	handle_t ep;

	UT_OK(ut_server_thread(&ep));
	cap_call_once(t, ep);
	UT_OK(ut_kinfo(&before));
	for (int i = 0; i < CAP_CALLS && !t->failed; i++)
		cap_call_once(t, ep);
	UT_OK(ut_kinfo(&after));
	UT_OK(ut_server_stop(ep, HANDLE_INVALID));
	UT_KINFO_SAME(&before, &after);
}

static void count_up(void *arg)
{
	__atomic_fetch_add((volatile int *)arg, 1, __ATOMIC_RELAXED);
}

UTEST(churn_threads, "300 threads spawned and ended leave the counters as they were")
{
	struct kinfo before, after;
	volatile int ran = 0;

	UT_OK(thread_spawn(count_up, (void *)&ran, UT_PRIO_HIGH, NULL));
	UT_OK(ut_kinfo(&before));
	for (int i = 0; i < THREADS; i++)
		UT_OK(thread_spawn(count_up, (void *)&ran, UT_PRIO_HIGH, NULL));
	UT_EQ(ran, THREADS + 1);
	UT_ASSERT(ut_wait_threads(before.threads, 1000));
	UT_OK(ut_kinfo(&after));
	UT_KINFO_SAME(&before, &after);
}

UTEST(churn_spawn, "1,000 programs started through the loader and ended leave nothing behind")
{
	struct kinfo before, after;

	UT_HANDLE(first, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
	UT_EQ(ut_reap(first, 5000 * MS), 0);
	UT_OK(ut_kinfo(&before));
	uint64_t start = sys_clock();
	for (int i = 0; i < SPAWNS; i++) {
		UT_HANDLE(child, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
		UT_EQ(ut_reap(child, 5000 * MS), 0);
	}
	ut_note("1000 loader spawns took", ut_elapsed(start) / MS, "ms");
	UT_OK(ut_kinfo(&after));
	UT_KINFO_SAME(&before, &after);
}
