/* SPDX-License-Identifier: MIT */
/*
 * Tests of notifications: signal ORs bits in and never blocks, wait takes
 * them all out, a waiter is woken with the bits, and a notification bound
 * to an endpoint reaches a receiver as a message labelled IPC_LABEL_NOTIFY
 * with the bits as its badge.
 */
#include "utest.h"

TEST(notify, ntfn_signal_or_wait_clears,
     "signals OR together; a wait returns them all and clears them")
{
	T_HANDLE(n, sys_ntfn_create());

	T_OK(sys_ntfn_signal(n, 1));
	T_OK(sys_ntfn_signal(n, 4));
	T_OK(sys_ntfn_signal(n, 1));
	T_EQ(sys_ntfn_wait(n, 0), 5);
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	T_OK(sys_ntfn_signal(n, 0)); /* no bits: nothing to wake for */
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	T_OK(sys_ntfn_signal(n, 1ull << 63)); /* bit 63 does not exist: results stay >= 0 */
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	T_OK(sys_ntfn_signal(n, ~0ull));
	T_EQ(sys_ntfn_wait(n, 0), (long)(~0ull >> 1));
	T_OK(sys_handle_close(n));
}

TEST(notify, ntfn_signal_never_blocks, "10,000 signals with nobody waiting all return at once")
{
	T_HANDLE(n, sys_ntfn_create());
	uint64_t start = sys_clock();

	for (int i = 0; i < 10000; i++)
		T_OK(sys_ntfn_signal(n, 1ull << (i % 63)));
	T_EQ(sys_ntfn_wait(n, 0), (long)(~0ull >> 1));
	test_note("ntfn_signal_10000", ut_elapsed(start) / 1000, "us");
	T_OK(sys_handle_close(n));
}

TEST(notify, ntfn_wakes_waiter,
     "a signal wakes a blocked waiter with the bits; later bits wait for it")
{
	struct ut_probe p = {0};
	T_HANDLE(n, sys_ntfn_create());

	T_OK(ut_probe_start(ut_probe_wait, &p, n, UT_PRIO_HIGH));
	T_EQ(p.done, 0);
	T_OK(sys_ntfn_signal(n, 0x30));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, 0x30);
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT); /* the waiter took them */
	T_OK(sys_ntfn_signal(n, 0x2));
	T_OK(ut_probe_start(ut_probe_wait, &p, n, UT_PRIO_HIGH)); /* finds them pending */
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, 0x2);
	T_OK(sys_handle_close(n));
}

static void expect_notify(struct test_ctx *t, const struct ipc_msg *m, uint64_t bits)
{
	T_EQ(IPC_TAG_LABEL(m->tag), IPC_LABEL_NOTIFY);
	T_EQ(IPC_TAG_WORDS(m->tag) + IPC_TAG_CAP(m->tag) + IPC_TAG_BYTES(m->tag), 0);
	T_EQ(m->badge, bits);
}

TEST(notify, ntfn_bound_endpoint, "a bound notification reaches a receiver as IPC_LABEL_NOTIFY")
{
	struct ipc_msg m;
	struct ut_probe p = {0};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(ep2, sys_ep_create());
	T_HANDLE(n2, sys_ntfn_create());

	T_OK(sys_ep_bind(ep, n));
	T_EQ(sys_ep_bind(ep, n2), E_BUSY);
	T_EQ(sys_ep_bind(ep2, n), E_BUSY);
	T_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT);
	T_OK(sys_ntfn_signal(n, 0x5)); /* pending, then picked up by recv */
	T_OK(sys_ntfn_signal(n, 0x8));
	T_OK(ipc_recv(ep, &m, 0));
	expect_notify(t, &m, 0xD);
	T_RETURN_IF_FAILED();
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);			   /* delivered means cleared */
	T_OK(ut_probe_start(ut_probe_recv, &p, ep, UT_PRIO_HIGH)); /* blocked in recv */
	T_OK(sys_ntfn_signal(n, 0x9));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, E_OK);
	expect_notify(t, &p.msg, 0x9);
	T_RETURN_IF_FAILED();
	T_EQ(p.extra, E_INVAL);		/* a notification has no caller to reply to */
	T_OK(sys_ntfn_signal(n, 0x40)); /* with no receiver, a wait gets it too */
	T_EQ(sys_ntfn_wait(n, 0), 0x40);
	T_OK(sys_handle_close(ep)); /* the endpoint goes; the notification stays usable */
	T_OK(sys_ntfn_signal(n, 0x1));
	T_EQ(sys_ntfn_wait(n, 0), 0x1);
	T_OK(sys_ep_bind(ep2, n)); /* and can be bound again */
	T_OK(sys_handle_close(n));
	T_OK(sys_handle_close(ep2));
	T_OK(sys_handle_close(n2));
}

TEST(notify, ntfn_before_queued_sender,
     "pending notification bits are received before a queued caller")
{
	struct ut_probe caller = {.msg = {.tag = IPC_TAG(3, 1, 0, 0), .w = {33}}};
	struct ipc_msg m;
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());

	T_OK(sys_ep_bind(ep, n));
	T_OK(ut_probe_start(ut_probe_call, &caller, ep, UT_PRIO_HIGH));
	T_OK(sys_ntfn_signal(n, 0x100));
	T_OK(ipc_recv(ep, &m, 0));
	expect_notify(t, &m, 0x100);
	T_RETURN_IF_FAILED();
	T_OK(ipc_recv(ep, &m, 0));
	T_EQ(IPC_TAG_LABEL(m.tag), 3);
	T_EQ(m.w[0], 33);
	m = (struct ipc_msg){0};
	T_OK(ipc_reply(HANDLE_INVALID, &m));
	T_ASSERT(ut_wait_flag(&caller.done, 1000));
	T_EQ(caller.result, E_OK);
	T_OK(sys_handle_close(ep));
	T_OK(sys_handle_close(n));
}

TEST(notify, ntfn_timer, "a notification timer signals its bits once at the deadline; 0 cancels it")
{
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(wait_only, sys_handle_dup(n, R_WAIT));
	T_HANDLE(ep, sys_ep_create());
	uint64_t start = sys_clock();

	T_EQ(sys_ntfn_timer(n, start + 10 * MS, 0), E_INVAL); /* signals nothing */
	T_EQ(sys_ntfn_timer(n, start + 10 * MS, 1ull << 63), E_INVAL);
	T_EQ(sys_ntfn_timer(wait_only, start + 10 * MS, 1), E_RIGHTS);
	T_EQ(sys_ntfn_timer(ep, start + 10 * MS, 1), E_TYPE);
	T_EQ(sys_ntfn_timer(0, start + 10 * MS, 1), E_BADHANDLE);
	T_OK(sys_ntfn_timer(n, start + 20 * MS, 0x4));
	T_EQ(sys_ntfn_wait(n, 1000 * MS), 0x4);
	T_ASSERT(ut_elapsed(start) >= 20 * MS);
	T_EQ(sys_ntfn_wait(n, 30 * MS), E_TIMEOUT); /* one shot */
	start = sys_clock();
	T_OK(sys_ntfn_timer(n, start + 50 * MS, 0x1));
	T_OK(sys_ntfn_timer(n, start + 60 * MS, 0x2)); /* re-arming replaces */
	T_EQ(sys_ntfn_wait(n, 1000 * MS), 0x2);
	T_EQ(sys_ntfn_wait(n, 30 * MS), E_TIMEOUT);
	T_OK(sys_ntfn_timer(n, sys_clock() + 20 * MS, 0x8));
	T_OK(sys_ntfn_timer(n, 0, 0));		    /* cancelled */
	T_EQ(sys_ntfn_wait(n, 60 * MS), E_TIMEOUT); /* well past when it would have fired */
	T_OK(sys_ntfn_timer(n, 1, 0x10));	    /* long past: fires at the next tick */
	T_EQ(sys_ntfn_wait(n, 1000 * MS), 0x10);
	T_OK(sys_ntfn_timer(n, sys_clock() + 5 * MS, 0x20));
	T_OK(sys_handle_close(wait_only));
	T_OK(sys_handle_close(n)); /* armed, then gone: the timer must go with it */
	T_OK(sys_sleep(30 * MS));
	T_OK(sys_handle_close(ep));
}
