/* SPDX-License-Identifier: MIT */
/*
 * What the pointer and the keyboard do on the desktop. The cursor moves
 * by damaging the rectangle it leaves and the one it enters. A left press
 * focuses and raises the window under the cursor; on its close button it
 * closes it, on its title bar it starts a drag that moves the window with
 * the cursor until the release; on its content's bottom-right corner it
 * starts a resize (resize.c); on its minimise button it minimises it
 * (the top bar's buttons, taskbar.c, bring it back). Inside a window's content the pointer goes
 * to that window in content coordinates (presses, moves, releases), and
 * so does the wheel, focused or not (as on most desktops); keys go to the
 * focused window.
 */
#include "comp.h"

static struct gui_rect content(const struct window *w)
{
	return (struct gui_rect){w->x, w->y + TITLE_H, w->w, w->h};
}

static void move_cursor(struct comp *c, int32_t x, int32_t y)
{
	if (x == c->cx && y == c->cy)
		return;
	comp_damage(c, comp_cursor_rect(c));
	c->cx = x;
	c->cy = y;
	comp_damage(c, comp_cursor_rect(c));
}

static void press(struct comp *c, struct window *w)
{
	if (!w) {
		comp_focus(c, NULL);
		return;
	}
	if (gui_rect_contains(comp_minimise_box(w), c->cx, c->cy)) {
		comp_minimise(c, w);
		return;
	}
	comp_raise(c, w);
	if (comp_start_sizing(c, w))
		return;
	if (gui_rect_contains(comp_close_box(w), c->cx, c->cy)) {
		comp_destroy(c, w, true);
	} else if (c->cy < w->y + TITLE_H) {
		c->drag = w;
		c->drag_dx = c->cx - w->x;
		c->drag_dy = c->cy - w->y;
	}
}

static void to_window(struct comp *c, struct window *w, uint32_t buttons)
{
	if (w && gui_rect_contains(content(w), c->cx, c->cy))
		comp_send(c, w, DISPLAY_EV_POINTER, c->cx - w->x, c->cy - w->y - TITLE_H, buttons);
}

void comp_pointer(struct comp *c, int32_t x, int32_t y, uint32_t buttons)
{
	bool pressed = buttons & ~c->buttons & DISPLAY_BUTTON_LEFT;
	bool released = c->buttons & ~buttons & DISPLAY_BUTTON_LEFT;

	x = x < 0 ? 0 : x >= c->width ? c->width - 1 : x;
	y = y < 0 ? 0 : y >= c->height ? c->height - 1 : y;
	move_cursor(c, x, y);
	c->buttons = buttons;
	if (c->drag) {
		comp_move(c, c->drag, x - c->drag_dx, y - c->drag_dy);
		if (released)
			c->drag = NULL;
		return;
	}
	if (c->sizing) {
		comp_sizing_pointer(c, released);
		return;
	}
	if (y < TOPBAR_H) {
		if (pressed)
			comp_taskbar_press(c, x);
		return;
	}
	struct window *w = comp_window_at(c, x, y);
	if (pressed)
		press(c, w);
	if (w && w->used && !c->drag && !c->sizing)
		to_window(c, w, buttons);
}

void comp_key(struct comp *c, uint32_t code, bool down, uint64_t tsc)
{
	if (c->focus)
		comp_send(c, c->focus, DISPLAY_EV_KEY, down, (int32_t)(uint32_t)tsc, code);
}

void comp_wheel(struct comp *c, int32_t steps)
{
	struct window *w = c->drag || c->sizing ? NULL : comp_window_at(c, c->cx, c->cy);

	if (w && steps && gui_rect_contains(content(w), c->cx, c->cy))
		comp_send(c, w, DISPLAY_EV_WHEEL, c->cx - w->x, c->cy - w->y - TITLE_H,
			  (uint32_t)steps);
}
