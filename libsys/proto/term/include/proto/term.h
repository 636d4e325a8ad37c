/* SPDX-License-Identifier: MIT */
/*
 * The term protocol (methods 0x0C00-0x0CFF, sys/protocols.h), served by
 * each GUI terminal (servers/terminal) on its endpoint: "term1" for the
 * terminal started at boot, "term2" and "term3" for those `term new` opens.
 * It lets a user or a test read what a terminal shows as text (like
 * `tmux capture-pane`) instead of guessing from pixels, and type into it
 * (like `tmux send-keys`). Bytes a program writes and keys a user types do
 * not travel here: they go through the program's streams (proto/stream.h)
 * and the window (proto/display.h).
 *
 * TERM_INFO (idempotent)
 *   reply: w0 = columns, w1 = rows, w2 = the cursor: x | y << 32, w3 =
 *          scrollback lines kept, w4 = lines the view is scrolled back,
 *          w5 = flags (TERM_CURSOR_VISIBLE, TERM_ALT_SCREEN)
 * TERM_TEXT (idempotent)
 *   request: w0 = the first row of the view (0 the top)
 *   reply:   w0 = rows returned (at least 1 while w0 < rows); bytes = that
 *            many rows of the view as UTF-8, each ending in '\n', trailing
 *            blanks dropped, the right halves of wide characters skipped,
 *            as many whole rows as fit in the IPC buffer
 *   errors:  E_RANGE w0 is not a row
 * TERM_INPUT (not idempotent: typed twice is typed twice)
 *   request: bytes = 1 to TERM_INPUT_MAX bytes for the program, as the
 *            keys that type them would send them (the view goes back to
 *            the live screen); a 0x03 is only a byte, not Ctrl-C's
 *            interrupt. Anyone who can reach the endpoint may type, as
 *            anyone may inject keys into the compositor.
 *   errors:  E_INVAL no bytes or more than TERM_INPUT_MAX
 *
 * Recovery: a terminal that restarts comes back with a fresh shell and an
 * empty screen on the same endpoint; these calls then read the new screen.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define TERM_PROTOCOL_BASE PROTOCOL_BASE(term)
#define TERM_INFO	   (TERM_PROTOCOL_BASE + 0x01)
#define TERM_TEXT	   (TERM_PROTOCOL_BASE + 0x02)
#define TERM_INPUT	   (TERM_PROTOCOL_BASE + 0x03)

#define TERM_INSTANCES	    3 /* term1 .. term3 */
#define TERM_ENDPOINT_MAX   8 /* "term3" and its NUL */
#define TERM_CURSOR_VISIBLE 1u
#define TERM_ALT_SCREEN	    2u
#define TERM_INPUT_MAX	    256

struct term_info {
	uint64_t cols, rows, cursor, scrollback, view, flags;
};
_Static_assert(sizeof(struct term_info) == 6 * sizeof(uint64_t), "6 words");

/* The endpoint name of terminal n (1 .. TERM_INSTANCES) into name[TERM_ENDPOINT_MAX]. */
void term_endpoint_name(unsigned n, char name[TERM_ENDPOINT_MAX]);

/* Client stubs: E_OK or an error (E_PROTO for a reply of the wrong shape). */
long term_info(handle_t ep, struct term_info *info);
/* Rows from `first` into buf (size bytes, NUL-terminated); *rows = how many came. */
long term_text(handle_t ep, uint64_t first, char *buf, size_t size, uint64_t *rows);
long term_input(handle_t ep, const char *bytes, size_t n);

/* Server side: what a terminal implements. */
struct term_ops {
	long (*info)(void *ctx, struct term_info *info);
	/* Whole rows from `first` into buf (at most size bytes, no NUL); *rows and *len set. */
	long (*text)(void *ctx, uint64_t first, char *buf, size_t size, uint64_t *rows,
		     size_t *len);
	/* n (1 to TERM_INPUT_MAX) bytes typed; optional (E_NOSYS without). */
	long (*input)(void *ctx, const char *bytes, size_t n);
};
struct term_server {
	const struct term_ops *ops;
	void *ctx;
};
struct server term_server(handle_t ep, struct term_server *ts);
