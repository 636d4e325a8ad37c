/* SPDX-License-Identifier: MIT */
/*
 * ipcbench client: starts the server (a second process through the loader,
 * and a thread of its own for the same-address-space cases), times each case
 * BENCH_ITERATIONS times and prints `BENCH <name> <median> ticks n=<count>`.
 * The median of single measurements is reported, less the cost of the two
 * counter reads themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "proto/loader.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/thread.h"

typedef void (*bench_fn)(void *ctx);

static uint64_t samples[BENCH_ITERATIONS];
static uint64_t overhead;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void sort_u64(uint64_t *v, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2) /* shell sort: no qsort in libsys */
		for (int i = gap; i < n; i++)
			for (int j = i; j >= gap && cmp_u64(&v[j - gap], &v[j]) > 0; j -= gap) {
				uint64_t t = v[j];
				v[j] = v[j - gap];
				v[j - gap] = t;
			}
}

static uint64_t measure(bench_fn fn, void *ctx)
{
	for (int i = 0; i < BENCH_WARMUP; i++)
		fn(ctx);
	for (int i = 0; i < BENCH_ITERATIONS; i++) {
		uint64_t t0 = sys_rdtsc();
		fn(ctx);
		uint64_t t1 = sys_rdtsc();
		samples[i] = t1 - t0;
	}
	sort_u64(samples, BENCH_ITERATIONS);
	uint64_t med = samples[BENCH_ITERATIONS / 2];
	return med > overhead ? med - overhead : 0;
}

/* The median of samples that `fn` measures itself (a one-way time across a switch). */
static uint64_t median_of(uint64_t (*fn)(void *ctx), void *ctx)
{
	for (int i = 0; i < BENCH_WARMUP; i++)
		fn(ctx);
	for (int i = 0; i < BENCH_ITERATIONS; i++)
		samples[i] = fn(ctx);
	sort_u64(samples, BENCH_ITERATIONS);
	return samples[BENCH_ITERATIONS / 2];
}

static void report(const char *name, bench_fn fn, void *ctx, unsigned per)
{
	uint64_t v = measure(fn, ctx) / per;
	printf("BENCH %s %lu ticks n=%d\n", name, (unsigned long)v, BENCH_ITERATIONS);
}

static void nothing(void *ctx)
{
	(void)ctx;
}

static void null_syscall(void *ctx)
{
	(void)ctx;
	sys_null();
}

struct call_ctx {
	handle_t ep;
	uint32_t words;
};

static void call_echo(void *ctx)
{
	struct call_ctx *c = ctx;
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_ECHO, c->words, 0, 0), .w = {1, 2, 3, 4, 5, 6}};
	ipc_call(c->ep, &m, TIMEOUT_NEVER);
}

/* call_echo with a timeout, as protocol clients call. */
static void call_echo_timeout(void *ctx)
{
	struct call_ctx *c = ctx;
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_ECHO, c->words, 0, 0), .w = {1, 2, 3, 4, 5, 6}};
	ipc_call(c->ep, &m, BENCH_CALL_TIMEOUT);
}

static void call_buffer_4k(void *ctx)
{
	struct call_ctx *c = ctx;
	for (int half = 0; half < 2; half++) { /* the buffer holds 2 KiB: two calls */
		memset(ipc_buffer()->data, half, IPC_BUF_BYTES);
		struct ipc_msg m = {.tag = IPC_TAG(BENCH_BUF, 0, 0, IPC_BUF_BYTES)};
		ipc_call(c->ep, &m, TIMEOUT_NEVER);
	}
}

static void call_shm_4k(void *ctx)
{
	struct call_ctx *c = ctx;
	memset((void *)BENCH_SHM_VA, 7, BENCH_SHM_BYTES);
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_SHM_SUM, 0, 0, 0)};
	ipc_call(c->ep, &m, TIMEOUT_NEVER);
}

struct ntfn_ctx {
	handle_t ping, pong;
};

static void ntfn_round_trip(void *ctx)
{
	struct ntfn_ctx *n = ctx;
	sys_ntfn_signal(n->ping, BENCH_NTFN_PING);
	sys_ntfn_wait(n->pong, TIMEOUT_NEVER);
}

static long send_cap(handle_t ep, uint16_t label, handle_t cap)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, 0, 1, 0), .cap = cap};
	return ipc_call(ep, &m, TIMEOUT_NEVER);
}

/* The signal -> wait round trip; returns the ping notification the server waits on. */
static handle_t run_ntfn(handle_t ep)
{
	struct ntfn_ctx n = {(handle_t)sys_ntfn_create(), (handle_t)sys_ntfn_create()};
	send_cap(ep, BENCH_NTFN_SETUP, n.ping);
	send_cap(ep, BENCH_NTFN_SETUP, n.pong);
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_NTFN_LOOP, 0, 0, 0)};
	ipc_call(ep, &m, TIMEOUT_NEVER);
	report("ntfn_roundtrip_xas", ntfn_round_trip, &n, 1);
	sys_ntfn_signal(n.ping, BENCH_NTFN_STOP);
	return n.ping;
}

struct signal_ctx {
	handle_t ping, done;
	volatile uint64_t *stamp; /* word 1 of the shared page */
	int missed;		  /* samples where the waiter had not run when signal returned */
};

/* One way: our TSC before the signal to the server, waiting at a higher
 * priority, less its TSC when its wait returned (it runs before our signal does). */
static uint64_t signal_oneway(void *ctx)
{
	struct signal_ctx *s = ctx;
	*s->stamp = 0;
	uint64_t t0 = sys_rdtsc();
	sys_ntfn_signal(s->ping, BENCH_NTFN_PING);
	uint64_t t1 = *s->stamp;
	s->missed += t1 < t0;
	return t1 - t0;
}

/* The signaller: a thread of ours one priority below the server's waiter. */
static void signal_thread(void *arg)
{
	struct signal_ctx *s = arg;
	uint64_t v = median_of(signal_oneway, s);

	if (s->missed)
		printf("ipcbench: signal_oneway skipped: the waiter did not run first (%d)\n",
		       s->missed);
	else
		printf("BENCH signal_oneway %lu ticks n=%d\n", (unsigned long)v, BENCH_ITERATIONS);
	sys_ntfn_signal(s->done, 1);
}

/* Signal to a higher-priority waiting process, one way (after run_ntfn, run_shm). */
static void run_signal(handle_t ep, handle_t ping)
{
	struct signal_ctx s = {ping, (handle_t)sys_ntfn_create(),
			       (volatile uint64_t *)BENCH_SHM_VA + 1, 0};
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_STAMP_LOOP, 0, 0, 0)};
	handle_t t;

	ipc_call(ep, &m, TIMEOUT_NEVER);
	if (thread_spawn(signal_thread, &s, BENCH_SIGNALLER_PRIORITY, &t) == E_OK) {
		sys_ntfn_wait(s.done, TIMEOUT_NEVER);
		sys_handle_close(t);
	} else {
		printf("ipcbench: cannot start the signalling thread\n");
	}
	sys_ntfn_signal(ping, BENCH_NTFN_STOP);
	sys_handle_close(s.done);
}

static void run_shm(handle_t ep)
{
	long shm = sys_mobj_create(BENCH_SHM_BYTES, 0);
	sys_mobj_map(HANDLE_SELF, (handle_t)shm, BENCH_SHM_VA, 0, BENCH_SHM_BYTES,
		     R_READ | R_WRITE);
	send_cap(ep, BENCH_SHM_SETUP, (handle_t)shm);
	struct call_ctx c = {ep, 0};
	report("copy_4k_shm", call_shm_4k, &c, 1);
}

static void yield_round_trip(void *ctx)
{
	volatile uint64_t *turn = ctx;
	*turn = BENCH_TURN_SERVER;
	while (*turn != BENCH_TURN_CLIENT)
		sys_yield();
}

/* One way: our TSC before the yield less the server's at its yield's return. */
static uint64_t yield_oneway(void *ctx)
{
	volatile uint64_t *turn = ctx;
	uint64_t t0 = sys_rdtsc();
	*turn = BENCH_TURN_STAMP;
	while (*turn != BENCH_TURN_CLIENT)
		sys_yield();
	return turn[1] - t0;
}

/* One round trip with a bound: false if yielding never runs the server. */
static int yield_probe(volatile uint64_t *turn)
{
	*turn = BENCH_TURN_SERVER;
	for (int i = 0; i < BENCH_YIELD_PATIENCE && *turn != BENCH_TURN_CLIENT; i++)
		sys_yield();
	return *turn == BENCH_TURN_CLIENT;
}

/* Yield ping-pong with the server on the shared page (after run_shm). */
static void run_yield(handle_t ep)
{
	volatile uint64_t *turn = (volatile uint64_t *)BENCH_SHM_VA;
	*turn = BENCH_TURN_CLIENT;
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_YIELD_LOOP, 0, 0, 0)};
	ipc_call(ep, &m, TIMEOUT_NEVER);
	if (yield_probe(turn)) {
		report("yield_roundtrip", yield_round_trip, (void *)turn, 1);
		printf("BENCH yield_oneway %lu ticks n=%d\n",
		       (unsigned long)median_of(yield_oneway, (void *)turn), BENCH_ITERATIONS);
	} else
		printf("ipcbench: yield_roundtrip skipped: the server runs at another priority\n");
	*turn = BENCH_TURN_STOP;
}

/* The cases against a server in another address space. */
static void run_cross(handle_t ep)
{
	struct call_ctx c0 = {ep, 0}, c6 = {ep, 6};
	report("call_reply_xas_0w", call_echo, &c0, 1);
	report("call_reply_xas_6w", call_echo, &c6, 1);
	report("call_reply_xas_timeout", call_echo_timeout, &c0, 1);
	report("copy_4k_ipcbuf", call_buffer_4k, &c0, 1);
	run_shm(ep);
	run_yield(ep);
	run_signal(ep, run_ntfn(ep));
}

static void server_thread(void *arg)
{
	bench_serve((handle_t)(uintptr_t)arg);
}

/* The cases against a thread of our own process. */
static void run_same(void)
{
	long ep = sys_ep_create();
	handle_t t;

	if (ep < 0 || thread_spawn(server_thread, (void *)ep, 10, &t) != E_OK) {
		printf("ipcbench: cannot start the server thread\n");
		return;
	}
	struct call_ctx c0 = {(handle_t)ep, 0}, c6 = {(handle_t)ep, 6};
	report("call_reply_sas_0w", call_echo, &c0, 1);
	report("call_reply_sas_6w", call_echo, &c6, 1);
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_QUIT, 0, 0, 0)};
	ipc_call((handle_t)ep, &m, TIMEOUT_NEVER);
	sys_handle_close(t);
	sys_handle_close((handle_t)ep);
}

/* A second ipcbench process, serving the endpoint it is given as "parent". */
static long start_server(handle_t *ep)
{
	handle_t loader = start_handle("parent", NULL);
	const char *argv[] = {"server"};
	long e = sys_ep_create();

	if (loader == HANDLE_INVALID || e < 0)
		return E_NOENT;
	*ep = (handle_t)e;
	return loader_spawn(loader, "ipcbench", 1, argv, 10, *ep, NULL);
}

int main(int argc, char **argv)
{
	handle_t ep;

	if (argc > 0 && strcmp(argv[0], "server") == 0)
		return bench_serve(start_handle("parent", NULL));
	overhead = 0;
	overhead = measure(nothing, NULL);
	printf("BENCH rdtsc_pair %lu ticks n=%d\n", (unsigned long)overhead, BENCH_ITERATIONS);
	report("null_syscall", null_syscall, NULL, 1);
	run_same();
	long server = start_server(&ep);
	if (server < 0) {
		printf("ipcbench: cannot start the server process: %s\n", sys_error_name(server));
		return 1;
	}
	run_cross(ep);
	struct ipc_msg m = {.tag = IPC_TAG(BENCH_QUIT, 0, 0, 0)};
	ipc_call(ep, &m, TIMEOUT_NEVER);
	int64_t code;
	sys_process_wait((handle_t)server, TIMEOUT_NEVER, &code);
	printf("BENCH done\n");
	return 0;
}
