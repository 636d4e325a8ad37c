/* SPDX-License-Identifier: MIT */
/*
 * The compositor's state and the parts that work on it (servers/compositor):
 *   compose.c      damage, composition into the back buffer, copies to the
 *                  framebuffer, title bars, top bar, cursor (pure C)
 *   window.c       the window table, the stack, surfaces, events, the
 *                  records kept across restarts
 *   pointer.c      what pointer and keys do: focus, raise, drag, close,
 *                  minimise
 *   taskbar.c      the top bar's window buttons: layout, drawing, clicks
 *   resize.c       the corner drag's outline and DISPLAY_RESIZE
 *   input_source.c the one door input comes in by (DISPLAY_INJECT today)
 *   ops.c          the display protocol's ops
 *   main.c         start-up: framebuffer, state, clock, the server loop
 * docs/ARCHITECTURE.md, "The desktop: compositor", says why it is so.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gui/draw.h"
#include "proto/display.h"
#include "proto/input.h"
#include "sys/handle.h"

#define COMP_MAX_WINDOWS 32
#define COMP_SLOTS	 (2 * COMP_MAX_WINDOWS) /* mapping slots: a resize maps before it lets go */
#define GRIP_SIZE	 10	    /* the content's bottom-right corner: drag to resize */
#define OUTLINE_W	 2	    /* the outline shown while resizing */
#define COMP_MAX_PIXELS	 (4u << 20) /* all windows' content together */
#define COMP_MAX_DAMAGE	 32
#define TITLE_H		 20
#define TOPBAR_H	 20
#define CLOSE_SIZE	 16
#define TASK_X0		 40  /* the first window button, right of "os" */
#define TASK_W		 136 /* a window button's width, its gap after it */
#define TASK_GAP	 4
#define CURSOR_W	 16
#define CURSOR_H	 16
#define COMP_STATE_MAGIC 0x636f6d7073746174ull /* "compstat" */
#define COMP_PENDING_NS	 (5000ull * 1000000)   /* how long a record waits for its client */

#define COLOUR_DESKTOP	   0x305878u
#define COLOUR_TOPBAR	   0x101828u
#define COLOUR_TOPBAR_TEXT 0xE8E8E8u
#define COLOUR_TITLE_FOCUS 0x2A62B8u
#define COLOUR_TITLE	   0x6C7480u
#define COLOUR_TITLE_TEXT  0xFFFFFFu
#define COLOUR_CLOSE	   0xC83C3Cu
#define COLOUR_MINIMISE	   0x3C8C50u
#define COLOUR_TASK	   0x34405Au
#define COLOUR_TASK_MIN	   0x1C2230u
#define COLOUR_TASK_DIM	   0x8890A0u
#define COLOUR_CURSOR	   0x000000u
#define COLOUR_CURSOR_FILL 0xFFFFFFu
#define COLOUR_OUTLINE	   0xF0F0F0u
#define COLOUR_OUTLINE_IN  0x000000u

/* A window's place and order, kept in the "state" object across restarts. */
struct comp_record {
	uint64_t badge;
	uint64_t key;
	uint64_t id;
	int32_t x, y;
	uint32_t rank; /* its place in the stack: higher is nearer the top */
	uint32_t used; /* 1: a window; 2: one of the last instance's, waiting for its client */
	uint32_t minimised;
	uint32_t reserved;
};
struct comp_state {
	uint64_t magic;
	uint64_t next_id;
	uint32_t next_rank;
	uint32_t focus_rank; /* the focused window's rank, 0: none */
	struct comp_record rec[COMP_MAX_WINDOWS];
};

struct window {
	bool used;
	uint64_t id, badge, key, pid;
	int32_t x, y;	/* the frame's top left (the title bar's) */
	int32_t w, h;	/* the content */
	bool minimised; /* out of the stack: only its top bar button shows */
	char title[DISPLAY_TITLE_MAX];
	handle_t surface, ntfn;
	struct display_shared *shared; /* the surface's first page */
	const uint32_t *pixels;	       /* the surface's pixels (the client's, changing) */
	uint32_t *image;	       /* the last committed pixels (ours) */
	uint32_t head;		       /* the event ring's head, ours to trust */
	uint32_t slot;
	struct comp_record *rec;
};

struct comp {
	uint32_t *fb; /* the framebuffer (write only: device memory) */
	int32_t width, height, fb_stride;
	uint32_t *back; /* the back buffer: width x height, stride width */
	struct window win[COMP_MAX_WINDOWS];
	struct window *stack[COMP_MAX_WINDOWS]; /* bottom first */
	uint32_t count;
	struct window *focus;
	struct gui_rect damage[COMP_MAX_DAMAGE];
	uint32_t ndamage;
	int32_t cx, cy; /* the cursor */
	uint32_t buttons;
	struct window *drag;
	int32_t drag_dx, drag_dy;
	struct window *sizing;	 /* a corner being dragged: the outline shows the new frame */
	struct gui_rect outline; /* its frame (empty: none shown) */
	uint64_t slots;		 /* bit i: mapping slot i is in use */
	uint64_t clock_base;	 /* wall-clock seconds of day at sys_clock() 0 */
	char clock_text[16];
	uint64_t pixels_in_use;
	struct comp_state *state;
	uint64_t started;  /* sys_clock() at start-up */
	uint64_t fb_bytes; /* written to the framebuffer, for the benchmark */
	uint32_t probe;	   /* an echo probe committed, for the next flush (display.h) */
	const struct comp_sys *sys;
	void *sys_ctx;
};

/* What the compositor needs of the system (main.c; a host test or the benchmark fakes it). */
struct comp_sys {
	/* Map `need` bytes of surface `h` (checked: a memory object that large) for slot. */
	long (*map_surface)(void *ctx, handle_t h, uint32_t slot, uint64_t need, void **va);
	/* Memory for slot's image of `bytes`. */
	long (*map_image)(void *ctx, uint32_t slot, uint64_t bytes, void **va);
	void (*unmap)(void *ctx, uint32_t slot, uint64_t surface_bytes, uint64_t image_bytes);
	/* A new notification: ours in *keep, the client's copy in *give. */
	long (*new_ntfn)(void *ctx, handle_t *keep, handle_t *give);
	void (*signal)(void *ctx, handle_t ntfn);
	void (*close)(void *ctx, handle_t h);
	long (*watch)(void *ctx, uint64_t badge, bool on);
	uint64_t (*clock)(void *ctx);
	/* Window w came back after a restart, ns after the instance started (a log line). */
	void (*restored)(void *ctx, const struct window *w, uint64_t ns);
	/* A frame answering the key tagged `probe` is on the framebuffer (optional). */
	void (*echo)(void *ctx, uint32_t probe);
};

/* A title copied into DISPLAY_TITLE_MAX bytes, cut and terminated (host tests lack strlcpy). */
static inline void comp_copy_title(char *dst, const char *src)
{
	size_t i = 0;

	for (; i + 1 < DISPLAY_TITLE_MAX && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* compose.c */
void comp_damage(struct comp *c, struct gui_rect r);
/* r (screen) as seen of window w: only the parts no window above covers. */
void comp_damage_visible(struct comp *c, const struct window *w, struct gui_rect r);
void comp_flush(struct comp *c);
void comp_compose(struct comp *c, struct gui_rect r);
struct gui_rect comp_frame(const struct window *w);
struct gui_rect comp_close_box(const struct window *w);
struct gui_rect comp_minimise_box(const struct window *w);
/* The content's bottom-right GRIP_SIZE square: a press there starts a resize. */
struct gui_rect comp_grip(const struct window *w);
/* Show the resize outline at r (empty: hide it), damaging only its edges. */
void comp_set_outline(struct comp *c, struct gui_rect r);
struct gui_rect comp_cursor_rect(const struct comp *c);
struct gui_rect comp_clock_rect(const struct comp *c);
void comp_set_clock(struct comp *c, uint64_t now_ns);

/* window.c */
long comp_create(struct comp *c, uint64_t badge, handle_t surface,
		 const struct display_create_request *rq, const char *title,
		 struct display_create_reply *rp, handle_t *give);
struct window *comp_find(struct comp *c, uint64_t id);
void comp_destroy(struct comp *c, struct window *w, bool tell_owner);
void comp_client_gone(struct comp *c, uint64_t badge);
long comp_commit(struct comp *c, struct window *w, struct gui_rect r);
void comp_move(struct comp *c, struct window *w, int32_t x, int32_t y);
void comp_raise(struct comp *c, struct window *w);
void comp_focus(struct comp *c, struct window *w);
void comp_minimise(struct comp *c, struct window *w);
/* DISPLAY_RESIZE: w takes `surface` (drawn) of width x height; takes the handle. */
long comp_resize(struct comp *c, struct window *w, handle_t surface, uint32_t width,
		 uint32_t height);
/* DISPLAY_ASK_SIZE and a corner drag's release: clamp and tell the owner (DISPLAY_EV_RESIZE). */
void comp_ask_size(struct comp *c, struct window *w, int32_t width, int32_t height);
/* Shown again on top of the stack, focused (what raising a minimised window does). */
void comp_restore(struct comp *c, struct window *w);
void comp_send(struct comp *c, struct window *w, uint32_t type, int32_t x, int32_t y,
	       uint32_t data);
struct window *comp_window_at(struct comp *c, int32_t x, int32_t y);
uint32_t comp_z(const struct comp *c, const struct window *w);
void comp_state_open(struct comp *c);
void comp_state_expire(struct comp *c);
/* Mapping slots and the surface-image pairs in them (window.c, for resize.c too). */
uint32_t comp_slot_take(struct comp *c); /* COMP_SLOTS: none free */
void comp_slot_free(struct comp *c, uint32_t slot);
long comp_map_pair(struct comp *c, uint32_t slot, handle_t surface, int32_t width, int32_t height,
		   void **sva, void **iva);
void comp_unmap_window(struct comp *c, const struct window *w);
void comp_use_surface(struct window *w, handle_t surface, void *sva, void *iva);

/* resize.c: the corner drag and DISPLAY_RESIZE */
/* A press at the cursor on w's grip: start showing the outline (true), or not there (false). */
bool comp_start_sizing(struct comp *c, struct window *w);
/* The pointer moved (and maybe let go) while sizing: the outline follows; the release asks. */
void comp_sizing_pointer(struct comp *c, bool released);
void comp_stop_sizing(struct comp *c);

/* taskbar.c: one button per window (by id) between "os" and the clock */
struct gui_rect comp_taskbar_rect(const struct comp *c);
void comp_draw_taskbar(struct comp *c, struct gui_canvas *cv);
/* A press at x on the top bar: restore, minimise the focused one, or raise. */
void comp_taskbar_press(struct comp *c, int32_t x);

/* pointer.c: what a device does */
void comp_pointer(struct comp *c, int32_t x, int32_t y, uint32_t buttons);
/* tsc: the TSC at the key's interrupt (0: unknown), its low half the event's tag. */
void comp_key(struct comp *c, uint32_t code, bool down, uint64_t tsc);
/* Wheel steps (positive away from the user) to the window whose content is under the cursor. */
void comp_wheel(struct comp *c, int32_t steps);

/* input_source.c: the door input comes in by */
long input_source_inject(struct comp *c, uint64_t kind, uint64_t a, uint64_t b, uint64_t c2);

/* Keys without text reach windows as this private-use code point plus their HID usage. */
#define INPUT_SOURCE_KEY_PRIVATE 0xE000u

/* The USB input protocol's events, turned into DISPLAY_INJECT requests. */
struct input_source {
	uint32_t width, height; /* the screen */
	int32_t x, y;		/* the pointer, in pixels */
	uint32_t buttons;	/* bit 0 left, 1 right, 2 middle */
	uint32_t pressed[256];	/* by HID usage: the code its press sent */
};
struct input_source_out {
	uint64_t kind, a, b, c; /* DISPLAY_INJECT's words */
};
/* The request `ev` makes (true), or none (false: no wheel steps, an unknown button). */
bool input_source_translate(struct input_source *s, const struct input_event *ev,
			    struct input_source_out *out);
