/* SPDX-License-Identifier: MIT */
/*
 * Tests of synchronous IPC: call and reply with 0 to 6 words and up to
 * IPC_BUF_BYTES buffer bytes (to a thread of ours and to another process),
 * the limits of the tag, badges of minted handles, one-way send, and the
 * errors of reply and receive.
 */
#include <string.h>

#include "sys/thread.h"
#include "sys/units.h"
#include "utest.h"

/* Round trips with every word count: only the words the tag names travel. */
static void echo_words(struct test_ctx *t, handle_t ep)
{
	for (uint32_t n = 0; n <= IPC_WORDS; n++) {
		struct ipc_msg m = {.tag = IPC_TAG(UT_ECHO, n, 0, 0)};
		for (uint32_t i = 0; i < IPC_WORDS; i++)
			m.w[i] = 0x1000ull * (n + 1) + i + (1ull << 63);
		T_OK(ipc_call(ep, &m, TIMEOUT_NEVER));
		T_EQ(ut_status(m.tag), E_OK);
		T_EQ(IPC_TAG_WORDS(m.tag), n);
		T_EQ(IPC_TAG_BYTES(m.tag) | IPC_TAG_CAP(m.tag), 0);
		for (uint32_t i = 0; i < IPC_WORDS; i++)
			T_EQ(m.w[i], i < n ? ~(0x1000ull * (n + 1) + i + (1ull << 63)) : 0);
	}
}

/* Round trips with buffer bytes: exactly the bytes the tag names travel. */
static void echo_bytes(struct test_ctx *t, handle_t ep)
{
	static const uint32_t sizes[] = {1, 8, 100, 2047, IPC_BUF_BYTES};
	struct ipc_buffer *b = ipc_buffer();

	T_ASSERT(b != NULL);
	for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
		uint32_t n = sizes[k];
		struct ipc_msg m = {.tag = IPC_TAG(UT_ECHO, 1, 0, n), .w = {n}};
		ut_fill(b->data, n, k);
		memset(b->data + n, 0x33, IPC_BUF_BYTES - n);
		T_OK(ipc_call(ep, &m, TIMEOUT_NEVER));
		T_EQ(IPC_TAG_BYTES(m.tag), n);
		T_EQ(m.w[0], ~(uint64_t)n);
		for (uint32_t i = 0; i < n; i++)
			T_EQ(b->data[i], ut_pattern(k, i) ^ 0xFF);
		for (uint32_t i = n; i < IPC_BUF_BYTES; i++)
			T_EQ(b->data[i], 0x33); /* nothing past the count came back */
	}
}

TEST(ipc, ipc_words_thread, "call/reply with 0-6 words to a thread of ours")
{
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	echo_words(t, ep);
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

TEST(ipc, ipc_bytes_thread, "call/reply with up to IPC_BUF_BYTES buffer bytes to a thread of ours")
{
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	echo_bytes(t, ep);
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

TEST(ipc, ipc_words_bytes_process, "call/reply with 0-6 words and buffer bytes to another process")
{
	handle_t ep, child;

	T_OK(ut_server_process(&ep, &child));
	echo_words(t, ep);
	if (!t->failed)
		echo_bytes(t, ep);
	T_OK(ut_server_stop(ep, child));
}

TEST(ipc, ipc_tag_limits, "more than IPC_BUF_BYTES gives E_RANGE; word counts above 6 are cut to 6")
{
	struct ipc_msg m = {0};
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	m.tag = IPC_TAG(UT_ECHO, 0, 0, IPC_BUF_BYTES + 1);
	T_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_RANGE);
	m.tag = IPC_TAG(UT_ECHO, 0, 0, 0xFFF);
	T_EQ(ipc_send(ep, &m, 0), E_RANGE);
	m = (struct ipc_msg){.tag = IPC_TAG(UT_TAGINFO, 7, 0, 0)};
	T_OK(ipc_call(ep, &m, TIMEOUT_NEVER));
	T_EQ(IPC_TAG_LABEL(m.w[0]), UT_TAGINFO);
	T_EQ(IPC_TAG_WORDS(m.w[0]), IPC_WORDS);
	T_EQ(IPC_TAG_CAP(m.w[0]) | IPC_TAG_BYTES(m.w[0]), 0);
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

static long badge_of(handle_t h)
{
	struct ipc_msg m = {0};
	long status = ut_call(h, UT_BADGE, 0, &m);
	return status < 0 ? status : (long)m.w[0];
}

TEST(ipc, ipc_badges, "the server sees the badge of the handle each client calls through")
{
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	T_HANDLE(b1, sys_ep_mint(ep, 0x1111, R_SEND));
	T_HANDLE(b2, sys_ep_mint(ep, 0x2222, R_SEND | R_GRANT));
	T_HANDLE(b3, sys_ep_mint(ep, 0x3333, R_SEND | R_DUP));
	struct ipc_msg m = {0};

	T_EQ(badge_of(b1), 0x1111);
	T_EQ(badge_of(b2), 0x2222);
	T_EQ(badge_of(ep), 0);
	T_EQ(badge_of(b1), 0x1111);
	T_EQ(badge_of(b3), 0x3333);
	T_EQ(sys_ep_mint(b1, 9, R_SEND), E_RIGHTS);
	T_EQ(sys_ep_mint(b3, 9, R_SEND), E_INVAL); /* a badge is set once */
	T_EQ(ipc_recv(b1, &m, 0), E_RIGHTS);
	T_OK(sys_handle_close(b1));
	T_OK(sys_handle_close(b2));
	T_OK(sys_handle_close(b3));
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

TEST(ipc, ipc_badges_process, "badges reach a server in another process")
{
	handle_t ep, child;

	T_OK(ut_server_process(&ep, &child));
	T_HANDLE(b1, sys_ep_mint(ep, 0xAAAA0001, R_SEND));
	T_HANDLE(b2, sys_ep_mint(ep, 0xBBBB0002, R_SEND));
	T_EQ(badge_of(b1), 0xAAAA0001);
	T_EQ(badge_of(b2), 0xBBBB0002);
	T_EQ(badge_of(b1), 0xAAAA0001);
	T_OK(sys_handle_close(b1));
	T_OK(sys_handle_close(b2));
	T_OK(ut_server_stop(ep, child));
}

TEST(ipc, ipc_send_one_way,
     "send delivers without a reply; it waits for a receiver unless timeout 0")
{
	struct ut_probe p = {.msg = {.tag = 0}};
	struct ipc_msg m = {.tag = IPC_TAG(5, 3, 0, 0), .w = {7, 8, 9}};
	T_HANDLE(ep, sys_ep_create());

	T_EQ(ipc_send(ep, &m, 0), E_WOULDBLOCK);
	T_OK(ut_probe_start(ut_probe_recv, &p, ep, UT_PRIO_HIGH)); /* now blocked in recv */
	T_OK(ipc_send(ep, &m, 0));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, E_OK);
	T_EQ(IPC_TAG_LABEL(p.msg.tag), 5);
	T_EQ(IPC_TAG_WORDS(p.msg.tag), 3);
	T_EQ(p.msg.w[0] + p.msg.w[1] + p.msg.w[2], 24);
	T_EQ(p.extra, E_INVAL); /* nobody to reply to */
	/* a receiver that comes later gets a send that waited for it */
	T_OK(ut_probe_start(ut_probe_recv, &p, ep, UT_PRIO));
	T_OK(ipc_send(ep, &m, 1000 * MS));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, E_OK);
	T_EQ(p.msg.w[2], 9);
	T_OK(sys_handle_close(ep));
}

TEST(ipc, ipc_reply_errors, "reply needs a caller; recv with a caller unanswered is E_BUSY")
{
	struct ut_probe p = {.msg = {.tag = IPC_TAG(1, 1, 0, 0), .w = {41}}};
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());

	T_EQ(ipc_reply(HANDLE_INVALID, &m), E_INVAL);
	T_EQ(sys_reply_save(), E_INVAL);
	T_OK(ut_probe_start(ut_probe_call, &p, ep, UT_PRIO_HIGH)); /* queued on ep */
	T_OK(ipc_recv(ep, &m, TIMEOUT_NEVER));
	T_EQ(m.w[0], 41);
	T_EQ(ipc_recv(ep, &m, 0), E_BUSY);
	m.tag = IPC_TAG(0, 0, 0, IPC_BUF_BYTES + 1);
	T_EQ(ipc_reply(HANDLE_INVALID, &m), E_RANGE); /* refused; the caller still waits */
	T_EQ(p.done, 0);
	m = (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {42}};
	T_OK(ipc_reply(HANDLE_INVALID, &m));
	T_ASSERT(ut_wait_flag(&p.done, 1000));
	T_EQ(p.result, E_OK);
	T_EQ(p.msg.w[0], 42);
	T_EQ(ipc_reply(HANDLE_INVALID, &m), E_INVAL); /* answered already */
	T_OK(sys_handle_close(ep));
}

TEST(ipc, ipc_timeouts, "recv, send, call and ntfn_wait time out after at least their timeout")
{
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 0)};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	uint64_t start = sys_clock();

	T_EQ(ipc_recv(ep, &m, 0), E_TIMEOUT); /* a poll */
	T_EQ(sys_ntfn_wait(n, 0), E_TIMEOUT);
	T_ASSERT(ut_elapsed(start) < 20 * MS); /* not even a tick or two */
	long (*const ops[])(handle_t, struct ipc_msg *, uint64_t) = {ipc_recv, ipc_call};
	for (size_t i = 0; i < 2; i++) {
		start = sys_clock();
		T_EQ(ops[i](ep, &m, 5 * MS), E_TIMEOUT);
		T_ASSERT(ut_elapsed(start) >= 5 * MS);
	}
	start = sys_clock();
	T_EQ(ipc_send(ep, &m, 5 * MS), E_TIMEOUT);
	T_ASSERT(ut_elapsed(start) >= 5 * MS);
	start = sys_clock();
	T_EQ(sys_ntfn_wait(n, 5 * MS), E_TIMEOUT);
	T_ASSERT(ut_elapsed(start) >= 5 * MS);
	T_OK(sys_handle_close(ep));
	T_OK(sys_handle_close(n));
}

struct raw_ipc {
	handle_t ep;
	long send_result, recv_result;
	uint64_t recv_tag, recv_word;
	volatile int done;
};

static uint8_t raw_stack[8192] __attribute__((aligned(16)));

/* A raw thread: no IPC buffer of its own. */
static void raw_ipc_entry(uint64_t arg)
{
	struct raw_ipc *r = (struct raw_ipc *)arg;
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 8)};

	r->send_result = ipc_send(r->ep, &m, 0);
	r->recv_result = ipc_recv(r->ep, &m, 1000 * MS);
	r->recv_tag = m.tag;
	r->recv_word = m.w[0];
	r->done = 1;
	sys_thread_exit();
}

TEST(ipc, ipc_bytes_need_buffer, "without an IPC buffer, sending bytes is E_INVAL and none arrive")
{
	T_HANDLE(ep, sys_ep_create());
	struct raw_ipc r = {ep, 1, 1, 0, 0, 0};
	uintptr_t sp = (uintptr_t)(raw_stack + sizeof(raw_stack)) - 8;
	T_HANDLE(th, sys_thread_create(HANDLE_SELF, (uintptr_t)raw_ipc_entry, sp, (uint64_t)&r,
				       UT_PRIO_HIGH));
	struct ipc_msg m = {.tag = IPC_TAG(2, 1, 0, 16), .w = {99}};

	T_OK(sys_thread_start(th)); /* it sends, then blocks in recv */
	T_EQ(r.send_result, E_INVAL);
	T_OK(ipc_send(ep, &m, 0));
	T_ASSERT(ut_wait_flag(&r.done, 1000));
	T_EQ(r.recv_result, E_OK);
	T_EQ(IPC_TAG_LABEL(r.recv_tag), 2);
	T_EQ(IPC_TAG_WORDS(r.recv_tag), 1);
	T_EQ(IPC_TAG_BYTES(r.recv_tag), 0); /* nowhere to put them */
	T_EQ(r.recv_word, 99);
	T_OK(sys_handle_close(th));
	T_OK(sys_handle_close(ep));
}

struct silent_server {
	handle_t ep;
	long late_reply;
	volatile int received, release, done;
};

/* Takes one call and answers it only when told to, long after the caller gave up. */
static void silent_server_fn(void *arg)
{
	struct silent_server *s = arg;
	struct ipc_msg m = {0};

	if (ipc_recv(s->ep, &m, TIMEOUT_NEVER) == E_OK)
		s->received = 1;
	while (!s->release)
		sys_sleep(MS);
	m.tag = IPC_TAG(0, 0, 0, 0);
	s->late_reply = ipc_reply(HANDLE_INVALID, &m);
	s->done = 1;
}

/* A call with a 30 ms timeout that the silent server holds: E_TIMEOUT, then its late reply
 * finds no caller. With `waiting`, the server waits in its receive before the call comes (the
 * fastpath's case); otherwise the call may queue first. */
static void call_times_out(struct test_ctx *t, bool waiting)
{
	struct silent_server s = {0};
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 0)};

	T_HANDLE(ep, sys_ep_create());
	s.ep = ep;
	T_OK(thread_spawn(silent_server_fn, &s, UT_PRIO, NULL));
	if (waiting)
		sys_sleep(5 * MS);
	uint64_t start = sys_clock();
	T_EQ(ipc_call(ep, &m, 30 * MS), E_TIMEOUT);
	T_ASSERT(ut_elapsed(start) >= 30 * MS);
	T_ASSERT(s.received);
	s.release = 1;
	T_ASSERT(ut_wait_flag(&s.done, 1000));
	T_EQ(s.late_reply, E_INVAL);
	T_OK(sys_handle_close(ep));
}

TEST(ipc, ipc_call_timeout_covers_reply,
     "a call times out while the server holds it; the late reply finds no caller")
{
	call_times_out(t, false);
}

TEST(ipc, ipc_call_timeout_fastpath,
     "a call with a timeout to a waiting server (the fastpath's case) times out all the same")
{
	call_times_out(t, true);
}

struct timed_echo {
	handle_t ep, ntfn;
	volatile int done;
};

/* Answers calls until told to stop (label 2): after an even word a receive with a timeout of
 * its own (the C fastpath), after an odd one without (the asm fastpath takes the caller's
 * timer off). */
static void timed_echo_fn(void *arg)
{
	struct timed_echo *e = arg;
	struct ipc_msg m = {0};
	long err = ipc_recv(e->ep, &m, 20 * MS);

	while (err == E_OK && IPC_TAG_LABEL(m.tag) != 2) {
		m.tag = IPC_TAG(7, 1, 0, 0);
		m.w[0]++;
		err = ipc_reply_recv(e->ep, &m, m.w[0] & 1 ? 20 * MS : TIMEOUT_NEVER);
	}
	if (err == E_OK)
		ipc_reply(HANDLE_INVALID, &m);
	sys_sleep(80 * MS); /* then wake the client's long wait */
	sys_ntfn_signal(e->ntfn, 1);
	e->done = 1;
}

TEST(ipc, ipc_timers_end_with_the_reply,
     "calls with timeouts answered at once leave no timer behind: a later wait is not cut short")
{
	struct timed_echo e = {0};

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	e.ep = ep;
	e.ntfn = n;
	T_OK(thread_spawn(timed_echo_fn, &e, UT_PRIO_HIGH, NULL)); /* runs first: it waits */
	for (uint64_t i = 0; i < 50; i++) {
		struct ipc_msg m = {.tag = IPC_TAG(1, 1, 0, 0), .w = {i}};
		T_OK(ipc_call(ep, &m, 10 * MS)); /* each arms a timer the reply must take away */
		T_EQ(m.w[0], i + 1);
	}
	struct ipc_msg stop = {.tag = IPC_TAG(2, 0, 0, 0)};
	T_OK(ipc_call(ep, &stop, 10 * MS));
	uint64_t start = sys_clock();
	T_EQ(sys_ntfn_wait(n, TIMEOUT_NEVER), 1); /* a forgotten 10 ms timer would end it early */
	T_ASSERT(ut_elapsed(start) >= 60 * MS);
	T_ASSERT(ut_wait_flag(&e.done, 1000));
	T_OK(sys_handle_close(n));
	T_OK(sys_handle_close(ep));
}
