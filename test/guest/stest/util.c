/* SPDX-License-Identifier: MIT */
/*
 * Helpers the supervision tests share: name lookups, waiting for a service
 * to come back as a new instance or reach a state, the kernel counters that
 * must come back, and small numeric helpers. They fail a test through the
 * framework (test/test.h).
 */
#include <string.h>

#include "proto/ns.h"
#include "stest.h"
#include "sys/fmt.h"
#include "sys/units.h"
#include "test/bench.h"

handle_t st_lookup(struct test_ctx *t, const char *name)
{
	long h = ns_lookup_self(name);

	if (h < 0) {
		T_FAIL("ns_lookup %s: %s", name, sys_error_name(h));
		return HANDLE_INVALID;
	}
	return (handle_t)h;
}

handle_t st_ctl(void)
{
	static handle_t ctl;

	if (ctl == HANDLE_INVALID) {
		long h = ns_lookup_self("svc");
		ctl = h < 0 ? HANDLE_INVALID : (handle_t)h;
	}
	return ctl;
}

bool st_status(struct test_ctx *t, const char *name, struct svc_entry *e)
{
	long err = svc_status(st_ctl(), name, e);

	if (err < 0)
		T_FAIL("svc_status %s: %s", name, sys_error_name(err));
	return err == E_OK;
}

bool st_wait_new_instance(struct test_ctx *t, const char *name, uint64_t old_pid, unsigned ms,
			  struct svc_entry *e)
{
	for (unsigned i = 0; i <= ms; i++) {
		if (!st_status(t, name, e))
			return false;
		if (e->state == SVC_RUNNING && e->pid != old_pid)
			return true;
		sys_sleep(MS);
	}
	T_FAIL("%s not back after %u ms (state %s, pid %lu)", name, ms, svc_state_name(e->state),
	       (unsigned long)e->pid);
	return false;
}

bool st_wait_state(struct test_ctx *t, const char *name, uint32_t state, unsigned ms,
		   struct svc_entry *e)
{
	for (unsigned i = 0; i <= ms; i++) {
		if (!st_status(t, name, e))
			return false;
		if (e->state == state)
			return true;
		sys_sleep(MS);
	}
	T_FAIL("%s still %s after %u ms, want %s", name, svc_state_name(e->state), ms,
	       svc_state_name(state));
	return false;
}

uint32_t st_random(uint32_t below)
{
	static uint32_t x;

	if (x == 0)
		x = (uint32_t)sys_rdtsc() | 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return below ? x % below : x;
}

uint64_t st_median(uint64_t *v, int n)
{
	return n > 0 ? test_median(v, (unsigned)n) : 0;
}
