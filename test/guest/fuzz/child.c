/* SPDX-License-Identifier: MIT */
/*
 * A fuzzing child: `fuzz child SEED INDEX`, started by the parent through
 * the loader with the shared page (which holds its budget of calls) as its
 * "parent" handle. It keeps nothing else it was given (the name service
 * would let it reach real servers; this fuzzer aims at the kernel), makes
 * one object of each kind to start from (endpoints, a bound notification,
 * memory objects, the stub code, raw processes running the stub, a saved
 * reply), then runs FZ_WORKERS threads of random calls until the budget is
 * spent. The main thread only watches: if nothing moves for a while (every
 * worker blocked for good) it ends the child with FZ_EXIT_STALLED.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sys/start.h"
#include "sys/thread.h"

#define STALL_NS      (200 * MS)
#define WATCH_NS      (2 * MS)
#define RAW_QUOTA     64 /* pages */
#define RAW_PROCESSES 2

static struct fz_thread threads[FZ_WORKERS + 1];
static uint8_t scratch[FZ_WORKERS + 1][FZ_SCRATCH] __attribute__((aligned(64)));
static const unsigned worker_prio[FZ_WORKERS] = {10, 9, 9, 8};
static handle_t code_mobj;

/* The shared page, mapped at FZ_SHARED_VA; the start handles are closed. */
static struct fz_shared *map_shared(void)
{
	handle_t h = start_handle("parent", NULL);
	handle_t ns = start_handle("ns", NULL);
	long err = sys_mobj_map(HANDLE_SELF, h, FZ_SHARED_VA, 0, PAGE, R_READ | R_WRITE);

	sys_handle_close(h);
	if (ns != HANDLE_INVALID)
		sys_handle_close(ns);
	if (err < 0)
		return NULL;
	struct fz_shared *s = (struct fz_shared *)FZ_SHARED_VA;
	return s->magic == FZ_MAGIC ? s : NULL;
}

static long map_new(uintptr_t va, uint32_t rights, handle_t *out)
{
	long m = sys_mobj_create(PAGE, 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, PAGE, rights);
	if (err < 0)
		sys_handle_close((handle_t)m);
	else
		*out = (handle_t)m;
	return err;
}

long fz_stub_object(handle_t *out)
{
	size_t n = (size_t)(fz_stub_end - fz_stub_start);
	long err = map_new(FZ_STAGING_VA, R_READ | R_WRITE, out);

	if (err < 0)
		return err;
	memcpy((void *)FZ_STAGING_VA, fz_stub_start, n);
	return sys_unmap(HANDLE_SELF, FZ_STAGING_VA, PAGE);
}

/* The stub's code in a memory object, mapped executable at FZ_CODE_VA here. */
static long make_code(void)
{
	long err = fz_stub_object(&code_mobj);

	if (err < 0)
		return err;
	return sys_mobj_map(HANDLE_SELF, code_mobj, FZ_CODE_VA, 0, PAGE, R_READ | R_EXEC);
}

/* A raw process with the stub mapped, an endpoint of ours and a thread on it. */
static void make_raw_process(struct fz_thread *t, handle_t ep)
{
	long p = sys_process_create_ex("fz-raw", 6, RAW_QUOTA, 6);

	if (p < 0)
		return;
	fz_pool_put(t, FK_PROC, (handle_t)p);
	sys_mobj_map((handle_t)p, code_mobj, FZ_CODE_VA, 0, PAGE, R_READ | R_EXEC);
	long g = sys_handle_grant((handle_t)p, ep, R_SEND | R_RECV | R_GRANT | R_TRANSFER);
	if (g < 0)
		return;
	fz_pool_foreign((handle_t)g);
	long th = sys_thread_create((handle_t)p, FZ_CODE_VA, 0, (uint64_t)g, 5);
	if (th < 0)
		return;
	fz_pool_put(t, FK_THREAD, (handle_t)th);
	if (fz_percent(&t->rng, 50))
		sys_thread_start((handle_t)th);
}

static void reply_caller(void *ep)
{
	struct ipc_msg m = {.tag = IPC_TAG(1, 0, 0, 0)};

	ipc_call((handle_t)(uintptr_t)ep, &m, 50 * MS);
}

/* A saved reply: a thread of ours calls, we receive and save the reply. */
static void make_reply(struct fz_thread *t, handle_t ep)
{
	struct ipc_msg m = {0};

	if (thread_spawn(reply_caller, (void *)(uintptr_t)ep, 10, NULL) < 0)
		return;
	if (ipc_recv(ep, &m, 20 * MS) < 0)
		return;
	long r = sys_reply_save();
	if (r >= 0)
		fz_pool_put(t, FK_REPLY, (handle_t)r);
	else
		ipc_reply(HANDLE_INVALID, &m);
}

static void put_new(struct fz_thread *t, enum fz_kind k, long h)
{
	if (h >= 0)
		fz_pool_put(t, k, (handle_t)h);
}

static long make_objects(struct fz_thread *t)
{
	long ep = sys_ep_create(), ep2 = sys_ep_create(), n = sys_ntfn_create();
	handle_t edge;

	if (ep < 0 || ep2 < 0 || n < 0 || make_code() < 0)
		return E_NOMEM;
	if (map_new(FZ_EDGE_VA, R_READ | R_WRITE, &edge) < 0)
		return E_NOMEM;
	sys_ep_bind((handle_t)ep2, (handle_t)n);
	put_new(t, FK_EP, ep);
	put_new(t, FK_EP, ep2);
	put_new(t, FK_EP, sys_ep_mint((handle_t)ep, fz_next(&t->rng) | 1, R_SEND | R_GRANT));
	put_new(t, FK_NTFN, n);
	put_new(t, FK_NTFN, sys_ntfn_create());
	put_new(t, FK_MOBJ, sys_mobj_create(4 * PAGE, 0));
	put_new(t, FK_MOBJ, edge);
	put_new(t, FK_MOBJ, sys_handle_dup(code_mobj, R_READ | R_EXEC | R_DUP | R_TRANSFER));
	for (int i = 0; i < RAW_PROCESSES; i++)
		make_raw_process(t, (handle_t)ep);
	make_reply(t, (handle_t)ep);
	return E_OK;
}

static void worker(void *arg)
{
	struct fz_thread *t = arg;

	t->tls = (uint64_t)(uintptr_t)sys_tls_self();
	while (__atomic_load_n(&t->shared->calls, __ATOMIC_RELAXED) < t->shared->budget)
		fz_one_call(t);
}

static void thread_init(struct fz_thread *t, int index, uint64_t seed, struct fz_shared *s)
{
	fz_rng_seed(&t->rng, seed + (uint64_t)index * 0x9E3779B97F4A7C15ull);
	t->index = index;
	t->scratch = scratch[index];
	t->shared = s;
	t->tls = (uint64_t)(uintptr_t)sys_tls_self();
}

/* Until the budget is spent, or nothing has moved for STALL_NS. */
static int watch(struct fz_shared *s)
{
	uint64_t last = 0, still = 0;

	while (__atomic_load_n(&s->calls, __ATOMIC_RELAXED) < s->budget) {
		sys_sleep(WATCH_NS);
		uint64_t now = __atomic_load_n(&s->calls, __ATOMIC_RELAXED);
		still = now == last ? still + WATCH_NS : 0;
		last = now;
		if (still >= STALL_NS)
			return FZ_EXIT_STALLED;
	}
	s->stage = FZ_STAGE_DONE;
	return FZ_EXIT_DONE;
}

int fz_child_main(int argc, char **argv)
{
	struct fz_shared *s = map_shared();

	if (!s || argc < 3)
		return FZ_EXIT_SETUP;
	uint64_t seed = strtoul(argv[1], NULL, 0);
	s->stage = FZ_STAGE_START;
	thread_init(&threads[FZ_WORKERS], FZ_WORKERS, seed, s);
	if (make_objects(&threads[FZ_WORKERS]) < 0)
		return FZ_EXIT_SETUP;
	s->stage = FZ_STAGE_RUNNING;
	for (int i = 0; i < FZ_WORKERS; i++) {
		thread_init(&threads[i], i, seed, s);
		thread_spawn(worker, &threads[i], worker_prio[i], NULL);
	}
	return watch(s);
}
