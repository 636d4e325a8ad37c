/* SPDX-License-Identifier: MIT */
/*
 * Client-death notices (SYS_EP_WATCH): the receiver of an endpoint hears
 * IPC_LABEL_GONE with a client's badge once no handle carries that badge to
 * it any more, whether the client closed it, exited or was killed, and not
 * while a copy lives on elsewhere (in a message, in another process). The
 * arguments are checked, the notices armed on one endpoint are bounded,
 * and a server on the common loop (server_run) frees each client's state
 * in on_client_gone, after which the kernel's counters are where they were.
 */
#include "sys/process.h"
#include "sys/server.h"
#include "sys/thread.h"
#include "utest.h"

#define NOTICE_WAIT (2000 * MS)
#define SEND_RIGHTS (R_SEND | R_GRANT | R_DUP | R_TRANSFER)
#define LIMIT_BASE  0x1000 /* the badges of client_watch_limit */

/* The next message on ep must be the notice for badge. */
static void expect_gone(struct test_ctx *t, handle_t ep, uint64_t badge)
{
	struct ipc_msg m = {0};

	T_OK(ipc_recv(ep, &m, NOTICE_WAIT));
	T_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_GONE);
	T_EQ(IPC_TAG_WORDS(m.tag), 1);
	T_EQ(m.badge, badge);
	T_EQ(m.w[0], badge);
}
#define EXPECT_GONE(ep, badge)                                                                     \
	do {                                                                                       \
		expect_gone(t, (ep), (badge));                                                     \
		T_RETURN_IF_FAILED();                                                              \
	} while (0)

static void expect_quiet(struct test_ctx *t, handle_t ep)
{
	struct ipc_msg m;

	T_EQ(ipc_recv(ep, &m, 20 * MS), E_TIMEOUT);
}

/* A utest child in `role` whose "parent" is the only handle with `badge` to ep (watched). */
static long watched_child(handle_t ep, uint64_t badge, const char *role, const char *arg)
{
	long b = sys_ep_mint(ep, badge, SEND_RIGHTS);

	if (b < 0)
		return b;
	long err = sys_ep_watch(ep, badge, 0);
	long child = err < 0 ? err : ut_spawn(role, arg, (handle_t)b, UT_PRIO);
	sys_handle_close((handle_t)b);
	return child;
}

TEST(watch, gone_on_close,
     "the notice comes once the last handle carrying the badge is closed, once, and not before")
{
	struct kinfo before, after;

	T_OK(test_kinfo(&before));
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(b, sys_ep_mint(ep, 7, SEND_RIGHTS));
	T_HANDLE(copy, sys_handle_dup(b, R_SEND));
	T_OK(sys_ep_watch(ep, 7, 0));
	T_OK(sys_ep_watch(ep, 7, 0)); /* armed once is enough */
	T_OK(sys_handle_close(b));
	expect_quiet(t, ep);
	T_OK(sys_handle_close(copy));
	EXPECT_GONE(ep, 7);
	expect_quiet(t, ep);
	T_EQ(sys_ep_watch(ep, 7, 0), E_NOENT); /* nobody carries it now */
	T_OK(sys_handle_close(ep));
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

TEST(watch, gone_on_exit_and_kill,
     "a child holding the only handle with the badge brings the notice when it exits and when it "
     "is killed")
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(exiting, watched_child(ep, 1, "exit", "5"));
	EXPECT_GONE(ep, 1);
	T_EQ(ut_reap(exiting, NOTICE_WAIT), 5);
	T_HANDLE(sleeper, watched_child(ep, 2, "sleep", NULL));
	expect_quiet(t, ep); /* it still holds its handle */
	T_OK(sys_process_kill(sleeper));
	EXPECT_GONE(ep, 2);
	T_EQ(ut_reap(sleeper, NOTICE_WAIT), EXIT_KILLED);
	T_OK(sys_handle_close(ep));
}

TEST(watch, gone_copies,
     "copies in a message and in another process keep the client alive until they go too")
{
	struct ipc_msg m;
	handle_t srv;

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(holder, sys_process_create("holder", 6));
	T_HANDLE(b, sys_ep_mint(ep, 3, SEND_RIGHTS));
	T_OK(sys_ep_watch(ep, 3, 0));
	T_OK(ut_server_thread(&srv));
	for (int i = 0; i < 10; i++) { /* each copy reaches a server that closes it */
		m = (struct ipc_msg){.tag = IPC_TAG(UT_CAPINFO, 0, 1, 0), .cap = b};
		T_OK(ipc_call(srv, &m, TIMEOUT_NEVER));
		T_EQ(ut_status(m.tag), E_OK);
	}
	T_OK(ut_server_stop(srv, HANDLE_INVALID));
	T_ASSERT(sys_handle_grant(holder, b, R_SEND) > 0);
	T_OK(sys_handle_close(b));
	expect_quiet(t, ep);		/* the holder's copy */
	T_OK(sys_handle_close(holder)); /* it never ran: it goes, and its handles with it */
	EXPECT_GONE(ep, 3);
	T_OK(sys_handle_close(ep));
}

TEST(watch, watch_refused,
     "watching needs the receive right and a live badge; bad badges and flags are refused")
{
	struct kinfo before, after;

	T_OK(test_kinfo(&before));
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(other, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(send_only, sys_handle_dup(ep, R_SEND | R_DUP));
	T_HANDLE(b, sys_ep_mint(ep, 4, SEND_RIGHTS));
	T_HANDLE(elsewhere, sys_ep_mint(other, 5, SEND_RIGHTS));
	T_EQ(sys_ep_watch(HANDLE_INVALID, 4, 0), E_BADHANDLE);
	T_EQ(sys_ep_watch(0x7FFF1234, 4, 0), E_BADHANDLE);
	T_EQ(sys_ep_watch(n, 4, 0), E_TYPE);
	T_EQ(sys_ep_watch(send_only, 4, 0), E_RIGHTS); /* only the receiver hears of clients */
	T_EQ(sys_ep_watch(b, 4, 0), E_RIGHTS);	       /* a client cannot watch the others */
	T_EQ(sys_ep_watch(ep, 0, 0), E_INVAL);	       /* badge 0 names no client */
	T_EQ(sys_ep_watch(ep, 4, 2), E_INVAL);
	T_EQ(sys_ep_watch(ep, 4, ~0u), E_INVAL);
	T_EQ(sys_ep_watch(ep, 5, 0), E_NOENT); /* badge 5 is another endpoint's */
	T_EQ(sys_ep_watch(ep, 4, EP_WATCH_CANCEL), E_NOENT);
	T_OK(sys_ep_watch(ep, 4, 0));
	T_OK(sys_ep_watch(ep, 4, EP_WATCH_CANCEL));
	T_OK(sys_handle_close(b));
	expect_quiet(t, ep); /* cancelled */
	T_OK(sys_handle_close(elsewhere));
	T_OK(sys_handle_close(send_only));
	T_OK(sys_handle_close(n));
	T_OK(sys_handle_close(other));
	T_OK(sys_handle_close(ep));
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

TEST(watch, watch_quota,
     "an armed notice is charged to the server that armed it: past its quota, E_QUOTA")
{
	struct process_info info;
	struct ipc_msg m = {0};

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(child, ut_spawn("watch-quota", NULL, ep, UT_PRIO));
	T_OK(ipc_recv(ep, &m, NOTICE_WAIT)); /* it waits in its call: set its quota now */
	T_OK(sys_process_info(child, &info));
	T_OK(sys_process_set_quota(child, info.pages_used + 2));
	m.tag = IPC_TAG(0, 0, 0, 0);
	T_OK(ipc_reply(HANDLE_INVALID, &m));
	int64_t armed = ut_reap(child, NOTICE_WAIT);
	T_ASSERT(armed > 0 && armed < 200); /* some fit in two pages, then E_QUOTA */
	test_note("watch_notices_in_2_more_pages", (uint64_t)armed, "notices");
	T_OK(sys_handle_close(ep));
}

static handle_t limit_handles[EP_WATCH_MAX + 1];

/* Receive every notice waiting on ep; how many came. */
static unsigned drain_notices(handle_t ep)
{
	struct ipc_msg m;
	unsigned n = 0;

	while (ipc_recv(ep, &m, 20 * MS) == E_OK && IPC_TAG_LABEL(m.tag) == IPC_LABEL_GONE)
		n++;
	return n;
}

/* Arm EP_WATCH_MAX + 1 badges (the last is refused), then let every client go. */
static void limit_round(struct test_ctx *t, handle_t ep)
{
	for (unsigned i = 0; i <= EP_WATCH_MAX; i++) {
		T_HANDLE(b, sys_ep_mint(ep, LIMIT_BASE + i, SEND_RIGHTS));
		limit_handles[i] = b;
		T_EQ(sys_ep_watch(ep, LIMIT_BASE + i, 0), i < EP_WATCH_MAX ? E_OK : E_NOSPACE);
	}
	T_OK(sys_ep_watch(ep, LIMIT_BASE, EP_WATCH_CANCEL));
	T_OK(sys_ep_watch(ep, LIMIT_BASE + EP_WATCH_MAX, 0)); /* room again */
	for (unsigned i = 0; i <= EP_WATCH_MAX; i++)
		T_OK(sys_handle_close(limit_handles[i]));
	T_EQ(drain_notices(ep), EP_WATCH_MAX);
}

TEST(watch, watch_limit,
     "at most EP_WATCH_MAX notices are armed on one endpoint; each comes once; nothing leaks")
{
	struct kinfo before, after;

	T_HANDLE(ep, sys_ep_create());
	limit_round(t, ep); /* our handle table grows and the kernel heap warms up: both stay */
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	limit_round(t, ep);
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
	T_OK(sys_handle_close(ep));
}

/* A server that keeps one notification per client that opened, until the client is gone. */
#define DEMO_CLIENTS 4
static struct {
	handle_t ep;
	uint64_t badge[DEMO_CLIENTS];
	handle_t state[DEMO_CLIENTS];
	volatile int open, gone;
} demo;

static long demo_open(struct server_request *req)
{
	for (int i = 0; i < DEMO_CLIENTS; i++) {
		if (demo.state[i] != HANDLE_INVALID)
			continue;
		long n = sys_ntfn_create();
		if (n < 0)
			return n;
		long err = sys_ep_watch(demo.ep, req->msg.badge, 0);
		if (err < 0) {
			sys_handle_close((handle_t)n);
			return err;
		}
		demo.badge[i] = req->msg.badge;
		demo.state[i] = (handle_t)n;
		demo.open++;
		return E_OK;
	}
	return E_NOSPACE;
}

static void demo_gone(void *ctx, uint64_t badge)
{
	(void)ctx;
	for (int i = 0; i < DEMO_CLIENTS; i++) {
		if (demo.state[i] != HANDLE_INVALID && demo.badge[i] == badge) {
			sys_handle_close(demo.state[i]);
			demo.state[i] = HANDLE_INVALID;
			demo.open--;
		}
	}
	demo.gone++;
}

static const struct server_method demo_methods[] = {{UT_OPEN, 0, demo_open}};

/* Serve until the endpoint is closed (server_run returns then). */
static void demo_serve(void *arg)
{
	struct server s = {.endpoint = demo.ep,
			   .methods = SERVER_METHODS(demo_methods),
			   .on_client_gone = demo_gone};

	(void)arg;
	server_run(&s);
}

/* A utest child in `role` calling the demo server through a handle with a badge of its own. */
static long demo_client(uint64_t badge, const char *role)
{
	long b = sys_ep_mint(demo.ep, badge, SEND_RIGHTS);

	if (b < 0)
		return b;
	long child = ut_spawn(role, NULL, (handle_t)b, UT_PRIO);
	sys_handle_close((handle_t)b);
	return child;
}

static bool wait_count(volatile int *count, int want)
{
	for (int i = 0; i < 2000 && *count != want; i++)
		sys_sleep(MS);
	return *count == want;
}

TEST(watch, server_frees_state,
     "a server on the common loop frees what a client opened when the client exits and when it "
     "is killed; the kernel's counters come back")
{
	struct kinfo before, after;

	T_HANDLE(ep, sys_ep_create());
	demo = (typeof(demo)){.ep = ep};
	T_OK(thread_spawn(demo_serve, NULL, UT_PRIO, NULL));
	T_OK(test_kinfo(&before));
	T_HANDLE(exiting, demo_client(0xE1, "open"));
	T_EQ(ut_reap(exiting, NOTICE_WAIT), 0);
	T_ASSERT(wait_count(&demo.gone, 1));
	T_EQ(demo.open, 0);
	T_HANDLE(killed, demo_client(0xE2, "open-wait"));
	T_ASSERT(wait_count(&demo.open, 1));
	T_OK(sys_process_kill(killed));
	T_EQ(ut_reap(killed, NOTICE_WAIT), EXIT_KILLED);
	T_ASSERT(wait_count(&demo.gone, 2));
	T_EQ(demo.open, 0);
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
	T_OK(sys_handle_close(ep)); /* the server's receive fails and its loop ends */
	T_ASSERT(ut_wait_threads(before.threads - 1, 1000));
}
