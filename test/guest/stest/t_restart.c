/* SPDX-License-Identifier: MIT */
/*
 * Restart under load: clients keep calling echo (stateless) and counter
 * (state in memory) while the test crashes them 100 times and hangs them
 * 20 times through the svc protocol. Each time the service must come back
 * as a new instance that answers; the clients may see only E_RESTARTED (or
 * E_TIMEOUT) and then success; the count must never be lost or corrupted;
 * and the kernel's counters (free frames, objects) must come back exactly.
 */
#include "proto/counter.h"
#include "stest.h"
#include "sys/fmt.h"

#define CRASHES	  100
#define HANGS	  20
#define BACK_MS	  5000 /* a crash or a hang must be recovered from within this */
#define ANSWER_MS 3000 /* and the new instance must then answer within this */

struct target {
	const char *name;
	handle_t ep;
	struct st_client client;
	void (*client_fn)(void *);
	uint32_t injected;
};

/* Wait until the client has had an answer it did not have before. */
static void wait_answer(struct test_ctx *t, struct target *g, uint64_t ok_before)
{
	for (unsigned i = 0; i < ANSWER_MS; i++) {
		if (g->client.ok > ok_before)
			return;
		sys_sleep(MS);
	}
	T_FAIL("%s: no answer from the new instance in %u ms", g->name, ANSWER_MS);
}

/* Inject one fault, then wait for the new instance and for it to answer. */
static void inject(struct test_ctx *t, struct target *g, enum svc_fault fault)
{
	struct svc_entry e;
	uint32_t kind = st_random(SVC_CRASH_KINDS), after = st_random(3);

	if (!st_status(t, g->name, &e))
		return;
	long err = svc_fault(st_ctl(), g->name, fault, kind, fault == SVC_FAULT_CRASH ? after : 0);
	if (err < 0) {
		T_FAIL("svc fi %s: %s", g->name, sys_error_name(err));
		return;
	}
	g->injected++;
	if (!st_wait_new_instance(t, g->name, e.pid, BACK_MS, &e))
		return;
	wait_answer(t, g, g->client.ok);
}

static long start_clients(struct target *g, int n)
{
	for (int i = 0; i < n; i++) {
		long err = st_client_start(&g[i].client, g[i].ep, g[i].client_fn);
		if (err < 0)
			return err;
	}
	return E_OK;
}

static void stop_clients(struct target *g, int n)
{
	for (int i = 0; i < n; i++)
		st_client_stop(&g[i].client);
}

/* One crash and one hang of each with the clients running, so that every
 * pool and cache the loop touches has grown before the counters are read. */
static void warm_up(struct test_ctx *t, struct target *g, int n)
{
	T_OK(start_clients(g, n));
	for (int i = 0; i < n && !t->failed; i++) {
		inject(t, &g[i], SVC_FAULT_CRASH);
		inject(t, &g[i], SVC_FAULT_HANG);
	}
	stop_clients(g, n);
}

/* NOTE <name>_extra <n> restarts: restarts beyond the faults injected. */
static void note_extra_restarts(const char *name, uint32_t extra)
{
	char key[48];

	snprintf(key, sizeof(key), "%s_extra", name);
	test_note(key, extra, "restarts");
}

/*
 * Each fault restarted the server once. More restarts are allowed, but
 * counted: a heartbeat missed because the host stalled the whole guest
 * (TCG time is host time) is a real, if needless, restart.
 */
static void check_restarts(struct test_ctx *t, const struct target *g, const uint32_t *before)
{
	struct svc_entry e;

	for (int i = 0; i < 2; i++) {
		if (!st_status(t, g[i].name, &e))
			return;
		uint32_t restarts = e.restarts - before[i];
		if (restarts < g[i].injected)
			T_FAIL("%s: %u restarts for %u faults", g[i].name, restarts, g[i].injected);
		if (restarts > g[i].injected)
			note_extra_restarts(g[i].name, restarts - g[i].injected);
	}
}

TEST(restart, restart_under_load,
     "100 crashes and 20 hangs of echo and counter while clients keep calling them")
{
	struct target g[2] = {{"echo", st_lookup(t, "echo"), {0}, st_echo_client, 0},
			      {"counter", st_lookup(t, "counter"), {0}, st_counter_client, 0}};
	struct kinfo base;
	struct svc_entry e;
	uint32_t before[2];

	T_RETURN_IF_FAILED();
	long count = st_counter_get(g[1].ep, NULL);
	T_ASSERT(count >= 0);
	g[1].client.count = (uint64_t)count;
	warm_up(t, g, 2);
	T_RETURN_IF_FAILED();
	for (int i = 0; i < 2; i++) {
		T_ASSERT(st_status(t, g[i].name, &e));
		before[i] = e.restarts;
		g[i].injected = 0;
	}
	sys_kinfo(&base);
	T_OK(start_clients(g, 2));
	for (int i = 0; i < CRASHES + HANGS && !t->failed; i++)
		inject(t, &g[i % 2], i % 6 == 5 ? SVC_FAULT_HANG : SVC_FAULT_CRASH);
	stop_clients(g, 2);
	T_RETURN_IF_FAILED();
	st_client_check(t, "echo", &g[0].client);
	st_client_check(t, "counter", &g[1].client);
	T_RETURN_IF_FAILED();
	check_restarts(t, g, before);
	T_RETURN_IF_FAILED();
	uint64_t instances = 0;
	T_EQ(st_counter_get(g[1].ep, &instances), (long)g[1].client.count);
	test_note("injected", CRASHES, "crashes");
	test_note("injected", HANGS, "hangs");
	test_note("counter", instances, "instances");
	T_KINFO_BACK(&base, 2000);
}
