/* SPDX-License-Identifier: MIT */
/*
 * win: the desktop's windows, through the display protocol
 * (proto/display.h) like any other client of the compositor.
 *
 *   win                    every window, bottom of the stack first, then
 *                          the minimised ones: id, owner pid, place, size,
 *                          z (0 the bottom), state (yes: focused, no, min:
 *                          minimised) and title
 *   win move ID X Y        the requests a mouse makes: move a window,
 *   win raise ID           raise and focus it (a minimised one comes back),
 *   win min ID             minimise it (its top bar button brings it back),
 *   win close ID           close it (its owner is told)
 *   win size ID W H        ask its owner to take W x H content pixels, as
 *                          a drag of its corner does (clamped; an app
 *                          that does not resize keeps its size)
 *   win point X Y [B]      input through the compositor's input door
 *   win key TEXT           (DISPLAY_INJECT): the pointer to (X, Y) with
 *                          buttons B (bit 0 left; default 0); each
 *                          character of TEXT pressed and released
 *
 * The compositor's endpoint is looked up once and kept.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proto/display.h"
#include "proto/ns.h"
#include "sys/fmt.h"
#include "sys/sys.h"

static handle_t display = HANDLE_INVALID;

static long endpoint(void)
{
	if (display != HANDLE_INVALID)
		return E_OK;
	long ep = ns_lookup_self(DISPLAY_NAME);
	if (ep < 0)
		return ep;
	display = (handle_t)ep;
	return E_OK;
}

static int win_list(struct shell *sh)
{
	struct display_window_info w;
	char title[DISPLAY_TITLE_MAX];

	uint64_t n = 0;

	shell_printf(sh, "ID   PID  X      Y      W     H     Z  FOCUS TITLE\n");
	for (; display_list(display, n, &w, title) == E_OK; n++)
		shell_printf(sh, "%-4lu %-4lu %-6ld %-6ld %-5lu %-5lu %-2lu %-5s %s\n",
			     (unsigned long)w.id, (unsigned long)w.pid, (long)(int32_t)w.x,
			     (long)(int32_t)w.y, (unsigned long)(uint32_t)w.size,
			     (unsigned long)(w.size >> 32), (unsigned long)(uint32_t)w.z_focus,
			     w.z_focus & DISPLAY_LIST_MINIMISED ? "min"
			     : w.z_focus & DISPLAY_LIST_FOCUSED ? "yes"
								: "no",
			     title);
	shell_printf(sh, "win: %lu windows\n", (unsigned long)n);
	return 0;
}

static int win_usage(struct shell *sh)
{
	shell_printf(sh,
		     "usage: win | win move ID X Y | win raise ID | win min ID | win close ID | "
		     "win size ID W H | win point X Y [BUTTONS] | win key TEXT\n");
	return 1;
}

static int win_key(struct shell *sh, const char *text)
{
	long err = E_OK;

	for (const char *p = text; *p && err == E_OK; p++) {
		err = display_inject(display, DISPLAY_INJECT_KEY, (unsigned char)*p, 1, 0);
		if (err == E_OK)
			err = display_inject(display, DISPLAY_INJECT_KEY, (unsigned char)*p, 0, 0);
	}
	if (err < 0)
		shell_printf(sh, "win: %s\n", sys_error_name(err));
	else
		shell_printf(sh, "win: %lu keys sent\n", (unsigned long)strlen(text));
	return err < 0;
}

/* move, raise, close, min, size, point: words after the verb as numbers. */
static long win_request(const char *verb, int n, const long *v)
{
	if (!strcmp(verb, "move") && n == 3)
		return display_move(display, (uint64_t)v[0], (int32_t)v[1], (int32_t)v[2]);
	if (!strcmp(verb, "raise") && n == 1)
		return display_raise(display, (uint64_t)v[0]);
	if (!strcmp(verb, "close") && n == 1)
		return display_close(display, (uint64_t)v[0]);
	if (!strcmp(verb, "size") && n == 3)
		return display_ask_size(display, (uint64_t)v[0], (uint32_t)v[1], (uint32_t)v[2]);
	if (!strcmp(verb, "min") && n == 1)
		return display_minimise(display, (uint64_t)v[0]);
	if (!strcmp(verb, "point") && (n == 2 || n == 3))
		return display_inject(display, DISPLAY_INJECT_POINTER, (uint64_t)v[0],
				      (uint64_t)v[1], n == 3 ? (uint64_t)v[2] : 0);
	return E_INVAL;
}

int cmd_win(struct shell *sh, int argc, char **argv)
{
	long v[3];
	long err = endpoint();

	if (err < 0) {
		shell_printf(sh, "win: no compositor: %s\n", sys_error_name(err));
		return 1;
	}
	if (argc == 1)
		return win_list(sh);
	if (argc == 3 && !strcmp(argv[1], "key"))
		return win_key(sh, argv[2]);
	if (argc > 5)
		return win_usage(sh);
	for (int i = 2; i < argc; i++) {
		char *end;
		v[i - 2] = strtol(argv[i], &end, 10);
		if (*end || end == argv[i])
			return win_usage(sh);
	}
	err = win_request(argv[1], argc - 2, v);
	if (err == E_INVAL)
		return win_usage(sh);
	if (err < 0)
		shell_printf(sh, "win: %s: %s\n", argv[1], sys_error_name(err));
	else
		shell_printf(sh, "win: %s done\n", argv[1]);
	return err < 0;
}
