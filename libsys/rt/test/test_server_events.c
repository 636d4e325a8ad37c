/* SPDX-License-Identifier: MIT */
/*
 * Host test of how server_dispatch (libsys/rt/server_dispatch.c) routes the
 * kernel's events, client-death notices above all: IPC_LABEL_GONE reaches
 * the server's on_client_gone with the badge, or the hook of the part that
 * answers the badge's kind, or a method table entry for the label when
 * there is one; no event is ever answered, and one nobody handles is
 * dropped. A call with the kernel's label cannot happen (the kernel
 * refuses it), so a GONE is an event whatever its badge. And the other
 * end: ipc_reply_status (retry.c), the check client stubs make of a
 * reply, takes a status no server gives (positive, or an error code that
 * does not exist: a corrupted reply) for E_PROTO; ipc_label_status, for
 * stubs whose protocol gives positive values, only the unknown errors.
 */
#include <string.h>

#include "check.h"
#include "sys/errors.h"
#include "sys/server.h"
#include "sys/sys.h"

#define KIND_SHIFT 56

static struct {
	int calls;
	void *ctx;
	uint64_t badge;
} own, part_hook;
static int method_calls;
static int own_ctx, part_ctx;

static void own_gone(void *ctx, uint64_t badge)
{
	own.calls++;
	own.ctx = ctx;
	own.badge = badge;
}

static void part_gone(void *ctx, uint64_t badge)
{
	part_hook.calls++;
	part_hook.ctx = ctx;
	part_hook.badge = badge;
}

static long gone_method(struct server_request *req)
{
	(void)req;
	method_calls++;
	return E_OK;
}

static uint32_t kind_of(uint64_t badge)
{
	return (uint32_t)(badge >> KIND_SHIFT);
}

static const struct server part_server = {.ctx = &part_ctx, .on_client_gone = part_gone};
static const struct server_part parts[] = {{2, &part_server}};
static const struct server_method kind3_methods[] = {{IPC_LABEL_GONE, 3, gone_method}};

static void reset(void)
{
	memset(&own, 0, sizeof(own));
	memset(&part_hook, 0, sizeof(part_hook));
	method_calls = 0;
}

/* Deliver a kernel message with this label and badge; whether it was a call. */
static bool deliver(const struct server *s, uint32_t label, uint64_t badge)
{
	static struct ipc_buffer buf;
	struct server_request req = {.buf = &buf, .close_after_reply = HANDLE_INVALID};

	req.msg = (struct ipc_msg){.tag = IPC_TAG(label, 1, 0, 0), .w = {badge}, .badge = badge};
	return server_dispatch(s, &req);
}

static void test_plain_server(void)
{
	struct server s = {.ctx = &own_ctx, .on_client_gone = own_gone};

	reset();
	CHECK(server_is_event(IPC_TAG(IPC_LABEL_GONE, 1, 0, 0)));
	CHECK(!deliver(&s, IPC_LABEL_GONE, 0x1234));
	CHECK_EQ(own.calls, 1);
	CHECK_EQ(own.badge, 0x1234);
	CHECK(own.ctx == &own_ctx);
	CHECK(!deliver(&s, IPC_LABEL_NOTIFY, 1)); /* other events do not reach the hook */
	CHECK(!deliver(&s, IPC_LABEL_EXIT, 1));
	CHECK_EQ(own.calls, 1);
	s.on_client_gone = NULL;
	CHECK(!deliver(&s, IPC_LABEL_GONE, 0x1234)); /* nobody listens: dropped, unanswered */
	CHECK_EQ(own.calls, 1);
}

static void test_kinds_and_parts(void)
{
	struct server s = {.ctx = &own_ctx,
			   .methods = SERVER_METHODS(kind3_methods),
			   .badge_kind = kind_of,
			   .on_client_gone = own_gone,
			   .parts = SERVER_PARTS(parts)};

	reset();
	CHECK(!deliver(&s, IPC_LABEL_GONE, (2ull << KIND_SHIFT) | 5)); /* the part's client */
	CHECK_EQ(part_hook.calls, 1);
	CHECK_EQ(part_hook.badge, (2ull << KIND_SHIFT) | 5);
	CHECK(part_hook.ctx == &part_ctx);
	CHECK_EQ(own.calls, 0);
	CHECK(!deliver(&s, IPC_LABEL_GONE, (3ull << KIND_SHIFT) | 6)); /* a method for kind 3 */
	CHECK_EQ(method_calls, 1);
	CHECK_EQ(own.calls, 0);
	CHECK(!deliver(&s, IPC_LABEL_GONE, (4ull << KIND_SHIFT) | 7)); /* no part: the server's */
	CHECK_EQ(own.calls, 1);
	CHECK_EQ(own.badge, (4ull << KIND_SHIFT) | 7);
	CHECK_EQ(part_hook.calls, 1);
}

static long status_of(uint16_t label, uint32_t words)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, words, 0, 0)};

	return ipc_reply_status(&m, 1, 0);
}

static void test_reply_status(void)
{
	CHECK_EQ(status_of(0, 1), E_OK);
	CHECK_EQ(status_of(0, 2), E_PROTO); /* the wrong shape */
	CHECK_EQ(status_of((uint16_t)E_NOENT, 0), E_NOENT);
	CHECK_EQ(status_of((uint16_t)E_NOVOLUME, 0), E_NOVOLUME);
	CHECK_EQ(status_of(7, 1), E_PROTO);		  /* no server answers a positive status */
	CHECK_EQ(status_of((uint16_t)-4000, 0), E_PROTO); /* no such error */
	for (uint32_t x = 1; x < 0x10000; x++)		  /* every label a corruption can make */
		if ((int16_t)x > 0 || !sys_error_known((int16_t)x))
			CHECK_EQ(status_of((uint16_t)x, 1), E_PROTO);
}

static long label_status(uint16_t label)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, 3, 0, 0)};

	return ipc_label_status(&m);
}

/* The label alone: positive values are a protocol's, unknown errors are E_PROTO. */
static void test_label_status(void)
{
	CHECK_EQ(label_status(0), E_OK);
	CHECK_EQ(label_status(7), 7);
	CHECK_EQ(label_status(0x7FFF), 0x7FFF);
	CHECK_EQ(label_status((uint16_t)E_NOENT), E_NOENT);
	CHECK_EQ(label_status((uint16_t)E_RESTARTED), E_RESTARTED);
	for (uint32_t x = 0x8000; x < 0x10000; x++)
		CHECK_EQ(label_status((uint16_t)x),
			 sys_error_known((int16_t)x) ? (int16_t)x : E_PROTO);
}

int main(void)
{
	test_plain_server();
	test_kinds_and_parts();
	test_reply_status();
	test_label_status();
	return check_summary("server_events");
}
