/* SPDX-License-Identifier: MIT */
/*
 * Helpers the tests share: time, memory patterns, the kernel counters of
 * SYS_KINFO, probes (threads blocked in one call), servers, and starting
 * utest children through the loader. Failures go through the framework
 * (test/test.h).
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "utest.h"

uint64_t ut_elapsed(uint64_t start)
{
	return sys_clock() - start;
}

bool ut_wait_flag(volatile int *flag, unsigned ms)
{
	for (unsigned i = 0; i < ms && !*flag; i++)
		sys_sleep(MS);
	return *flag != 0;
}

long ut_map_new(uintptr_t va, uint64_t pages, handle_t *mobj)
{
	long m = sys_mobj_create(pages * PAGE, 0);

	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, pages * PAGE, R_READ | R_WRITE);
	if (err < 0) {
		sys_handle_close((handle_t)m);
		return err;
	}
	*mobj = (handle_t)m;
	return E_OK;
}

uint8_t ut_pattern(uint64_t seed, size_t i)
{
	return (uint8_t)(i * 31 + seed * 7 + (i >> 8) + (i >> 16));
}

void ut_fill(void *p, size_t n, uint64_t seed)
{
	uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		b[i] = ut_pattern(seed, i);
}

bool ut_check(const void *p, size_t n, uint64_t seed)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != ut_pattern(seed, i))
			return false;
	return true;
}

long ut_kinfo(struct kinfo *k)
{
	memset(k, 0, sizeof(*k));
	return sys_kinfo(k);
}

struct kinfo_field {
	const char *name;
	size_t offset;
};

#define KF(f)                                                                                      \
	{                                                                                          \
#f, offsetof(struct kinfo, f)                                                      \
	}
static const struct kinfo_field kinfo_fields[] = {
	KF(frames_free), KF(heap_live_objects), KF(processes),
	KF(threads),	 KF(endpoints),		KF(notifications),
	KF(mobjs),	 KF(replies),		KF(page_tables),
};

static bool kinfo_equal(const struct kinfo *a, const struct kinfo *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(kinfo_fields); i++)
		if (*(const uint64_t *)((const char *)a + kinfo_fields[i].offset) !=
		    *(const uint64_t *)((const char *)b + kinfo_fields[i].offset))
			return false;
	return true;
}

bool ut_kinfo_wait(const struct kinfo *want, unsigned ms, struct kinfo *now)
{
	for (unsigned i = 0;; i++) {
		if (ut_kinfo(now) == E_OK && kinfo_equal(want, now))
			return true;
		if (i >= ms)
			return false;
		sys_sleep(MS);
	}
}

void ut_kinfo_same(struct test_ctx *t, const char *file, int line, const struct kinfo *a,
		   const struct kinfo *b)
{
	char diff[160] = "";
	size_t used = 0;

	for (size_t i = 0; i < ARRAY_SIZE(kinfo_fields); i++) {
		uint64_t x = *(const uint64_t *)((const char *)a + kinfo_fields[i].offset);
		uint64_t y = *(const uint64_t *)((const char *)b + kinfo_fields[i].offset);
		if (x != y && used < sizeof(diff))
			used += (size_t)snprintf(diff + used, sizeof(diff) - used, " %s %lu->%lu",
						 kinfo_fields[i].name, (unsigned long)x,
						 (unsigned long)y);
	}
	if (used)
		test_fail(t, file, line, "kernel counters moved:%s", diff);
}

bool ut_wait_threads(uint64_t threads, unsigned ms)
{
	struct kinfo k;

	for (unsigned i = 0;; i++) {
		if (ut_kinfo(&k) == E_OK && k.threads == threads)
			return true;
		if (i >= ms)
			return false;
		sys_sleep(MS);
	}
}

long ut_spawn(const char *role, const char *arg, handle_t give, unsigned prio)
{
	const char *argv[2] = {role, arg};
	handle_t loader = start_handle("parent", NULL);

	if (loader == HANDLE_INVALID)
		return E_NOENT;
	return loader_spawn(loader, "utest", arg ? 2 : 1, argv, prio, give, NULL);
}

int64_t ut_wait(handle_t process, uint64_t timeout)
{
	int64_t code;
	long err = sys_process_wait(process, timeout, &code);
	return err == E_OK ? code : UT_WAIT_ERROR(err);
}

int64_t ut_reap(handle_t child, uint64_t timeout)
{
	int64_t code = ut_wait(child, timeout);
	if (code == UT_WAIT_ERROR(E_TIMEOUT))
		sys_process_kill(child); /* leave nothing running behind a failed test */
	sys_handle_close(child);
	return code;
}

void ut_probe_recv(void *probe)
{
	struct ut_probe *p = probe;

	p->result = ipc_recv(p->ep, &p->msg, p->timeout);
	if (p->result == E_OK) {
		struct ipc_msg reply = {0};
		p->extra = ipc_reply(HANDLE_INVALID, &reply);
	}
	p->done = 1;
}

void ut_probe_call(void *probe)
{
	struct ut_probe *p = probe;

	p->result = ipc_call(p->ep, &p->msg, p->timeout);
	p->done = 1;
}

void ut_probe_wait(void *probe)
{
	struct ut_probe *p = probe;

	p->result = sys_ntfn_wait(p->ep, p->timeout);
	p->done = 1;
}

long ut_probe_start(void (*fn)(void *), struct ut_probe *p, handle_t ep, unsigned prio)
{
	struct ipc_msg msg = p->msg;

	*p = (struct ut_probe){.ep = ep, .timeout = TIMEOUT_NEVER, .msg = msg, .result = 1};
	return thread_spawn(fn, p, prio, NULL);
}

long ut_server_thread(handle_t *ep)
{
	long e = sys_ep_create();

	if (e < 0)
		return e;
	*ep = (handle_t)e;
	long err = thread_spawn(ut_serve_thread, (void *)(uintptr_t)e, UT_PRIO, NULL);
	if (err < 0)
		sys_handle_close(*ep);
	return err;
}

long ut_server_process(handle_t *ep, handle_t *child)
{
	long e = sys_ep_create();

	if (e < 0)
		return e;
	*ep = (handle_t)e;
	long c = ut_spawn("server", NULL, *ep, UT_PRIO);
	if (c < 0) {
		sys_handle_close(*ep);
		return c;
	}
	*child = (handle_t)c;
	return E_OK;
}

long ut_server_stop(handle_t ep, handle_t child)
{
	struct ipc_msg m = {0};
	long status = ut_call(ep, UT_QUIT, 0, &m);

	sys_handle_close(ep);
	if (child != HANDLE_INVALID) {
		long code = ut_reap(child, 5000 * MS);
		if (status == E_OK && code != 0)
			status = code < 0 ? code : E_INVAL;
	}
	return status;
}
