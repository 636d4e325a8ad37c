/* SPDX-License-Identifier: MIT */
/*
 * USB input commands, through the input protocol (proto/input.h) of the
 * xhci driver:
 *   input [COUNT]         print events as they come, like evtest ("key a
 *                         press ...", "ptr abs 512 384", "btn left press"),
 *                         until COUNT events or any byte on the serial line
 *   lsusb                 the USB devices: number, port, speed, VID:PID,
 *                         class, kind and product string
 *   kbd layout us|jp      the keymap for the keys' text
 *   kbd repeat DELAY RATE key repeat: DELAY ms, then RATE per second
 *                         (DELAY 0: off)
 * `input` runs on the console thread: between reads (each waits at most
 * INPUT_WAIT) it looks at the UART, whose byte ends it. Positions are
 * shown on a 1024x768 screen.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proto/input.h"
#include "proto/ns.h"
#include "sys/sys.h"
#include "uart.h"

#define INPUT_WAIT (50 * MS)
#define WIDTH	   1024
#define HEIGHT	   768

static const char *const kind_names[] = {"other", "keyboard", "mouse", "tablet", "hub"};
static const char *const speed_names[] = {"?", "full", "low", "high", "super"};

static void close_client(struct input_client *c)
{
	sys_handle_close(c->ep);
	sys_handle_close(c->ntfn);
}

/* Print up to `count` events; false once a byte came on the serial line. */
static bool print_events(struct shell *sh, struct input_client *c, unsigned long *left)
{
	struct input_event ev[INPUT_READ_MAX];
	uint32_t n = 0;
	char line[128];
	uint8_t byte;

	if (input_client_read(c, ev, *left < INPUT_READ_MAX ? (uint32_t)*left : INPUT_READ_MAX, &n,
			      INPUT_WAIT) == E_OK)
		for (uint32_t i = 0; i < n; i++, (*left)--) {
			input_format(&ev[i], WIDTH, HEIGHT, line, sizeof(line));
			shell_printf(sh, "%s\n", line);
		}
	return uart_read(&byte, 1) == 0;
}

int cmd_input(struct shell *sh, int argc, char **argv)
{
	struct input_client c;
	unsigned long left = argc > 1 ? strtoul(argv[1], NULL, 10) : ~0ul;
	long err = input_client_open(&c);

	if (err < 0) {
		shell_printf(sh, "input: %s\n", sys_error_name(err));
		return 1;
	}
	shell_printf(sh, "input: reading events; any key here ends it\n");
	while (left > 0 && print_events(sh, &c, &left))
		;
	if (c.dropped)
		shell_printf(sh, "input: %lu events dropped\n", (unsigned long)c.dropped);
	close_client(&c);
	return 0;
}

int cmd_lsusb(struct shell *sh, int argc, char **argv)
{
	struct input_device d[INPUT_DEVICES_MAX];
	uint32_t n;
	long ep = ns_lookup_self("input"), err = ep < 0 ? ep : E_OK;

	(void)argc, (void)argv;
	if (err == E_OK)
		err = input_devices((handle_t)ep, d, INPUT_DEVICES_MAX, &n);
	if (ep >= 0)
		sys_handle_close((handle_t)ep);
	if (err < 0) {
		shell_printf(sh, "lsusb: %s\n", sys_error_name(err));
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		shell_printf(sh, "%u: port %u %s-speed %04x:%04x class %02x/%02x/%02x %s \"%s\"\n",
			     d[i].number, d[i].port, speed_names[d[i].speed < 5 ? d[i].speed : 0],
			     d[i].vendor, d[i].product, d[i].class_code, d[i].subclass,
			     d[i].protocol, kind_names[d[i].kind < 5 ? d[i].kind : 0],
			     d[i].product_name);
	shell_printf(sh, "%u USB input devices\n", n);
	return 0;
}

static long kbd_call(int argc, char **argv, handle_t ep)
{
	if (argc == 3 && strcmp(argv[1], "layout") == 0) {
		if (strcmp(argv[2], "us") == 0)
			return input_set_layout(ep, INPUT_LAYOUT_US);
		return strcmp(argv[2], "jp") == 0 ? input_set_layout(ep, INPUT_LAYOUT_JP) : E_INVAL;
	}
	if (argc == 4 && strcmp(argv[1], "repeat") == 0)
		return input_set_repeat(ep, (uint32_t)strtoul(argv[2], NULL, 10),
					(uint32_t)strtoul(argv[3], NULL, 10));
	return E_INVAL;
}

int cmd_kbd(struct shell *sh, int argc, char **argv)
{
	long ep = ns_lookup_self("input");
	long err = ep < 0 ? ep : kbd_call(argc, argv, (handle_t)ep);

	if (ep >= 0)
		sys_handle_close((handle_t)ep);
	if (err == E_INVAL)
		shell_printf(sh,
			     "usage: kbd layout us|jp | kbd repeat DELAY_MS RATE (DELAY 0: off)\n");
	else if (err < 0)
		shell_printf(sh, "kbd: %s\n", sys_error_name(err));
	else
		shell_printf(sh, "kbd: ok\n");
	return err < 0;
}
