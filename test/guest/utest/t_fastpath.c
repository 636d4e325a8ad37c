/* SPDX-License-Identifier: MIT */
/*
 * The IPC fastpath against the general path (docs/ARCHITECTURE.md, "IPC
 * fastpath"): a seeded random sequence of calls, replies and receives in
 * which every request draws what decides the path (word count, buffer
 * bytes, a capability, a timeout, the handle (good, badged, receive-only,
 * empty, closed or a notification's), a reserved label, the
 * server's way of answering and its priority; now and then the server
 * thread exits with the call unanswered, and the client gets E_RESTARTED
 * and starts a new one). Each result is checked
 * against a model, and NOTE fastpath_trace is a hash of everything the
 * client saw: qemu-utest boots utest with the fastpath on and with
 * fastpath=off and requires the same hash from both.
 */
#include <string.h>

#include "sys/thread.h"
#include "utest.h"

#define FR_CALLS   3000
#define FR_SEED	   0x5EEDFA57ull
#define FR_QUIT	   0x7FFF
#define FR_BADGE_A 0xA1
#define FR_BADGE_B 0xB2

/* Ways a server answers, chosen by the client in w[1] (when it sends two words). */
enum { FR_REPLY_RECV, FR_REPLY_THEN_RECV, FR_REPLY_RECV_TIMEOUT, FR_REPLY_CAP, FR_DIE, FR_WAYS };

struct fr_server {
	handle_t ep, ntfn;
	unsigned prio;
	volatile int exited, died;
};

/* The way for a request of `in` words whose second word is `w1`; FR_DIE one time in eight. */
static int fr_way(uint32_t in, uint64_t w1)
{
	int way = in > 1 ? (int)(w1 % FR_WAYS) : FR_REPLY_RECV;

	return way == FR_DIE && (w1 / FR_WAYS) % 8 ? FR_REPLY_RECV : way;
}

static uint64_t fr_next(uint64_t *s)
{
	uint64_t x = *s; /* xorshift64 */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t fr_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001B3ull; /* FNV-1a style, a word at a time */
}

/* The reply the model expects for a request: label, word count, words. */
static uint32_t fr_reply_words(uint64_t tag, const uint64_t *w)
{
	return IPC_TAG_WORDS(tag) ? (uint32_t)(w[0] % (IPC_WORDS + 1)) : 0;
}

static uint64_t fr_reply_word(uint64_t w, uint64_t badge, uint32_t i, bool got_cap)
{
	return ~w + badge * 3 + i + (got_cap ? 0x10000 : 0);
}

/* Build the reply to `m` in place; its buffer bytes come back ^ 0x5A. */
static int fr_answer(struct fr_server *s, struct ipc_msg *m)
{
	uint32_t in = IPC_TAG_WORDS(m->tag) > IPC_WORDS ? IPC_WORDS : IPC_TAG_WORDS(m->tag);
	uint32_t out = fr_reply_words(m->tag, m->w), bytes = IPC_TAG_BYTES(m->tag);
	bool got_cap = IPC_TAG_CAP(m->tag);
	int way = fr_way(in, m->w[1]);

	if (got_cap)
		sys_handle_close(m->cap);
	for (uint32_t i = 0; i < bytes; i++)
		ipc_buffer()->data[i] ^= 0x5A;
	for (uint32_t i = 0; i < IPC_WORDS; i++)
		m->w[i] = i < in ? fr_reply_word(m->w[i], m->badge, i, got_cap) : 0;
	m->tag = IPC_TAG(IPC_TAG_LABEL(m->tag) ^ 0x0F0F, out, way == FR_REPLY_CAP, bytes);
	m->cap = way == FR_REPLY_CAP ? s->ntfn : HANDLE_INVALID;
	return way;
}

static void fr_serve(void *arg)
{
	struct fr_server *s = arg;
	struct ipc_msg m;
	long err = ipc_recv(s->ep, &m, TIMEOUT_NEVER);

	while (err == E_OK) {
		bool quit = IPC_TAG_LABEL(m.tag) == FR_QUIT;
		int way = fr_answer(s, &m);
		if (quit) {
			ipc_reply(HANDLE_INVALID, &m);
			break;
		}
		if (way == FR_DIE) { /* the thread ends with the call unanswered */
			s->died = 1;
			return;
		}
		if (way == FR_REPLY_RECV)
			err = ipc_reply_recv(s->ep, &m, TIMEOUT_NEVER);
		else if (way == FR_REPLY_RECV_TIMEOUT)
			err = ipc_reply_recv(s->ep, &m, 60000 * MS);
		else if ((err = ipc_reply(HANDLE_INVALID, &m)) == E_OK)
			err = ipc_recv(s->ep, &m, TIMEOUT_NEVER);
	}
	s->exited = 1;
}

struct fr_client {
	handle_t ep, minted_a, minted_b, recv_only, ntfn, stale;
	uint64_t rng, hash;
	struct fr_server *servers; /* two */
	int restarts;
};

/* After E_RESTARTED: start the server that died again, at its priority. */
static void fr_respawn(struct test_ctx *t, struct fr_client *c)
{
	for (int i = 0; i < 2; i++) {
		struct fr_server *s = &c->servers[i];
		if (s->died) {
			s->died = 0;
			c->restarts++;
			T_OK(thread_spawn(fr_serve, s, s->prio, NULL));
			return;
		}
	}
	T_FAIL("E_RESTARTED but no server died");
}

/* One random request, its expected outcome and the check of what came back. */
static void fr_one(struct test_ctx *t, struct fr_client *c)
{
	uint64_t r = fr_next(&c->rng);
	/* bad ones: an empty slot, a closed handle (its slot may be in use again), a notification
	 */
	const handle_t handles[8] = {c->ep,
				     c->ep,
				     c->ep,
				     c->minted_a,
				     c->minted_b,
				     c->recv_only,
				     (r >> 50) & 1 ? 0x7FFF0005u : c->stale,
				     (r >> 51) & 1 ? c->ntfn : c->ep};
	handle_t h = handles[r & 7];
	uint32_t words = (uint32_t)(r >> 3) % (IPC_WORDS + 2); /* 7: cut to 6 */
	uint32_t bytes = (r >> 6) % 8 == 0 ? (uint32_t)(r >> 9) % 64 + 1 : 0;
	bool cap = (r >> 15) % 16 == 0;
	uint16_t label = (r >> 19) % 64 == 0 ? (uint16_t)(0xFFFD + (r >> 25) % 3)
					     : (uint16_t)((r >> 27) % 0x7000);
	uint64_t timeouts[4] = {TIMEOUT_NEVER, TIMEOUT_NEVER, 0, 60000 * MS};
	uint64_t timeout = timeouts[(r >> 43) % 4];
	struct ipc_msg m = {.tag = IPC_TAG(label, words, cap, bytes)};
	uint64_t sent[IPC_WORDS];

	for (uint32_t i = 0; i < IPC_WORDS; i++)
		m.w[i] = sent[i] = fr_next(&c->rng);
	handle_t dup = cap ? (handle_t)sys_handle_dup(c->ntfn, R_WAIT | R_TRANSFER) : 0;
	m.cap = dup;
	for (uint32_t i = 0; i < bytes; i++)
		ipc_buffer()->data[i] = (uint8_t)(i * 7 + r);

	long want = E_OK;
	uint64_t badge = h == c->minted_a ? FR_BADGE_A : h == c->minted_b ? FR_BADGE_B : 0;
	if (h == 0x7FFF0005u || h == c->stale)
		want = E_BADHANDLE;
	else if (h == c->ntfn)
		want = E_TYPE;
	else if (h == c->recv_only)
		want = E_RIGHTS;
	else if (label >= 0xFFFD)
		want = E_INVAL;
	else if (cap && h == c->minted_b)
		want = E_RIGHTS; /* minted without R_GRANT */
	uint32_t in = words > IPC_WORDS ? IPC_WORDS : words;
	int way = fr_way(in, sent[1]);
	if (want == E_OK && way == FR_DIE)
		want = E_RESTARTED;
	long got = ipc_call(h, &m, timeout);
	if (cap) /* the sender keeps its own handle either way */
		T_OK(sys_handle_close(dup));
	T_EQ(got, want);
	c->hash = fr_mix(fr_mix(c->hash, (uint64_t)got), m.tag);
	if (got == E_RESTARTED)
		fr_respawn(t, c);
	if (got != E_OK)
		return;
	uint32_t out = in ? (uint32_t)(sent[0] % (IPC_WORDS + 1)) : 0;
	T_EQ(m.tag, IPC_TAG(label ^ 0x0F0F, out, way == FR_REPLY_CAP, bytes));
	for (uint32_t i = 0; i < IPC_WORDS; i++) {
		uint64_t w = i < in ? fr_reply_word(sent[i], badge, i, cap) : 0;
		T_EQ(m.w[i], i < out ? w : 0);
		c->hash = fr_mix(c->hash, m.w[i]);
	}
	for (uint32_t i = 0; i < bytes; i++)
		T_EQ(ipc_buffer()->data[i], (uint8_t)(i * 7 + r) ^ 0x5A);
	if (way == FR_REPLY_CAP) {
		T_ASSERT(m.cap != HANDLE_INVALID);
		T_OK(sys_handle_close(m.cap));
	} else {
		T_EQ(m.cap, HANDLE_INVALID);
	}
}

static void fr_stop(struct test_ctx *t, struct fr_client *c, struct fr_server *s, int n)
{
	for (int i = 0; i < n; i++) {
		struct ipc_msg m = {.tag = IPC_TAG(FR_QUIT, 0, 0, 0)};
		T_OK(ipc_call(c->ep, &m, TIMEOUT_NEVER));
	}
	for (int i = 0; i < n; i++)
		T_ASSERT(ut_wait_flag(&s[i].exited, 5000));
}

TEST(fastpath, random_sequences,
     "3,000 seeded random calls through both paths give what the model says; NOTE fastpath_trace")
{
	struct fr_server s[2] = {0};
	struct fr_client c = {.rng = FR_SEED, .hash = 0xCBF29CE484222325ull, .servers = s};

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(ntfn, sys_ntfn_create());
	c.ep = ep;
	c.ntfn = ntfn;
	T_HANDLE(a, sys_ep_mint(ep, FR_BADGE_A, R_SEND | R_GRANT));
	T_HANDLE(b, sys_ep_mint(ep, FR_BADGE_B, R_SEND));
	T_HANDLE(ro, sys_handle_dup(ep, R_RECV));
	c.minted_a = a;
	c.minted_b = b;
	c.recv_only = ro;
	T_HANDLE(gone, sys_ep_create());
	T_OK(sys_handle_close(gone));
	c.stale = gone;
	for (int i = 0; i < 2; i++) { /* one server level with us, one above */
		s[i] = (struct fr_server){
			.ep = ep, .ntfn = ntfn, .prio = i ? UT_PRIO_HIGH : UT_PRIO};
		T_OK(thread_spawn(fr_serve, &s[i], s[i].prio, NULL));
	}
	for (int i = 0; i < FR_CALLS && !t->failed; i++)
		fr_one(t, &c);
	fr_stop(t, &c, s, 2);
	test_note("fastpath_trace", c.hash >> 1, "hash");
	test_note("fastpath_restarts", (uint64_t)c.restarts, "server threads");
	T_ASSERT(c.restarts >= 10); /* the seed gives a few dozen */
	T_OK(sys_handle_close(ro));
	T_OK(sys_handle_close(b));
	T_OK(sys_handle_close(a));
	T_OK(sys_handle_close(ntfn));
	T_OK(sys_handle_close(ep));
}
