/* SPDX-License-Identifier: MIT */
/*
 * Resizing a window. A press on the content's bottom-right corner (its
 * grip, GRIP_SIZE square) starts a drag that shows an outline of the new
 * frame, clamped to DISPLAY_MIN_WIDTH x DISPLAY_MIN_HEIGHT and to the
 * screen; only the outline's edges are damaged as it follows the cursor,
 * so a drag costs what a thin frame costs, never a window's redraw. At the
 * release the owner gets DISPLAY_EV_RESIZE with the new content size
 * (DISPLAY_ASK_SIZE asks the same without a mouse). Nothing changes until
 * the owner answers with DISPLAY_RESIZE: its new surface, drawn already,
 * is checked and mapped into a spare slot before the old one is let go,
 * so a bad surface leaves the window as it was; the events not read yet
 * move to the new ring, and the whole surface is copied into a new image
 * at once (the window never shows a half-drawn size).
 */
#include "comp.h"
#include "sys/errors.h"

static struct gui_rect content_rect(const struct window *w)
{
	return (struct gui_rect){w->x, w->y + TITLE_H, w->w, w->h};
}

struct gui_rect comp_grip(const struct window *w)
{
	struct gui_rect r = content_rect(w);

	return (struct gui_rect){r.x + r.w - GRIP_SIZE, r.y + r.h - GRIP_SIZE, GRIP_SIZE,
				 GRIP_SIZE};
}

static void damage_edges(struct comp *c, struct gui_rect r)
{
	if (gui_rect_empty(r))
		return;
	comp_damage(c, (struct gui_rect){r.x, r.y, r.w, OUTLINE_W});
	comp_damage(c, (struct gui_rect){r.x, r.y + r.h - OUTLINE_W, r.w, OUTLINE_W});
	comp_damage(c, (struct gui_rect){r.x, r.y, OUTLINE_W, r.h});
	comp_damage(c, (struct gui_rect){r.x + r.w - OUTLINE_W, r.y, OUTLINE_W, r.h});
}

void comp_set_outline(struct comp *c, struct gui_rect r)
{
	damage_edges(c, c->outline);
	c->outline = r;
	damage_edges(c, r);
}

static int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
	if (hi < lo)
		hi = lo;
	return v < lo ? lo : v > hi ? hi : v;
}

/* A content size for w: at least the minimum, its frame within the screen, sides <= 2048. */
static void clamp_size(const struct comp *c, const struct window *w, int32_t *width,
		       int32_t *height)
{
	int32_t max_w = c->width - (w->x > 0 ? w->x : 0);
	int32_t max_h = c->height - w->y - TITLE_H;

	*width = clamp(*width, DISPLAY_MIN_WIDTH,
		       max_w < DISPLAY_MAX_SIDE ? max_w : DISPLAY_MAX_SIDE);
	*height = clamp(*height, DISPLAY_MIN_HEIGHT,
			max_h < DISPLAY_MAX_SIDE ? max_h : DISPLAY_MAX_SIDE);
}

void comp_ask_size(struct comp *c, struct window *w, int32_t width, int32_t height)
{
	clamp_size(c, w, &width, &height);
	comp_send(c, w, DISPLAY_EV_RESIZE, width, height, 0);
}

bool comp_start_sizing(struct comp *c, struct window *w)
{
	struct gui_rect grip = comp_grip(w);

	if (!gui_rect_contains(grip, c->cx, c->cy))
		return false;
	c->sizing = w;
	c->drag_dx = w->x + w->w - c->cx; /* from the cursor to the frame's right edge */
	c->drag_dy = w->y + TITLE_H + w->h - c->cy;
	comp_set_outline(c, comp_frame(w));
	return true;
}

void comp_stop_sizing(struct comp *c)
{
	c->sizing = NULL;
	comp_set_outline(c, (struct gui_rect){0, 0, 0, 0});
}

void comp_sizing_pointer(struct comp *c, bool released)
{
	struct window *w = c->sizing;
	int32_t width = c->cx + c->drag_dx - w->x, height = c->cy + c->drag_dy - w->y - TITLE_H;

	clamp_size(c, w, &width, &height);
	if (!released) {
		comp_set_outline(c, (struct gui_rect){w->x, w->y, width, height + TITLE_H});
		return;
	}
	comp_stop_sizing(c);
	if (width != w->w || height != w->h)
		comp_send(c, w, DISPLAY_EV_RESIZE, width, height, 0);
}

/* The events w's client has not read, moved from the old ring to the start of `to`. */
static void move_events(struct window *w, struct display_shared *to)
{
	const struct display_shared *from = w->shared;
	uint32_t tail = __atomic_load_n(&from->tail, __ATOMIC_ACQUIRE);
	uint32_t n = w->head - tail <= DISPLAY_EVENTS ? w->head - tail : 0; /* a lying tail: none */

	for (uint32_t i = 0; i < n; i++)
		to->ev[i] = from->ev[(tail + i) % DISPLAY_EVENTS];
	w->head = n;
	__atomic_store_n(&to->head, n, __ATOMIC_RELEASE);
}

static void copy_all(struct window *w)
{
	for (int32_t y = 0; y < w->h; y++)
		gui_copy_pixels(w->image + (int64_t)y * w->w, w->pixels + (int64_t)y * w->w, w->w);
}

static long check_resize(const struct comp *c, const struct window *w, uint32_t width,
			 uint32_t height)
{
	uint64_t pixels = c->pixels_in_use - (uint64_t)w->w * w->h + (uint64_t)width * height;

	return pixels > COMP_MAX_PIXELS ? E_NOSPACE : E_OK;
}

long comp_resize(struct comp *c, struct window *w, handle_t surface, uint32_t width,
		 uint32_t height)
{
	void *sva = NULL, *iva = NULL;
	long err = check_resize(c, w, width, height);
	uint32_t slot = err == E_OK ? comp_slot_take(c) : COMP_SLOTS;

	if (err == E_OK && slot == COMP_SLOTS)
		err = E_NOSPACE;
	if (err == E_OK)
		err = comp_map_pair(c, slot, surface, (int32_t)width, (int32_t)height, &sva, &iva);
	if (err < 0) {
		if (slot < COMP_SLOTS)
			comp_slot_free(c, slot);
		c->sys->close(c->sys_ctx, surface);
		return err;
	}
	struct gui_rect old = comp_frame(w);
	move_events(w, sva);
	comp_unmap_window(c, w);
	c->sys->close(c->sys_ctx, w->surface);
	c->pixels_in_use += (uint64_t)width * height - (uint64_t)w->w * w->h;
	w->slot = slot;
	w->w = (int32_t)width;
	w->h = (int32_t)height;
	comp_use_surface(w, surface, sva, iva);
	copy_all(w);
	if (!w->minimised)
		comp_damage(c, old);
	comp_move(c, w, w->x, w->y); /* the title bar kept reachable; damages the new frame */
	return E_OK;
}
