/* SPDX-License-Identifier: MIT */
/*
 * The GUI terminal (servers/terminal): a window on the compositor showing
 * a VT engine's grid (vt.h), with a shell on streams behind it. Its files:
 *
 *   vt.c vt_parse.c vt_palette.c  the VT engine (pure; vt.h)
 *   keys.c     window key events to the bytes a program reads (pure)
 *   render.c   the grid into the window's pixels, only the cells that
 *              changed since the last frame (pure: a canvas and the font)
 *   ops.c      the term protocol's ops (proto/term.h) over the grid (pure)
 *   session.c  the shell: started through the loader on a stream pair,
 *              its output read by a thread of its own, a fresh one when it
 *              ends
 *   others.c   Ctrl+Shift+N: the next terminal service started
 *   main.c     start-up and the window's event loop
 *
 * Threads: the window's events (keys, the cursor's blink), the session's
 * output reader and the term protocol's server loop all touch the grid,
 * under `lock`; whoever changed it draws and commits before letting go.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui/draw.h"
#include "proto/term.h"
#include "sys/lock.h"
#include "vt.h"

#define TERM_COLS	 80 /* the size it opens at */
#define TERM_ROWS	 25
#define TERM_MAX_COLS	 256 /* a resize is held to these (a 2048-pixel side) */
#define TERM_MAX_ROWS	 128
#define TERM_MIN_COLS	 8
#define TERM_MIN_ROWS	 2
#define TERM_CELL_W	 8
#define TERM_CELL_H	 16
#define TERM_KEY_MAX	 8 /* bytes one key sends at most */
#define TERM_SCROLL_PAGE (TERM_ROWS - 1)
#define TERM_WHEEL_LINES 3 /* scrolled by a step of the mouse wheel */

/* What a key did besides sending bytes. */
enum term_key_action {
	TERM_KEY_NONE,	 /* nothing (a release, a modifier) */
	TERM_KEY_BYTES,	 /* bytes for the program */
	TERM_KEY_SCROLL, /* scroll the view by *scroll lines (positive: back) */
	TERM_KEY_INTR,	 /* Ctrl-C: the stream's interrupt, and the byte */
	TERM_KEY_NEW,	 /* Ctrl+Shift+N: open another terminal */
};

struct term_keys {
	bool shift, ctrl;
};

/* A window key event (code point, pressed) as bytes (out, *len) or an action. */
enum term_key_action term_key(struct term_keys *k, uint32_t cp, bool pressed,
			      char out[TERM_KEY_MAX], size_t *len, int *scroll);

/* The pixels of the grid, and what they showed when last drawn. */
struct term_screen {
	struct gui_canvas *canvas;
	struct vt_cell drawn[TERM_MAX_ROWS * TERM_MAX_COLS]; /* pad: the cursor drawn on it */
	bool blink_on;					     /* the cursor's blink phase */
	bool focused; /* a window without focus shows a hollow cursor */
};

/* Forget what was drawn (the next frame draws every cell). */
void term_screen_reset(struct term_screen *s);
/* Draw the cells of vt's view that changed; returns the rectangle touched (empty: none). */
struct gui_rect term_render(struct term_screen *s, const struct vt *vt);

/* What the threads share, under lock. */
struct term_shared {
	struct sys_lock lock;
	struct vt vt;
	struct term_screen screen;
};

/* The terminal process (main.c, session.c; not in host tests). */
struct gui_window;
struct term_session;
struct terminal {
	struct term_shared shared;
	struct gui_window *window;
	struct term_keys keys;
	struct term_session *session;
	unsigned number; /* n of its endpoint "term<n>" */
	uint32_t probe;	 /* the tag of the last key typed, until output answers it (display.h) */
	unsigned priority;
};

/* Draw what changed and commit it; the caller holds shared.lock. */
void term_redraw(struct terminal *t);
/* The same for the program's output: the frame answers the last key typed (its probe). */
void term_redraw_output(struct terminal *t);
/* A window content size as the grid's columns and rows (held to TERM_MIN/MAX_*). */
void term_grid_size(int32_t width, int32_t height, int *cols, int *rows);
/* The grid's size for the program (its input stream's STREAM_SET_SIZE); no lock held. */
void session_resized(struct terminal *t, int cols, int rows);
/* Start the shell (or, without one, echo typed keys); E_OK or an error. */
long session_start(struct terminal *t);
/* Bytes typed, for the program; the caller does not hold the lock. */
void session_input(struct terminal *t, const char *bytes, size_t n);
/* Ctrl-C: the interrupt of the program's input stream. */
void session_interrupt(struct terminal *t);
/* Start the first terminal service (terminal, terminal2, ...) not running; its n or an error. */
long term_open_another(void);

/* The term protocol over the grid; ctx is a struct term_shared. */
extern const struct term_ops term_grid_ops;
