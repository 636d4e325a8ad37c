/* SPDX-License-Identifier: MIT */
/*
 * itest: a test consumer of the input protocol (proto/input.h), for the
 * QEMU tests that type and point through QMP (test/qemu/test_usb*.py).
 * It waits until the xhci driver lists a keyboard and a tablet, prints the
 * devices and "itest: ready", then prints every event it receives, one
 * line each as the shell's `input` does ("itest: key a press ...",
 * "itest: ptr abs 512 384"), scaled to a 1024x768 screen.
 *
 *   itest[:N[:crash=K][:layout=jp][:lat][:stall]]   stop after N events (default
 *                   1000); after the K-th event crash the driver (svc fi xhci
 *                   crash) and carry on reading through the client library's
 *                   retry; lat: end each line with " lat T", TSC ticks from
 *                   the xHCI interrupt that brought the event to its receipt
 *                   here (guest instructions under -icount); stall: after
 *                   "ready", read nothing until one more device is listed
 *                   (the queue overflows meanwhile; the first read then
 *                   says how many events were dropped)
 *
 * Ends with "itest: done N events, D dropped, R resubscribed" and exit 0, or
 * a line "itest: FAIL ..." and exit 1.
 */
#include <string.h>

#include "proto/input.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include <stdlib.h>

#define WIDTH	   1024
#define HEIGHT	   768
#define WAIT_READY (20000 * MS)
#define WAIT_EVENT (60000 * MS)

static bool has_kind(const struct input_device *d, uint32_t n, uint8_t kind)
{
	for (uint32_t i = 0; i < n; i++)
		if (d[i].kind == kind)
			return true;
	return false;
}

static long wait_devices(struct input_client *c)
{
	static const char *const kinds[] = {"other", "keyboard", "mouse", "tablet", "hub"};
	struct input_device d[INPUT_DEVICES_MAX];
	uint32_t n = 0;
	uint64_t start = sys_clock();

	while (input_devices(c->ep, d, INPUT_DEVICES_MAX, &n) != E_OK ||
	       !has_kind(d, n, INPUT_DEV_KEYBOARD) || !has_kind(d, n, INPUT_DEV_TABLET)) {
		if (sys_clock() - start > WAIT_READY)
			return E_TIMEOUT;
		sys_sleep(20 * MS);
	}
	for (uint32_t i = 0; i < n; i++)
		printf("itest: device %u port %u %s %04x:%04x \"%s\"\n", d[i].number, d[i].port,
		       d[i].kind < 5 ? kinds[d[i].kind] : "?", d[i].vendor, d[i].product,
		       d[i].product_name);
	return E_OK;
}

static uint32_t device_count(struct input_client *c)
{
	struct input_device d[INPUT_DEVICES_MAX];
	uint32_t n = 0;

	return input_devices(c->ep, d, INPUT_DEVICES_MAX, &n) == E_OK ? n : 0;
}

/* Read nothing until one more device is listed (the test plugs one in). */
static void stall(struct input_client *c)
{
	uint32_t before = device_count(c);

	printf("itest: not reading until a device is plugged in\n");
	while (device_count(c) <= before)
		sys_sleep(50 * MS);
	printf("itest: reading again\n");
}

static long crash_driver(void)
{
	long ctl = ns_lookup_self("svc");

	if (ctl < 0)
		return ctl;
	printf("itest: crashing xhci\n");
	return svc_fault((handle_t)ctl, "xhci", SVC_FAULT_CRASH, SVC_CRASH_RANDOM, 0);
}

static unsigned long arg_value(int argc, char **argv, const char *key, unsigned long def)
{
	size_t len = strlen(key);

	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], key, len) == 0)
			return strtoul(argv[i] + len, NULL, 10);
	return def;
}

static bool has_arg(int argc, char **argv, const char *word)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], word) == 0)
			return true;
	return false;
}

static int fail(const char *what, long err)
{
	printf("itest: FAIL %s: %s\n", what, sys_error_name(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct input_client c;
	unsigned long want =
		argc > 0 ? strtoul(argv[0], NULL, 10) : 1000; /* argv[0]: the first argument */
	unsigned long crash_at = arg_value(argc, argv, "crash=", 0), seen = 0;
	bool latency = has_arg(argc, argv, "lat"), reported_drops = false;
	long err = input_client_open(&c);

	if (err == E_OK)
		err = wait_devices(&c);
	if (err == E_OK && has_arg(argc, argv, "layout=jp"))
		err = input_set_layout(c.ep, INPUT_LAYOUT_JP);
	if (err < 0)
		return fail("start", err);
	printf("itest: ready\n");
	if (has_arg(argc, argv, "stall"))
		stall(&c);
	while (seen < want) {
		struct input_event ev[INPUT_READ_MAX];
		uint32_t n = 0;
		char line[128];
		if ((err = input_client_read(&c, ev, INPUT_READ_MAX, &n, WAIT_EVENT)) < 0)
			return fail("read", err);
		uint64_t received = sys_rdtsc();
		if (c.dropped && !reported_drops) {
			printf("itest: %lu events dropped before this one\n",
			       (unsigned long)c.dropped);
			reported_drops = true;
		}
		for (uint32_t i = 0; i < n && seen < want; i++, seen++) {
			input_format(&ev[i], WIDTH, HEIGHT, line, sizeof(line));
			if (latency && ev[i].irq_tsc)
				printf("itest: %s dev %u lat %lu\n", line, ev[i].device,
				       (unsigned long)(received - ev[i].irq_tsc));
			else
				printf("itest: %s dev %u\n", line, ev[i].device);
			if (seen + 1 == crash_at && (err = crash_driver()) < 0)
				return fail("crash", err);
		}
	}
	printf("itest: done %lu events, %lu dropped, %lu resubscribed\n", seen,
	       (unsigned long)c.dropped, (unsigned long)c.restarts);
	return 0;
}
