/* SPDX-License-Identifier: MIT */
/*
 * Host test of the input protocol (proto/input.h) against the driver's
 * real consumer queues (events.c): the stubs and the client library call
 * through the fake transport (fake_ipc.h) into the server's decode. Checks
 * order, the bounded queue dropping its oldest with a count, two consumers
 * each getting every event, a read before subscribing, malformed requests,
 * the events that came while nobody listened given to the first
 * subscriber, a consumer's state freed when it goes, and the client
 * library subscribing again after the driver "restarted" (E_RESTARTED, then
 * E_NOENT from a driver that forgot it).
 */
#include <string.h>

#include "check.h"
#include "events.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "test_fakes.h"

static struct consumers cs;
static struct input_server is;
static struct server srv;
static handle_t signalled[16];
static unsigned signals, closes;

static void fake_signal(handle_t ntfn)
{
	signalled[signals++ % 16] = ntfn;
}

static void fake_close(handle_t ntfn)
{
	(void)ntfn;
	closes++;
}

static long op_subscribe(void *ctx, uint64_t badge, handle_t ntfn)
{
	return consumers_subscribe(ctx, badge, ntfn);
}

static long op_read(void *ctx, uint64_t badge, struct input_event *ev, uint32_t max,
		    uint32_t *count, uint64_t *dropped)
{
	return consumers_read(ctx, badge, ev, max, count, dropped);
}

static long op_devices(void *ctx, struct input_device *dev, uint32_t max, uint32_t *count)
{
	(void)ctx;
	*count = max < 2 ? max : 2;
	memset(dev, 0, *count * sizeof(*dev));
	dev[1].kind = INPUT_DEV_TABLET;
	return E_OK;
}

static long op_set_layout(void *ctx, uint32_t layout)
{
	(void)ctx, (void)layout;
	return E_OK;
}

static uint32_t repeat_delay, repeat_rate;

static long op_set_repeat(void *ctx, uint32_t delay, uint32_t rate)
{
	(void)ctx;
	repeat_delay = delay, repeat_rate = rate;
	return E_OK;
}

static void op_gone(void *ctx, uint64_t badge)
{
	consumers_gone(ctx, badge);
}

static const struct input_ops ops = {op_subscribe,  op_read,	   op_devices,
				     op_set_layout, op_set_repeat, op_gone};

static void fresh(void)
{
	fake_ipc_reset();
	memset(&cs, 0, sizeof(cs));
	cs.signal = fake_signal;
	cs.close = fake_close;
	signals = closes = 0;
	is = (struct input_server){&ops, &cs};
	srv = input_server(0, &is);
}

static void push_keys(uint32_t first, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct input_event ev = {.type = INPUT_KEY, .code = (uint16_t)(first + i)};
		consumers_push(&cs, &ev, 1);
	}
}

static void test_order_and_drop(void)
{
	fresh();
	handle_t ep = fake_ipc_endpoint(&srv, 7);
	struct input_event ev[INPUT_READ_MAX];
	uint32_t n;
	uint64_t dropped;

	CHECK_EQ(input_read(ep, ev, 4, &n, &dropped), E_NOENT);
	CHECK_EQ(input_subscribe(ep, 501), E_OK);
	push_keys(0, 3);
	CHECK_EQ(signals, 3);
	CHECK_EQ(signalled[0], 501);
	CHECK_EQ(input_read(ep, ev, INPUT_READ_MAX, &n, &dropped), E_OK);
	CHECK_EQ(n, 3);
	CHECK_EQ(ev[0].code, 0);
	CHECK_EQ(ev[2].code, 2);
	CHECK_EQ(dropped, 0);
	push_keys(100, INPUT_QUEUE + 10); /* ten too many: the oldest ten go */
	CHECK_EQ(input_read(ep, ev, INPUT_READ_MAX, &n, &dropped), E_OK);
	CHECK_EQ(n, INPUT_READ_MAX);
	CHECK_EQ(dropped, 10);
	CHECK_EQ(ev[0].code, 110);
	uint32_t total = n;
	while (input_read(ep, ev, INPUT_READ_MAX, &n, &dropped) == E_OK && n)
		total += n;
	CHECK_EQ(total, INPUT_QUEUE);
	CHECK_EQ(input_read(ep, ev, 0, &n, &dropped), E_INVAL);
	CHECK_EQ(input_read(ep, ev, INPUT_READ_MAX + 1, &n, &dropped), E_INVAL);
}

static void test_two_consumers_and_gone(void)
{
	fresh();
	handle_t a = fake_ipc_endpoint(&srv, 1), b = fake_ipc_endpoint(&srv, 2);
	struct input_event ev[4];
	uint32_t n;
	uint64_t dropped;

	CHECK_EQ(input_subscribe(a, 601), E_OK);
	CHECK_EQ(input_subscribe(b, 602), E_OK);
	CHECK_EQ(input_subscribe(b, 603), E_OK); /* again: the old notification is closed */
	CHECK_EQ(closes, 1);
	push_keys(5, 1);
	CHECK_EQ(input_read(a, ev, 4, &n, &dropped), E_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(input_read(b, ev, 4, &n, &dropped), E_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(ev[0].code, 5);
	consumers_gone(&cs, 1);
	CHECK_EQ(input_read(a, ev, 4, &n, &dropped), E_NOENT);
	for (unsigned i = 0; i < INPUT_CONSUMERS; i++)
		input_subscribe(fake_ipc_endpoint(&srv, 10 + i), 700 + i);
	CHECK_EQ(input_subscribe(fake_ipc_endpoint(&srv, 99), 799), E_NOSPACE);
	struct ipc_msg m = {.tag = IPC_TAG(INPUT_SUBSCRIBE, 0, 0, 0)}; /* no notification */
	CHECK_EQ(ipc_call(b, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	struct input_device d[INPUT_DEVICES_MAX];
	CHECK_EQ(input_devices(b, d, INPUT_DEVICES_MAX, &n), E_OK);
	CHECK_EQ(n, 2);
	CHECK_EQ(d[1].kind, INPUT_DEV_TABLET);
	CHECK_EQ(input_set_layout(b, INPUT_LAYOUT_JP), E_OK);
	m = (struct ipc_msg){.tag = IPC_TAG(INPUT_SET_LAYOUT, 1, 0, 0), .w = {7}};
	CHECK_EQ(ipc_call(b, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	CHECK_EQ(input_set_repeat(b, 250, 20), E_OK);
	CHECK_EQ(repeat_delay, 250);
	CHECK_EQ(repeat_rate, 20);
	CHECK_EQ(input_set_repeat(b, 0, 1), E_OK); /* off */
	CHECK_EQ(repeat_delay, 0);
	CHECK_EQ(input_set_repeat(b, 50, 20), E_INVAL);
	CHECK_EQ(input_set_repeat(b, 500, 0), E_INVAL);
	CHECK_EQ(input_set_repeat(b, 500, INPUT_REPEAT_RATE_MAX + 1), E_INVAL);
	CHECK_EQ(repeat_rate, 1);
}

static void test_backlog_and_restart(void)
{
	fresh();
	fake_input_ep = fake_ipc_endpoint(&srv, 3);
	struct input_client c;
	struct input_event ev[8];
	uint32_t n;

	push_keys(40, 2); /* nobody listens yet: kept for the first subscriber */
	CHECK_EQ(input_client_open(&c), E_OK);
	CHECK_EQ(input_client_read(&c, ev, 8, &n, 10 * MS), E_OK);
	CHECK_EQ(n, 2);
	CHECK_EQ(ev[1].code, 41);
	memset(&cs.c, 0, sizeof(cs.c)); /* the driver restarted and forgot everyone */
	push_keys(50, 1);
	fake_ipc_fail_next(E_RESTARTED, 1, 0);
	CHECK_EQ(input_client_read(&c, ev, 8, &n, 10 * MS), E_OK);
	CHECK_EQ(n, 1);
	CHECK_EQ(ev[0].code, 50);
	CHECK_EQ(c.restarts, 1);
	memset(&cs.c, 0, sizeof(cs.c)); /* again, with no call in flight: E_NOENT */
	push_keys(60, 1);
	CHECK_EQ(input_client_read(&c, ev, 8, &n, 10 * MS), E_OK);
	CHECK_EQ(ev[0].code, 60);
	CHECK_EQ(c.restarts, 2);
	uint64_t waits = fake_waits;
	CHECK_EQ(input_client_read(&c, ev, 8, &n, 1000 * MS), E_TIMEOUT);
	CHECK(fake_waits - waits >= 1000 / (INPUT_TICK / MS) - 1); /* it waited in ticks */
}

static void test_format(void)
{
	char line[96];
	struct input_event k = {
		.type = INPUT_KEY, .action = INPUT_PRESS, .code = 4, .key = 'a', .text = "a"};
	struct input_event p = {.type = INPUT_ABS, .x = INPUT_ABS_MAX, .y = 0};
	struct input_event b = {.type = INPUT_BUTTON, .action = INPUT_RELEASE, .code = 2};

	input_format(&k, 1024, 768, line, sizeof(line));
	CHECK(strcmp(line, "key a press usage 0x04 key 97 mods 0x000 text \"a\"") == 0);
	input_format(&p, 1024, 768, line, sizeof(line));
	CHECK(strcmp(line, "ptr abs 1023 0") == 0);
	input_format(&b, 1024, 768, line, sizeof(line));
	CHECK(strcmp(line, "btn right release") == 0);
}

int main(void)
{
	test_order_and_drop();
	test_two_consumers_and_gone();
	test_backlog_and_restart();
	test_format();
	return check_summary("input");
}
