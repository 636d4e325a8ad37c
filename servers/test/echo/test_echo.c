/* SPDX-License-Identifier: MIT */
/*
 * Host test of the echo protocol: the client stub (echo_echo) calls through
 * the fake transport (fake_ipc.h) into server_dispatch and echo's real
 * handler. Checks the reply words and bytes, the retry after E_RESTARTED,
 * a method nobody serves, and that the buffer limit is the stub's to keep.
 */
#include <string.h>

#include "check.h"
#include "echo.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"

static struct echo_state state = {.pid = 42};
static struct echo_server es = {&echo_ops, &state};

static handle_t fresh_server(struct server *s)
{
	fake_ipc_reset();
	*s = echo_server(0, &es);
	return fake_ipc_endpoint(s, 7);
}

static void test_words_and_bytes(void)
{
	struct server s;
	handle_t ep = fresh_server(&s);
	struct echo_request rq = {{1, 2, 3, 4, 0xFFFFFFFFFFFFFFFFull}};
	struct echo_reply rp;

	memcpy(ipc_buffer()->data, "hello", 6);
	CHECK_EQ(echo_echo(ep, &rq, 6, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.w[0], 2);
	CHECK_EQ(rp.w[3], 5);
	CHECK_EQ(rp.w[4], 0); /* wraps */
	CHECK_EQ(rp.pid, 42);
	CHECK(memcmp(ipc_buffer()->data, "hello", 6) == 0);
	CHECK_EQ(fake_ipc_stats.last_badge, 7);
}

static void test_retry_after_restart(void)
{
	struct server s;
	handle_t ep = fresh_server(&s);
	struct echo_request rq = {{10}};
	struct echo_reply rp;

	fake_ipc_fail_next(E_RESTARTED, 2, 0);
	CHECK_EQ(echo_echo(ep, &rq, 0, &rp, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(rp.w[0], 11);
	CHECK_EQ(fake_ipc_stats.failed, 2);
	fake_ipc_fail_next(E_RESTARTED, 3, 0); /* the stub gives up after three */
	CHECK_EQ(echo_echo(ep, &rq, 0, &rp, TIMEOUT_NEVER), E_RESTARTED);
	fake_ipc_fail_next(E_TIMEOUT, 1, 1); /* not a restart: no retry */
	CHECK_EQ(echo_echo(ep, &rq, 0, &rp, TIMEOUT_NEVER), E_TIMEOUT);
}

static void test_bad_requests(void)
{
	struct server s;
	handle_t ep = fresh_server(&s);
	struct echo_request rq = {{0}};
	struct echo_reply rp;
	struct ipc_msg m = {.tag = IPC_TAG(ECHO_PROTOCOL_BASE + 0x80, 0, 0, 0)};

	CHECK_EQ(echo_echo(ep, &rq, IPC_BUF_BYTES + 1, &rp, TIMEOUT_NEVER), E_INVAL);
	CHECK_EQ(echo_echo(HANDLE_INVALID, &rq, 0, &rp, TIMEOUT_NEVER), E_BADHANDLE);
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_NOSYS);
}

static void test_unclaimed_cap_is_closed(void)
{
	struct server s;
	handle_t ep = fresh_server(&s);
	struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 5, 1, 0), .cap = 0x55};

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(m.tag), 0);
	CHECK_EQ(IPC_TAG_CAP(m.tag), 0);
	CHECK_EQ(fake_ipc_stats.caps_closed, 1);
	CHECK_EQ(fake_ipc_stats.last_closed, 0x55);
}

int main(void)
{
	test_words_and_bytes();
	test_retry_after_restart();
	test_bad_requests();
	test_unclaimed_cap_is_closed();
	return check_summary("echo");
}
