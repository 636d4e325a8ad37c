/* SPDX-License-Identifier: MIT */
/*
 * Host test of the counter protocol: the client stubs call through the fake
 * transport (fake_ipc.h) into server_dispatch and counter's real handlers,
 * over a state the test keeps as the supervisor would. Checks adds and
 * gets, that an add cut off by a restart is never resent and that a get
 * after it tells whether it happened, the get's retries, the count and
 * instance number across instances, a corrupted state, and bad requests.
 */
#include <string.h>

#include "check.h"
#include "counter.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"

static struct counter_state state; /* the "state" memory object */
static struct counter_server cs = {&counter_ops, &state};
static struct server server;

/* A new instance over the kept state, and a handle to it. */
static handle_t new_instance(void)
{
	fake_ipc_reset();
	counter_state_open(&state);
	server = counter_server(0, &cs);
	return fake_ipc_endpoint(&server, 5);
}

static handle_t fresh_state(void)
{
	memset(&state, 0, sizeof(state));
	return new_instance();
}

static void test_add_and_get(void)
{
	handle_t ep = fresh_state();
	struct counter_add_reply added;
	struct counter_get_reply got;

	CHECK_EQ(state.magic, COUNTER_STATE_MAGIC);
	CHECK_EQ(counter_add(ep, 1, &added, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(added.count, 1);
	CHECK_EQ(counter_add(ep, 5, &added, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(added.count, 6);
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(got.count, 6);
	CHECK_EQ(got.instances, 1);
	CHECK_EQ(state.count, 6);
}

static void test_unsure_add(void)
{
	handle_t ep = fresh_state();
	struct counter_add_reply added;
	struct counter_get_reply got;

	fake_ipc_fail_next(E_RESTARTED, 1, 1); /* added, then the reply was lost */
	CHECK_EQ(counter_add(ep, 1, &added, TIMEOUT_NEVER), E_RESTARTED);
	CHECK_EQ(fake_ipc_stats.calls, 1); /* not resent */
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(got.count, 1);		       /* so the add happened */
	fake_ipc_fail_next(E_RESTARTED, 1, 0); /* died before it was received */
	CHECK_EQ(counter_add(ep, 1, &added, TIMEOUT_NEVER), E_RESTARTED);
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(got.count, 1); /* so it did not */
}

static void test_get_retries(void)
{
	handle_t ep = fresh_state();
	struct counter_get_reply got;

	fake_ipc_fail_next(E_RESTARTED, COUNTER_ATTEMPTS - 1, 0);
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(fake_ipc_stats.failed, COUNTER_ATTEMPTS - 1);
	fake_ipc_fail_next(E_RESTARTED, COUNTER_ATTEMPTS, 0);
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_RESTARTED);
	fake_ipc_fail_next(E_RESTARTED, 5, 1);
	CHECK_EQ(counter_get_retry(ep, &got, TIMEOUT_NEVER, 6), E_OK);
	fake_ipc_fail_next(E_RESTARTED, 1, 0);
	CHECK_EQ(counter_get_retry(ep, &got, TIMEOUT_NEVER, 1), E_RESTARTED);
	fake_ipc_fail_next(E_TIMEOUT, 1, 0); /* not a restart: no retry */
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_TIMEOUT);
}

static void test_across_instances(void)
{
	handle_t ep = fresh_state();
	struct counter_add_reply added;
	struct counter_get_reply got;

	CHECK_EQ(counter_add(ep, 41, &added, TIMEOUT_NEVER), E_OK);
	ep = new_instance();
	CHECK_EQ(counter_add(ep, 1, &added, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(added.count, 42);
	ep = new_instance();
	CHECK_EQ(counter_get(ep, &got, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(got.count, 42);
	CHECK_EQ(got.instances, 3);
}

static void test_state_check(void)
{
	struct counter_state s = {0};

	CHECK(!counter_state_open(&s)); /* fresh: nothing lost */
	CHECK_EQ(s.instances, 1);
	s.count = 7;
	CHECK(!counter_state_open(&s));
	CHECK_EQ(s.count, 7);
	s.magic ^= 1;
	CHECK(counter_state_open(&s)); /* corrupted: reset */
	CHECK_EQ(s.count, 0);
	CHECK_EQ(s.instances, 1);
	CHECK_EQ(s.magic, COUNTER_STATE_MAGIC);
}

static void test_bad_requests(void)
{
	handle_t ep = fresh_state();
	struct ipc_msg m = {.tag = IPC_TAG(COUNTER_ADD, 0, 0, 0), .w = {9}};

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* no amount */
	CHECK_EQ(state.count, 0);
	m = (struct ipc_msg){.tag = IPC_TAG(COUNTER_PROTOCOL_BASE + 0x10, 0, 0, 0)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
	m = (struct ipc_msg){.tag = IPC_TAG(COUNTER_GET, 0, 1, 0), .cap = fake_ipc_handle()};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(IPC_TAG_WORDS(m.tag), 2);
	CHECK_EQ(fake_ipc_stats.caps_closed, 1); /* a handle nobody asked for */
}

int main(void)
{
	test_add_and_get();
	test_unsure_add();
	test_get_retries();
	test_across_instances();
	test_state_check();
	test_bad_requests();
	return check_summary("counter");
}
