/* SPDX-License-Identifier: MIT */
/*
 * The display protocol (methods 0x0A00-0x0AFF, sys/protocols.h), served by
 * the compositor (servers/compositor) on the endpoint "display". A window
 * is a client's surface: a memory object the client makes, hands over once
 * (DISPLAY_CREATE) and draws into; it then names the rectangles it changed
 * (DISPLAY_COMMIT). Pixels never travel in messages, and neither do events:
 * the surface's first page holds a ring the compositor writes events into,
 * signalling a notification it hands back at DISPLAY_CREATE.
 *
 * The surface: DISPLAY_HEADER_BYTES of struct display_shared, then the
 * pixels, width x height, rows of `width` pixels, 0x00RRGGBB. At least
 * display_surface_bytes(width, height), R_READ | R_WRITE.
 *
 * DISPLAY_INFO (idempotent)
 *   reply: w0 = screen width, w1 = height, w2 = seconds since midnight of
 *          the wall clock when sys_clock() was 0 (the RTC at start-up)
 * DISPLAY_CREATE (not idempotent: each call is a new window)
 *   request: cap = the surface; w0 = width, w1 = height (1 to
 *            DISPLAY_MAX_SIDE, the content without the title bar), w2 = x,
 *            w3 = y of the frame's top left (DISPLAY_PLACE_AUTO in w2:
 *            the compositor places it), w4 = the client's key for the
 *            window (its own number, to find the window again after a
 *            compositor restart), w5 = the client's pid (shown by `win`);
 *            bytes = the title, NUL-terminated, < DISPLAY_TITLE_MAX
 *   reply:   w0 = window id, w1 = x, w2 = y; cap = the event notification
 *            (bit DISPLAY_EVENT_BIT is signalled after events are queued;
 *            the client may use its other bits for its own timers)
 *   errors:  E_INVAL no surface, bad title or size; E_TYPE not a memory
 *            object; E_RANGE the object is smaller than the size says;
 *            E_RIGHTS it cannot be mapped read-write; E_NOSPACE too many
 *            windows (DISPLAY_MAX_PER_CLIENT a client, or in all) or pixels
 * DISPLAY_COMMIT (idempotent)
 *   request: w0 = id, w1 = x, w2 = y, w3 = w, w4 = h: a finished
 *            rectangle of the caller's window (window coordinates; clipped
 *            to the window). The compositor copies it out of the surface
 *            before it replies: the client may draw again at once.
 *            w5 (optional) = an echo probe: the key tag of a
 *            DISPLAY_EV_KEY this frame answers (its y), or 0. The
 *            compositor logs the instructions from that key's interrupt to
 *            the frame's framebuffer write for the first DISPLAY_ECHO_LOG
 *            probes (the echo latency of ./run bench).
 *   errors:  E_NOENT no such window of the caller's (after a compositor
 *            restart: create it again)
 * DISPLAY_DESTROY: w0 = id (the caller's); E_NOENT otherwise
 * DISPLAY_PING (idempotent): w0 = id; E_OK while the caller's window
 *            exists, E_NOENT once it does not (closed, or the compositor
 *            restarted): the client library's way to notice a restart
 * DISPLAY_LIST (idempotent)
 *   request: w0 = n (0 is the bottom of the stack)
 *   reply:   w0 = id, w1 = owner pid, w2 = x, w3 = y, w4 = width |
 *            height << 32, w5 = z | focused << 32 | minimised << 33;
 *            bytes = the title. The shown windows come first, bottom of the
 *            stack first (z = n), then the minimised ones (z = n as well:
 *            past every shown window)
 *   errors:  E_NOENT n is past the last
 * DISPLAY_MOVE: w0 = id, w1 = x, w2 = y (int32 each); DISPLAY_RAISE: w0 = id
 *            (raised and focused); DISPLAY_CLOSE: w0 = id (the window goes
 *            and its owner gets DISPLAY_EV_CLOSE); DISPLAY_MINIMISE: w0 = id
 *            (the window leaves the screen and keeps only its top bar
 *            button; DISPLAY_RAISE brings it back). Any client may ask
 *            these: they are what a user does with the mouse. E_NOENT: no
 *            window.
 * DISPLAY_INJECT: input as if from a device, until the input protocol
 *            lands (docs/ARCHITECTURE.md, "The desktop: compositor"):
 *            w0 = DISPLAY_INJECT_POINTER, w1 = x, w2 = y (screen), w3 =
 *            buttons (bit 0 left); or w0 = DISPLAY_INJECT_KEY, w1 = the
 *            key's Unicode code point, w2 = 1 pressed, 0 released, w3 = the
 *            TSC at the interrupt that brought it (0: unknown); or w0 =
 *            DISPLAY_INJECT_WHEEL, w1 = wheel steps (int32, positive away
 *            from the user), given to the window under the pointer as
 *            DISPLAY_EV_WHEEL (none there: dropped).
 * DISPLAY_RESIZE (the caller's window; not idempotent: each call takes a
 *            surface)
 *   request: cap = the new surface, already drawn; w0 = id, w1 = width,
 *            w2 = height (1 to DISPLAY_MAX_SIDE, the content). The window
 *            takes the new surface and size at once: the compositor copies
 *            all of it (no commit needed), moves the events not read yet
 *            from the old ring into the new one (whose head it sets; the
 *            client leaves the new tail at 0) and lets the old surface go.
 *            The client may unmap the old one when the call returns.
 *   errors:  E_INVAL no surface or a bad size; E_NOENT not the caller's
 *            window; E_TYPE, E_RANGE, E_RIGHTS, E_NOSPACE as for
 *            DISPLAY_CREATE. On any error the window keeps its old
 *            surface and size, and the new surface is closed.
 * DISPLAY_ASK_SIZE: w0 = id, w1 = width, w2 = height (content): what the
 *            drag of a window's corner does at its release: the size is
 *            clamped (DISPLAY_MIN_WIDTH/HEIGHT, the screen) and the owner
 *            gets DISPLAY_EV_RESIZE with it; nothing changes until the
 *            owner answers with DISPLAY_RESIZE (an app that ignores the
 *            event keeps its size). Any client may ask. E_NOENT: no window.
 *
 * Recovery: the compositor keeps each window's id, place and z-order in
 * its "state" memory object by (badge, key); surfaces are the clients'. A
 * new instance knows no surfaces: calls answer E_NOENT, and the client
 * library creates its window again with the same key and commits it whole,
 * which puts it back where it was. Its library notices within
 * DISPLAY_PING_NS of guest time even when idle.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define DISPLAY_PROTOCOL_BASE PROTOCOL_BASE(display)
#define DISPLAY_INFO	      (DISPLAY_PROTOCOL_BASE + 0x01)
#define DISPLAY_CREATE	      (DISPLAY_PROTOCOL_BASE + 0x02)
#define DISPLAY_COMMIT	      (DISPLAY_PROTOCOL_BASE + 0x03)
#define DISPLAY_DESTROY	      (DISPLAY_PROTOCOL_BASE + 0x04)
#define DISPLAY_PING	      (DISPLAY_PROTOCOL_BASE + 0x05)
#define DISPLAY_LIST	      (DISPLAY_PROTOCOL_BASE + 0x06)
#define DISPLAY_MOVE	      (DISPLAY_PROTOCOL_BASE + 0x07)
#define DISPLAY_RAISE	      (DISPLAY_PROTOCOL_BASE + 0x08)
#define DISPLAY_CLOSE	      (DISPLAY_PROTOCOL_BASE + 0x09)
#define DISPLAY_INJECT	      (DISPLAY_PROTOCOL_BASE + 0x0A)
#define DISPLAY_MINIMISE      (DISPLAY_PROTOCOL_BASE + 0x0B)
#define DISPLAY_RESIZE	      (DISPLAY_PROTOCOL_BASE + 0x0C)
#define DISPLAY_ASK_SIZE      (DISPLAY_PROTOCOL_BASE + 0x0D)

#define DISPLAY_NAME	       "display"
#define DISPLAY_MAX_SIDE       2048
#define DISPLAY_TITLE_MAX      32 /* with the NUL */
#define DISPLAY_MAX_PER_CLIENT 4
#define DISPLAY_MIN_WIDTH      96 /* the smallest content a drag or DISPLAY_ASK_SIZE asks for */
#define DISPLAY_MIN_HEIGHT     48
#define DISPLAY_PLACE_AUTO     0x80000000u /* in w2 of DISPLAY_CREATE */
#define DISPLAY_HEADER_BYTES   4096u
#define DISPLAY_EVENTS	       128 /* the ring's slots */
#define DISPLAY_EVENT_BIT      1u
#define DISPLAY_PING_NS	       250000000ull /* 250 ms */
#define DISPLAY_INJECT_POINTER 1
#define DISPLAY_INJECT_KEY     2
#define DISPLAY_INJECT_WHEEL   3
#define DISPLAY_ECHO_LOG       16 /* echo probes logged by a compositor instance */
#define DISPLAY_BUTTON_LEFT    1u
#define DISPLAY_LIST_FOCUSED   (1ull << 32) /* in z_focus */
#define DISPLAY_LIST_MINIMISED (1ull << 33)

enum display_event_type {
	DISPLAY_EV_POINTER = 1, /* x, y in the window's content; data = buttons */
	DISPLAY_EV_KEY = 2,	/* data = code point; x = 1 pressed, 0 released; y = its tag: the
				   low 32 bits of its interrupt's TSC (0: none), for echo probes */
	DISPLAY_EV_FOCUS = 3,	/* x = 1 gained, 0 lost */
	DISPLAY_EV_CLOSE = 4,	/* the window was closed (close button, `win close`): it is gone */
	DISPLAY_EV_WHEEL = 5,	/* x, y: the pointer in the content; data = steps (int32), positive
				   away from the user (scroll back) */
	DISPLAY_EV_RESIZE = 6,	/* x, y: the content size the user asked for (DISPLAY_RESIZE
				   answers; the window keeps its size until then) */
};

struct display_event {
	uint32_t type;
	int32_t x, y;
	uint32_t data;
};

/*
 * The surface's first page. The compositor writes events at
 * ev[head % DISPLAY_EVENTS] and then advances head; the client reads from
 * tail up to head and advances tail. When the ring is full (head - tail >=
 * DISPLAY_EVENTS as the compositor reads tail) new events are dropped and
 * counted. The compositor never trusts tail beyond that comparison.
 */
struct display_shared {
	uint32_t head;	  /* written by the compositor */
	uint32_t tail;	  /* written by the client */
	uint32_t dropped; /* written by the compositor */
	uint32_t reserved;
	struct display_event ev[DISPLAY_EVENTS];
};
_Static_assert(sizeof(struct display_event) == 16, "16 bytes");
_Static_assert(sizeof(struct display_shared) <= DISPLAY_HEADER_BYTES, "one page");

static inline uint64_t display_surface_bytes(uint32_t width, uint32_t height)
{
	return DISPLAY_HEADER_BYTES + (uint64_t)width * height * 4;
}

struct display_info {
	uint64_t width, height, clock_base;
};
struct display_create_request {
	uint64_t width, height, x, y, key, pid;
};
struct display_create_reply {
	uint64_t id, x, y;
};
struct display_commit_request {
	uint64_t id, x, y, w, h, probe;
};
struct display_window_info {
	uint64_t id, pid, x, y, size, z_focus;
};
_Static_assert(sizeof(struct display_info) == 3 * sizeof(uint64_t), "3 words");
_Static_assert(sizeof(struct display_create_request) == 6 * sizeof(uint64_t), "6 words");
_Static_assert(sizeof(struct display_create_reply) == 3 * sizeof(uint64_t), "3 words");
_Static_assert(sizeof(struct display_commit_request) == 6 * sizeof(uint64_t), "6 words");
_Static_assert(sizeof(struct display_window_info) == 6 * sizeof(uint64_t), "6 words");

/* Client stubs: E_OK or an error (E_PROTO for a reply of the wrong shape). */
long display_info(handle_t ep, struct display_info *info);
/* On success *ntfn is the new window's event notification. */
long display_create(handle_t ep, handle_t surface, const struct display_create_request *rq,
		    const char *title, struct display_create_reply *rp, handle_t *ntfn);
long display_commit(handle_t ep, const struct display_commit_request *rq);
long display_destroy(handle_t ep, uint64_t id);
long display_ping(handle_t ep, uint64_t id);
/* title: DISPLAY_TITLE_MAX bytes. */
long display_list(handle_t ep, uint64_t n, struct display_window_info *info, char *title);
long display_move(handle_t ep, uint64_t id, int32_t x, int32_t y);
long display_raise(handle_t ep, uint64_t id);
long display_close(handle_t ep, uint64_t id);
long display_minimise(handle_t ep, uint64_t id);
long display_inject(handle_t ep, uint64_t kind, uint64_t a, uint64_t b, uint64_t c);
/* The caller's window `id` takes `surface` (drawn already) of width x height; the surface is
 * handed over whatever the answer. */
long display_resize(handle_t ep, uint64_t id, handle_t surface, uint32_t width, uint32_t height);
long display_ask_size(handle_t ep, uint64_t id, uint32_t width, uint32_t height);

/*
 * Server side: the decode checks shapes, titles and capabilities; the ops
 * check what only the compositor knows (ids, owners, sizes of objects).
 */
struct display_ops {
	long (*info)(void *ctx, struct display_info *info);
	/* Takes `surface` whatever it answers; on success *ntfn is the handle to send back. */
	long (*create)(void *ctx, uint64_t badge, handle_t surface,
		       const struct display_create_request *rq, const char *title,
		       struct display_create_reply *rp, handle_t *ntfn);
	long (*commit)(void *ctx, uint64_t badge, const struct display_commit_request *rq);
	long (*destroy)(void *ctx, uint64_t badge, uint64_t id);
	long (*ping)(void *ctx, uint64_t badge, uint64_t id);
	long (*list)(void *ctx, uint64_t n, struct display_window_info *info,
		     char title[DISPLAY_TITLE_MAX]);
	long (*move)(void *ctx, uint64_t id, int32_t x, int32_t y);
	long (*raise)(void *ctx, uint64_t id);
	long (*close)(void *ctx, uint64_t id);
	long (*minimise)(void *ctx, uint64_t id);
	long (*inject)(void *ctx, uint64_t kind, uint64_t a, uint64_t b, uint64_t c);
	/* Takes `surface` whatever it answers; width, height checked to 1..DISPLAY_MAX_SIDE. */
	long (*resize)(void *ctx, uint64_t badge, uint64_t id, handle_t surface, uint32_t width,
		       uint32_t height);
	long (*ask_size)(void *ctx, uint64_t id, uint32_t width, uint32_t height);
	/* Server events, each optional: a bound notification's bits, a client gone, before a wait.
	 */
	void (*notify)(void *ctx, uint64_t bits);
	void (*client_gone)(void *ctx, uint64_t badge);
	void (*before_wait)(void *ctx);
};
struct display_server {
	const struct display_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into ds (which must outlive it). */
struct server display_server(handle_t ep, struct display_server *ds);
