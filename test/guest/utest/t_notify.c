/* SPDX-License-Identifier: MIT */
/*
 * Tests of notifications: signal ORs bits in and never blocks, wait takes
 * them all out, a waiter is woken with the bits, and a notification bound
 * to an endpoint reaches a receiver as a message labelled IPC_LABEL_NOTIFY
 * with the bits as its badge.
 */
#include "utest.h"

UTEST(ntfn_signal_or_wait_clears, "signals OR together; a wait returns them all and clears them")
{
	UT_HANDLE(n, sys_ntfn_create());

	UT_OK(sys_ntfn_signal(n, 1));
	UT_OK(sys_ntfn_signal(n, 4));
	UT_OK(sys_ntfn_signal(n, 1));
	UT_EQ(sys_ntfn_wait(n, 0), 5);
	UT_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	UT_OK(sys_ntfn_signal(n, 0)); /* no bits: nothing to wake for */
	UT_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	UT_OK(sys_ntfn_signal(n, 1ull << 63)); /* bit 63 does not exist: results stay >= 0 */
	UT_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	UT_OK(sys_ntfn_signal(n, ~0ull));
	UT_EQ(sys_ntfn_wait(n, 0), (long)(~0ull >> 1));
	UT_OK(sys_handle_close(n));
}

UTEST(ntfn_signal_never_blocks, "10,000 signals with nobody waiting all return at once")
{
	UT_HANDLE(n, sys_ntfn_create());
	uint64_t start = sys_clock();

	for (int i = 0; i < 10000; i++)
		UT_OK(sys_ntfn_signal(n, 1ull << (i % 63)));
	UT_EQ(sys_ntfn_wait(n, 0), (long)(~0ull >> 1));
	ut_note("10000 ntfn_signal took", ut_elapsed(start) / 1000, "us");
	UT_OK(sys_handle_close(n));
}

UTEST(ntfn_wakes_waiter, "a signal wakes a blocked waiter with the bits; later bits wait for it")
{
	struct ut_probe p = {0};
	UT_HANDLE(n, sys_ntfn_create());

	UT_OK(ut_probe_start(ut_probe_wait, &p, n, UT_PRIO_HIGH));
	UT_EQ(p.done, 0);
	UT_OK(sys_ntfn_signal(n, 0x30));
	UT_ASSERT(ut_wait_flag(&p.done, 1000));
	UT_EQ(p.result, 0x30);
	UT_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT); /* the waiter took them */
	UT_OK(sys_ntfn_signal(n, 0x2));
	UT_OK(ut_probe_start(ut_probe_wait, &p, n, UT_PRIO_HIGH)); /* finds them pending */
	UT_ASSERT(ut_wait_flag(&p.done, 1000));
	UT_EQ(p.result, 0x2);
	UT_OK(sys_handle_close(n));
}

static void expect_notify(struct ut_ctx *t, const struct ipc_msg *m, uint64_t bits)
{
	UT_EQ(IPC_TAG_LABEL(m->tag), IPC_LABEL_NOTIFY);
	UT_EQ(IPC_TAG_WORDS(m->tag) + IPC_TAG_CAP(m->tag) + IPC_TAG_BYTES(m->tag), 0);
	UT_EQ(m->badge, bits);
}

UTEST(ntfn_bound_endpoint, "a bound notification reaches a receiver as IPC_LABEL_NOTIFY")
{
	struct ipc_msg m;
	struct ut_probe p = {0};
	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(n, sys_ntfn_create());
	UT_HANDLE(ep2, sys_ep_create());
	UT_HANDLE(n2, sys_ntfn_create());

	UT_OK(sys_ep_bind(ep, n));
	UT_EQ(sys_ep_bind(ep, n2), E_BUSY);
	UT_EQ(sys_ep_bind(ep2, n), E_BUSY);
	UT_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT);
	UT_OK(sys_ntfn_signal(n, 0x5)); /* pending, then picked up by recv */
	UT_OK(sys_ntfn_signal(n, 0x8));
	UT_OK(ipc_recv(ep, &m, 0));
	expect_notify(t, &m, 0xD);
	UT_RETURN_IF_FAILED();
	UT_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);			    /* delivered means cleared */
	UT_OK(ut_probe_start(ut_probe_recv, &p, ep, UT_PRIO_HIGH)); /* blocked in recv */
	UT_OK(sys_ntfn_signal(n, 0x9));
	UT_ASSERT(ut_wait_flag(&p.done, 1000));
	UT_EQ(p.result, E_OK);
	expect_notify(t, &p.msg, 0x9);
	UT_RETURN_IF_FAILED();
	UT_EQ(p.extra, E_INVAL);	 /* a notification has no caller to reply to */
	UT_OK(sys_ntfn_signal(n, 0x40)); /* with no receiver, a wait gets it too */
	UT_EQ(sys_ntfn_wait(n, 0), 0x40);
	UT_OK(sys_handle_close(ep)); /* the endpoint goes; the notification stays usable */
	UT_OK(sys_ntfn_signal(n, 0x1));
	UT_EQ(sys_ntfn_wait(n, 0), 0x1);
	UT_OK(sys_ep_bind(ep2, n)); /* and can be bound again */
	UT_OK(sys_handle_close(n));
	UT_OK(sys_handle_close(ep2));
	UT_OK(sys_handle_close(n2));
}

UTEST(ntfn_before_queued_sender, "pending notification bits are received before a queued caller")
{
	struct ut_probe caller = {.msg = {.tag = IPC_TAG(3, 1, 0, 0), .w = {33}}};
	struct ipc_msg m;
	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(n, sys_ntfn_create());

	UT_OK(sys_ep_bind(ep, n));
	UT_OK(ut_probe_start(ut_probe_call, &caller, ep, UT_PRIO_HIGH));
	UT_OK(sys_ntfn_signal(n, 0x100));
	UT_OK(ipc_recv(ep, &m, 0));
	expect_notify(t, &m, 0x100);
	UT_RETURN_IF_FAILED();
	UT_OK(ipc_recv(ep, &m, 0));
	UT_EQ(IPC_TAG_LABEL(m.tag), 3);
	UT_EQ(m.w[0], 33);
	m = (struct ipc_msg){0};
	UT_OK(ipc_reply(HANDLE_INVALID, &m));
	UT_ASSERT(ut_wait_flag(&caller.done, 1000));
	UT_EQ(caller.result, E_OK);
	UT_OK(sys_handle_close(ep));
	UT_OK(sys_handle_close(n));
}

UTEST(ntfn_timer, "a notification timer signals its bits once at the deadline; 0 cancels it")
{
	UT_HANDLE(n, sys_ntfn_create());
	UT_HANDLE(wait_only, sys_handle_dup(n, R_WAIT));
	UT_HANDLE(ep, sys_ep_create());
	uint64_t start = sys_clock();

	UT_EQ(sys_ntfn_timer(n, start + 10 * MS, 0), E_INVAL); /* signals nothing */
	UT_EQ(sys_ntfn_timer(n, start + 10 * MS, 1ull << 63), E_INVAL);
	UT_EQ(sys_ntfn_timer(wait_only, start + 10 * MS, 1), E_RIGHTS);
	UT_EQ(sys_ntfn_timer(ep, start + 10 * MS, 1), E_TYPE);
	UT_EQ(sys_ntfn_timer(0, start + 10 * MS, 1), E_BADHANDLE);
	UT_OK(sys_ntfn_timer(n, start + 20 * MS, 0x4));
	UT_EQ(sys_ntfn_wait(n, 1000 * MS), 0x4);
	UT_ASSERT(ut_elapsed(start) >= 20 * MS);
	UT_EQ(sys_ntfn_wait(n, 30 * MS), E_TIMEOUT); /* one shot */
	start = sys_clock();
	UT_OK(sys_ntfn_timer(n, start + 50 * MS, 0x1));
	UT_OK(sys_ntfn_timer(n, start + 60 * MS, 0x2)); /* re-arming replaces */
	UT_EQ(sys_ntfn_wait(n, 1000 * MS), 0x2);
	UT_EQ(sys_ntfn_wait(n, 30 * MS), E_TIMEOUT);
	UT_OK(sys_ntfn_timer(n, sys_clock() + 20 * MS, 0x8));
	UT_OK(sys_ntfn_timer(n, 0, 0));		     /* cancelled */
	UT_EQ(sys_ntfn_wait(n, 60 * MS), E_TIMEOUT); /* well past when it would have fired */
	UT_OK(sys_ntfn_timer(n, 1, 0x10));	     /* long past: fires at the next tick */
	UT_EQ(sys_ntfn_wait(n, 1000 * MS), 0x10);
	UT_OK(sys_ntfn_timer(n, sys_clock() + 5 * MS, 0x20));
	UT_OK(sys_handle_close(wait_only));
	UT_OK(sys_handle_close(n)); /* armed, then gone: the timer must go with it */
	UT_OK(sys_sleep(30 * MS));
	UT_OK(sys_handle_close(ep));
}
