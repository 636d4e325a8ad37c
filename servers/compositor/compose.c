/* SPDX-License-Identifier: MIT */
/*
 * Composition: damage rectangles are collected while requests are handled
 * and flushed before the server waits again (comp_flush). Each one is
 * composed into the back buffer from the bottom up (desktop, each window's
 * title bar and its last committed pixels, a resize's outline, the top
 * bar, the cursor),
 * starting at the highest window that covers all of it, then copied to the
 * framebuffer, which is never read. Damage is kept as rectangles that do
 * not overlap, so no pixel is composed twice in one flush; a commit damages
 * only the parts of its rectangle no window above covers
 * (comp_damage_visible), so the framebuffer sees only pixels that may have
 * changed. Pure C: the benchmark and host code run it on plain memory.
 */
#include "comp.h"

static struct gui_rect screen_rect(const struct comp *c)
{
	return (struct gui_rect){0, 0, c->width, c->height};
}

struct gui_rect comp_frame(const struct window *w)
{
	return (struct gui_rect){w->x, w->y, w->w, w->h + TITLE_H};
}

struct gui_rect comp_close_box(const struct window *w)
{
	return (struct gui_rect){w->x + w->w - CLOSE_SIZE - 2, w->y + 2, CLOSE_SIZE, CLOSE_SIZE};
}

/* Left of the close box; none on a window too narrow for both (under 48 pixels). */
struct gui_rect comp_minimise_box(const struct window *w)
{
	if (w->w < 3 * CLOSE_SIZE)
		return (struct gui_rect){w->x, w->y, 0, 0};
	return (struct gui_rect){w->x + w->w - 2 * CLOSE_SIZE - 4, w->y + 2, CLOSE_SIZE,
				 CLOSE_SIZE};
}

struct gui_rect comp_cursor_rect(const struct comp *c)
{
	return (struct gui_rect){c->cx, c->cy, CURSOR_W, CURSOR_H};
}

struct gui_rect comp_clock_rect(const struct comp *c)
{
	return (struct gui_rect){c->width - 8 * 8 - 8, 2, 8 * 8, 16};
}

static bool overlaps(struct gui_rect a, struct gui_rect b)
{
	return !gui_rect_empty(gui_rect_intersect(a, b));
}

/* Split r around hole: up to four pieces of r outside it, appended to out. */
static uint32_t subtract(struct gui_rect r, struct gui_rect hole, struct gui_rect *out)
{
	struct gui_rect h = gui_rect_intersect(r, hole);
	uint32_t n = 0;

	if (gui_rect_empty(h)) {
		out[n++] = r;
		return n;
	}
	if (h.y > r.y)
		out[n++] = (struct gui_rect){r.x, r.y, r.w, h.y - r.y};
	if (h.y + h.h < r.y + r.h)
		out[n++] = (struct gui_rect){r.x, h.y + h.h, r.w, r.y + r.h - h.y - h.h};
	if (h.x > r.x)
		out[n++] = (struct gui_rect){r.x, h.y, h.x - r.x, h.h};
	if (h.x + h.w < r.x + r.w)
		out[n++] = (struct gui_rect){h.x + h.w, h.y, r.x + r.w - h.x - h.w, h.h};
	return n;
}

#define PIECES 64

/* Every damaged rectangle replaced by the one rectangle around them all and r. */
static void collapse(struct comp *c, struct gui_rect r)
{
	for (uint32_t i = 0; i < c->ndamage; i++)
		r = gui_rect_union(r, c->damage[i]);
	c->damage[0] = r;
	c->ndamage = 1;
}

/*
 * Add r to the damage: only its parts not damaged already, so the list
 * never overlaps itself and no pixel is composed twice in a flush. Past
 * COMP_MAX_DAMAGE pieces it becomes one rectangle around everything.
 */
void comp_damage(struct comp *c, struct gui_rect r)
{
	struct gui_rect a[PIECES], b[PIECES];
	uint32_t n = 1;

	r = gui_rect_intersect(r, screen_rect(c));
	if (gui_rect_empty(r))
		return;
	a[0] = r;
	for (uint32_t i = 0; i < c->ndamage && n; i++) {
		uint32_t m = 0;
		for (uint32_t k = 0; k < n && m + 4 <= PIECES; k++)
			m += subtract(a[k], c->damage[i], b + m);
		if (m + 4 > PIECES) {
			collapse(c, r);
			return;
		}
		for (uint32_t k = 0; k < m; k++)
			a[k] = b[k];
		n = m;
	}
	if (c->ndamage + n > COMP_MAX_DAMAGE) {
		collapse(c, r);
		return;
	}
	for (uint32_t k = 0; k < n; k++)
		c->damage[c->ndamage++] = a[k];
}

void comp_damage_visible(struct comp *c, const struct window *w, struct gui_rect r)
{
	struct gui_rect a[PIECES], b[PIECES];
	uint32_t n = 1, z = comp_z(c, w);

	a[0] = r;
	for (uint32_t i = z + 1; i < c->count && n; i++) {
		uint32_t m = 0;
		for (uint32_t k = 0; k < n; k++) {
			if (m + 4 > PIECES) { /* too fragmented: the whole rectangle */
				comp_damage(c, r);
				return;
			}
			m += subtract(a[k], comp_frame(c->stack[i]), b + m);
		}
		for (uint32_t k = 0; k < m; k++)
			a[k] = b[k];
		n = m;
	}
	struct gui_rect bar = {0, 0, c->width, TOPBAR_H};
	for (uint32_t k = 0; k < n; k++) {
		struct gui_rect piece[4];
		uint32_t m = subtract(a[k], bar, piece);
		for (uint32_t j = 0; j < m; j++)
			comp_damage(c, piece[j]);
	}
}

static void draw_title_bar(struct comp *c, struct gui_canvas *cv, const struct window *w)
{
	struct gui_rect bar = {w->x, w->y, w->w, TITLE_H}, x = comp_close_box(w);
	struct gui_rect m = comp_minimise_box(w);
	int32_t text_end = gui_rect_empty(m) ? x.x : m.x;

	gui_fill(cv, bar, w == c->focus ? COLOUR_TITLE_FOCUS : COLOUR_TITLE);
	struct gui_rect keep = cv->clip;
	gui_canvas_clip(cv, gui_rect_intersect(
				    keep, (struct gui_rect){w->x, w->y, text_end - w->x, TITLE_H}));
	gui_text(cv, w->x + 6, w->y + 2, w->title, COLOUR_TITLE_TEXT, 1);
	cv->clip = keep;
	if (!gui_rect_empty(m)) {
		gui_fill(cv, m, COLOUR_MINIMISE);
		gui_line(cv, m.x + 4, m.y + m.h - 5, m.x + m.w - 5, m.y + m.h - 5,
			 COLOUR_TITLE_TEXT);
	}
	gui_fill(cv, x, COLOUR_CLOSE);
	gui_line(cv, x.x + 4, x.y + 4, x.x + x.w - 5, x.y + x.h - 5, COLOUR_TITLE_TEXT);
	gui_line(cv, x.x + x.w - 5, x.y + 4, x.x + 4, x.y + x.h - 5, COLOUR_TITLE_TEXT);
}

static void draw_window(struct comp *c, struct gui_canvas *cv, const struct window *w)
{
	if (!overlaps(comp_frame(w), cv->clip))
		return;
	if (overlaps((struct gui_rect){w->x, w->y, w->w, TITLE_H}, cv->clip))
		draw_title_bar(c, cv, w);
	gui_blit(cv, w->x, w->y + TITLE_H, w->image, w->w, w->h, w->w);
}

/* The frame a resize would give (resize.c): light outside, dark inside, seen on any colour. */
static void draw_outline(struct comp *c, struct gui_canvas *cv)
{
	struct gui_rect r = c->outline;

	if (gui_rect_empty(r) || !overlaps(r, cv->clip))
		return;
	gui_frame(cv, r, COLOUR_OUTLINE);
	gui_frame(cv, (struct gui_rect){r.x + 1, r.y + 1, r.w - 2, r.h - 2}, COLOUR_OUTLINE_IN);
}

static void draw_top_bar(struct comp *c, struct gui_canvas *cv)
{
	struct gui_rect bar = {0, 0, c->width, TOPBAR_H};

	if (!overlaps(bar, cv->clip))
		return;
	gui_fill(cv, bar, COLOUR_TOPBAR);
	gui_text(cv, 8, 2, "os", COLOUR_TOPBAR_TEXT, 1);
	comp_draw_taskbar(c, cv);
	struct gui_rect clock = comp_clock_rect(c);
	gui_text(cv, clock.x, clock.y, c->clock_text, COLOUR_TOPBAR_TEXT, 1);
}

/*
 * The arrow, made from its outline rather than drawn by hand: rows 0-15,
 * row y spans columns 0 to y * 5 / 8 (its slanted edge), outline black.
 */
static void draw_cursor(struct comp *c, struct gui_canvas *cv)
{
	if (!overlaps(comp_cursor_rect(c), cv->clip))
		return;
	for (int32_t y = 0; y < CURSOR_H; y++) {
		int32_t last = y * 5 / 8;
		for (int32_t x = 0; x <= last; x++) {
			bool edge = x == 0 || x == last || y == CURSOR_H - 1;
			int32_t px = c->cx + x, py = c->cy + y;
			if (gui_rect_contains(cv->clip, px, py))
				cv->pixels[(int64_t)py * cv->stride + px] =
					edge ? COLOUR_CURSOR : COLOUR_CURSOR_FILL;
		}
	}
}

static bool contains(struct gui_rect outer, struct gui_rect inner)
{
	return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
	       inner.y + inner.h <= outer.y + outer.h;
}

/* 1 + the highest window whose frame covers all of r (what is below it is hidden), or 0. */
static uint32_t first_visible(const struct comp *c, struct gui_rect r)
{
	for (uint32_t i = c->count; i-- > 0;)
		if (contains(comp_frame(c->stack[i]), r))
			return i + 1;
	return 0;
}

void comp_compose(struct comp *c, struct gui_rect r)
{
	struct gui_canvas cv;

	uint32_t first = first_visible(c, r);

	gui_canvas_init(&cv, c->back, c->width, c->height, c->width);
	gui_canvas_clip(&cv, r);
	if (first == 0)
		gui_fill(&cv, r, COLOUR_DESKTOP);
	for (uint32_t i = first == 0 ? 0 : first - 1; i < c->count; i++)
		draw_window(c, &cv, c->stack[i]);
	draw_outline(c, &cv);
	draw_top_bar(c, &cv);
	draw_cursor(c, &cv);
}

static void copy_to_fb(struct comp *c, struct gui_rect r)
{
	const uint32_t *src = c->back + (int64_t)r.y * c->width + r.x;
	uint32_t *dst = c->fb + (int64_t)r.y * c->fb_stride + r.x;

	for (int32_t y = 0; y < r.h; y++, src += c->width, dst += c->fb_stride)
		gui_copy_pixels(dst, src, r.w);
	c->fb_bytes += (uint64_t)r.w * r.h * 4;
}

void comp_flush(struct comp *c)
{
	for (uint32_t i = 0; i < c->ndamage; i++) {
		comp_compose(c, c->damage[i]);
		copy_to_fb(c, c->damage[i]);
	}
	c->ndamage = 0;
	if (c->probe && c->sys && c->sys->echo)
		c->sys->echo(c->sys_ctx, c->probe);
	c->probe = 0;
}

/* The top bar's clock, HH:MM:SS of the wall clock; damages it when the text changes. */
void comp_set_clock(struct comp *c, uint64_t now_ns)
{
	uint64_t s = (c->clock_base + now_ns / 1000000000ull) % 86400;
	char t[16] = {(char)('0' + s / 36000),	    (char)('0' + s / 3600 % 10), ':',
		      (char)('0' + s % 3600 / 600), (char)('0' + s % 600 / 60),	 ':',
		      (char)('0' + s % 60 / 10),    (char)('0' + s % 10),	 0};

	for (int i = 0; i < 16; i++) {
		if (t[i] != c->clock_text[i]) {
			for (int k = 0; k < 16; k++)
				c->clock_text[k] = t[k];
			comp_damage(c, comp_clock_rect(c));
			return;
		}
	}
}
