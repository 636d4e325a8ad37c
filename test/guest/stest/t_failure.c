/* SPDX-License-Identifier: MIT */
/*
 * Failures the supervisor must contain: a server that crashes at start-up
 * (crashy) is given up after its back-off, and a server that leaks memory
 * (echo, after `svc fi echo leak`) is stopped by its quota, found hung and
 * restarted, while the other services keep answering and the free memory
 * never drops by more than that quota.
 */
#include "proto/echo.h"
#include "stest.h"
#include "sys/stdio.h"

#define GIVEUP_MS 10000
#define LEAK_MS	  5000
#define PAGE	  4096u

/* One ECHO_ECHO call; E_OK if the answer is right. */
static long echo_once(handle_t ep)
{
	struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 1, 0, 0), .w = {41}};
	long err = ipc_call(ep, &m, ST_CLIENT_TIMEOUT);

	if (err < 0)
		return err;
	return IPC_TAG_LABEL(m.tag) == 0 && m.w[0] == 42 ? E_OK : E_INVAL;
}

TEST(failure, giveup_crashy, "a server that crashes at start-up is given up; the rest runs")
{
	struct svc_entry e;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_OK(svc_control(st_ctl(), SVC_START, "crashy"));
	if (!st_wait_state(t, "crashy", SVC_FAILED, GIVEUP_MS, &e))
		return;
	test_note("crashy_before_giving_up", e.restarts, "restarts");
	T_EQ(e.failures, 5);
	T_EQ(e.restarts, 4);
	T_EQ(e.pid, 0);
	T_OK(echo_once(echo)); /* the others run on */
	T_ASSERT(st_status(t, "counter", &e) && e.state == SVC_RUNNING);
	T_ASSERT(st_status(t, "loader", &e) && e.state == SVC_RUNNING);
}

/* Poll until echo is back as a new instance, tracking the lowest free memory. */
static bool watch_leak(struct test_ctx *t, uint64_t old_pid, uint64_t *low, struct st_client *c)
{
	struct svc_entry e;
	struct kinfo k;

	for (unsigned i = 0; i < LEAK_MS; i++) {
		if (sys_kinfo(&k) == E_OK && k.frames_free < *low)
			*low = k.frames_free;
		if (!st_status(t, "echo", &e))
			return false;
		if (e.state == SVC_RUNNING && e.pid != old_pid && c->ok)
			return true;
		sys_sleep(MS);
	}
	T_FAIL("echo not back %u ms after the leak", LEAK_MS);
	return false;
}

TEST(failure, leak_quota, "a leaking server is stopped by its quota; the others keep running")
{
	struct svc_entry e;
	struct st_client c = {0};
	struct kinfo base;
	handle_t counter = st_lookup(t, "counter"), echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_ASSERT(st_status(t, "echo", &e) && e.state == SVC_RUNNING);
	long count = st_counter_get(counter, NULL);
	T_ASSERT(count >= 0);
	c.count = (uint64_t)count;
	sys_kinfo(&base);
	uint64_t low = base.frames_free, quota = e.pages_quota;
	T_OK(st_client_start(&c, counter, st_counter_client));
	T_OK(svc_fault(st_ctl(), "echo", SVC_FAULT_LEAK, 0, 0));
	bool back = watch_leak(t, e.pid, &low, &c);
	st_client_stop(&c);
	T_ASSERT(back);
	st_client_check(t, "counter", &c); /* it kept answering all along */
	T_RETURN_IF_FAILED();
	test_note("leak_below_start", base.frames_free - low, "frames");
	if (base.frames_free - low > quota + 64)
		T_FAIL("free frames fell by %lu, more than echo's quota of %lu pages",
		       (unsigned long)(base.frames_free - low), (unsigned long)quota);
	T_OK(echo_once(echo));
}
