/* SPDX-License-Identifier: MIT */
/*
 * The GUI client library: a window on the compositor (proto/display.h)
 * whose pixels are a canvas (gui/draw.h) in the window's surface, which the
 * library makes and hands over once. An app draws, commits what it changed
 * and waits for events:
 *
 *	struct gui_window w;
 *	gui_open(&w, "clock", 200, 60, DISPLAY_PLACE_AUTO, 0);
 *	gui_fill(&w.canvas, (struct gui_rect){0, 0, 200, 60}, 0xFFFFFF);
 *	gui_commit_all(&w);
 *	for (struct display_event ev;;)
 *		if (gui_next_event(&w, &ev, GUI_FOREVER) == E_OK) ...
 *
 * Restart: when the compositor answers E_NOENT or E_RESTARTED (a new
 * instance that knows no surfaces), the library creates the window again
 * with the same key and commits all of it; the compositor puts it back
 * where it was. gui_next_event pings while it waits, so even an idle app's
 * window comes back within DISPLAY_PING_NS.
 *
 * Resize: when the user drags a window's corner the app gets
 * DISPLAY_EV_RESIZE (x, y the new content size). An app that wants it calls
 * gui_resize_begin (a new surface; w->canvas is now that one), draws all of
 * it, and gui_resize_end hands it over; an app that ignores the event
 * keeps its size.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "gui/draw.h"
#include "proto/display.h"
#include "sys/handle.h"

#define GUI_FOREVER   UINT64_MAX
#define GUI_TIMER_BIT 2u /* the notification bit gui_set_timer uses */

struct gui_window {
	handle_t ep, surface, ntfn;
	uint64_t id, key;
	struct display_shared *shared;
	struct gui_canvas canvas; /* the window's content */
	char title[DISPLAY_TITLE_MAX];
	int32_t x, y;	   /* where the compositor placed it at creation */
	bool closed;	   /* the compositor closed it (DISPLAY_EV_CLOSE) */
	uint64_t deadline; /* of gui_set_timer, 0: none */
	uint32_t reconnects;
	uint32_t half; /* which half of its mapping slot the surface is in (resize flips it) */
	/* Between gui_resize_begin and _end: the surface still shown. */
	handle_t old_surface;
	struct display_shared *old_shared;
	struct gui_canvas old_canvas;
};

/* Open a window of width x height content pixels at (x, y) (DISPLAY_PLACE_AUTO: anywhere). */
long gui_open(struct gui_window *w, const char *title, int32_t width, int32_t height, uint32_t x,
	      int32_t y);
/* Tell the compositor r (window coordinates) is finished; E_OK or an error. */
long gui_commit(struct gui_window *w, struct gui_rect r);
/* The same, as the answer to the key whose DISPLAY_EV_KEY tag (y) is probe (display.h). */
long gui_commit_probe(struct gui_window *w, struct gui_rect r, uint32_t probe);
long gui_commit_all(struct gui_window *w);
/*
 * The next event, waiting up to timeout ns (GUI_FOREVER: for ever);
 * E_TIMEOUT when none came, E_CLOSED once the window was closed. A timer
 * set with gui_set_timer ends the wait too, as E_TIMEOUT.
 */
long gui_next_event(struct gui_window *w, struct display_event *ev, uint64_t timeout);
/* Wake gui_next_event at sys_clock() time `deadline`. */
void gui_set_timer(struct gui_window *w, uint64_t deadline);
/* The compositor's screen and wall clock (DISPLAY_INFO). */
long gui_info(struct gui_window *w, struct display_info *info);
void gui_close(struct gui_window *w);
/* A new surface of width x height (1 to DISPLAY_MAX_SIDE) as w->canvas, to draw all of. */
long gui_resize_begin(struct gui_window *w, int32_t width, int32_t height);
/*
 * Hand the new surface over (DISPLAY_RESIZE) and let the old one go. On an
 * error (E_NOSPACE: the compositor's pixels are used up, ...) the window
 * keeps its old surface, size and pixels, and w->canvas is the old one again.
 */
long gui_resize_end(struct gui_window *w);
