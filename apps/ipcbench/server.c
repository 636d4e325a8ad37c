/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's server side: a tight reply_recv loop answering the
 * benchmark protocol (bench.h). It touches only what each case needs, so
 * the client's numbers are the kernel's cost plus the libsys wrappers.
 */
#include "bench.h"

struct server_state {
	handle_t ping, pong;
	volatile uint64_t *shm;
};

static uint64_t shm_sum(const volatile uint64_t *p)
{
	uint64_t sum = 0;
	for (unsigned i = 0; i < BENCH_SHM_BYTES / 8; i++)
		sum += p[i];
	return sum;
}

static void ntfn_loop(const struct server_state *s)
{
	for (;;) {
		long bits = sys_ntfn_wait(s->ping, TIMEOUT_NEVER);
		if (bits < 0 || (bits & BENCH_NTFN_STOP))
			return;
		sys_ntfn_signal(s->pong, BENCH_NTFN_PING);
	}
}

/* The high-priority waiter of signal_oneway: word 1 of the shared page is the
 * TSC just after each wait returns, until the client signals stop. */
static void stamp_loop(const struct server_state *s)
{
	for (;;) {
		long bits = sys_ntfn_wait(s->ping, TIMEOUT_NEVER);
		uint64_t now = sys_rdtsc();
		if (bits < 0 || (bits & BENCH_NTFN_STOP))
			return;
		s->shm[1] = now;
	}
}

/* Hands each turn back to the client until it says stop; sys_yield runs it.
 * A BENCH_TURN_STAMP turn first writes the TSC to word 1 (yield_oneway). */
static void yield_loop(volatile uint64_t *turn)
{
	for (int waited = 0; waited < BENCH_YIELD_PATIENCE; waited++) {
		uint64_t t = *turn;
		if (t == BENCH_TURN_STAMP)
			turn[1] = sys_rdtsc();
		if (t == BENCH_TURN_STOP)
			return;
		if (t == BENCH_TURN_SERVER || t == BENCH_TURN_STAMP) {
			*turn = BENCH_TURN_CLIENT;
			waited = 0;
		}
		sys_yield();
	}
}

static void take_cap(struct server_state *s, struct ipc_msg *m)
{
	if (!IPC_TAG_CAP(m->tag))
		return;
	if (IPC_TAG_LABEL(m->tag) == BENCH_SHM_SETUP) {
		if (sys_mobj_map(HANDLE_SELF, m->cap, BENCH_SHM_VA, 0, BENCH_SHM_BYTES,
				 R_READ | R_WRITE) == 0)
			s->shm = (volatile uint64_t *)BENCH_SHM_VA;
	} else if (!s->ping) {
		s->ping = m->cap;
	} else {
		s->pong = m->cap;
	}
}

/* Turn the request in `m` into its reply; false when asked to quit. */
static int handle(struct server_state *s, struct ipc_msg *m)
{
	switch (IPC_TAG_LABEL(m->tag)) {
	case BENCH_SHM_SUM:
		m->w[0] = s->shm ? shm_sum(s->shm) : 0;
		m->tag = IPC_TAG(0, 1, 0, 0);
		return 1;
	case BENCH_NTFN_LOOP:
		m->tag = IPC_TAG(0, 0, 0, 0);
		ipc_reply(HANDLE_INVALID, m);
		ntfn_loop(s);
		return 2; /* already replied */
	case BENCH_YIELD_LOOP:
		m->tag = IPC_TAG(0, 0, 0, 0);
		ipc_reply(HANDLE_INVALID, m);
		if (s->shm)
			yield_loop(s->shm);
		return 2;
	case BENCH_STAMP_LOOP:
		m->tag = IPC_TAG(0, 0, 0, 0);
		ipc_reply(HANDLE_INVALID, m);
		if (s->shm && s->ping)
			stamp_loop(s);
		return 2;
	case BENCH_QUIT:
		return 0;
	default:
		take_cap(s, m);
		m->tag = IPC_TAG(0, 0, 0, 0);
		return 1;
	}
}

/*
 * BENCH_ECHO requests, each answered as handle() would, in a loop of their
 * own: its message is a local that is dead when a receive fails, so GCC
 * keeps the words in the registers they arrive in from one reply_recv to
 * the next instead of storing them for a failure that would keep the old
 * ones. Returns at the first other request, left in `m`, or the error.
 */
static long echo_loop(handle_t ep, struct ipc_msg *m)
{
	struct ipc_msg e = *m;
	long err;

	do {
		e.tag = IPC_TAG(0, IPC_TAG_WORDS(e.tag), 0, 0);
		err = ipc_reply_recv(ep, &e, TIMEOUT_NEVER);
	} while (err == E_OK && IPC_TAG_LABEL(e.tag) == BENCH_ECHO);
	if (err == E_OK)
		*m = e;
	return err;
}

int bench_serve(handle_t ep)
{
	struct server_state s = {0};
	struct ipc_msg m = {0};
	long err = ipc_recv(ep, &m, TIMEOUT_NEVER);

	while (err == E_OK) {
		if (IPC_TAG_LABEL(m.tag) == BENCH_ECHO) {
			err = echo_loop(ep, &m);
			continue;
		}
		int r = handle(&s, &m);
		if (r == 0)
			break;
		err = r == 1 ? ipc_reply_recv(ep, &m, TIMEOUT_NEVER)
			     : ipc_recv(ep, &m, TIMEOUT_NEVER);
	}
	m.tag = IPC_TAG(0, 0, 0, 0);
	ipc_reply(HANDLE_INVALID, &m);
	return err == E_OK ? 0 : 1;
}
