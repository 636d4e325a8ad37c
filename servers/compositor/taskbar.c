/* SPDX-License-Identifier: MIT */
/*
 * The top bar's window buttons: one per window, in the order the windows
 * were made (by id), from TASK_X0 towards the clock, as many as fit (six
 * on a 1024-pixel screen; `win` and the shell reach the rest). A button
 * shows its window's title, in the focus colour for the focused window and
 * dimmed for a minimised one. A press on a button brings a minimised
 * window back, minimises the focused window, and raises any other: the
 * smallest set a user expects of a taskbar.
 */
#include "comp.h"

/* Every window, sorted by id; their count. */
static uint32_t by_id(struct comp *c, struct window **out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++) {
		struct window *w = &c->win[i];
		if (!w->used)
			continue;
		uint32_t k = n++;
		for (; k > 0 && out[k - 1]->id > w->id; k--)
			out[k] = out[k - 1];
		out[k] = w;
	}
	return n;
}

/* How many buttons fit between TASK_X0 and the clock. */
static uint32_t fit(const struct comp *c)
{
	int32_t room = comp_clock_rect(c).x - 8 - TASK_X0 + TASK_GAP;

	return room > 0 ? (uint32_t)room / (TASK_W + TASK_GAP) : 0;
}

static struct gui_rect button(uint32_t k)
{
	return (struct gui_rect){TASK_X0 + (int32_t)k * (TASK_W + TASK_GAP), 2, TASK_W,
				 TOPBAR_H - 4};
}

struct gui_rect comp_taskbar_rect(const struct comp *c)
{
	return (struct gui_rect){TASK_X0, 0, (int32_t)fit(c) * (TASK_W + TASK_GAP), TOPBAR_H};
}

static uint32_t button_colour(const struct comp *c, const struct window *w)
{
	return w == c->focus ? COLOUR_TITLE_FOCUS : w->minimised ? COLOUR_TASK_MIN : COLOUR_TASK;
}

void comp_draw_taskbar(struct comp *c, struct gui_canvas *cv)
{
	struct window *w[COMP_MAX_WINDOWS];
	uint32_t n = by_id(c, w), max = fit(c);
	struct gui_rect keep = cv->clip;

	for (uint32_t k = 0; k < n && k < max; k++) {
		struct gui_rect b = button(k), text = {b.x + 4, b.y, b.w - 8, b.h};
		if (gui_rect_empty(gui_rect_intersect(b, keep)))
			continue;
		gui_fill(cv, b, button_colour(c, w[k]));
		gui_canvas_clip(cv, gui_rect_intersect(keep, text));
		gui_text(cv, text.x, text.y, w[k]->title,
			 w[k]->minimised ? COLOUR_TASK_DIM : COLOUR_TITLE_TEXT, 1);
		cv->clip = keep;
	}
}

void comp_taskbar_press(struct comp *c, int32_t x)
{
	struct window *w[COMP_MAX_WINDOWS];
	uint32_t n = by_id(c, w), max = fit(c);

	for (uint32_t k = 0; k < n && k < max; k++) {
		if (!gui_rect_contains(button(k), x, button(k).y))
			continue;
		if (w[k]->minimised)
			comp_restore(c, w[k]);
		else if (w[k] == c->focus && comp_z(c, w[k]) + 1 == c->count)
			comp_minimise(c, w[k]);
		else
			comp_raise(c, w[k]);
		return;
	}
}
