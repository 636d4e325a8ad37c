/* SPDX-License-Identifier: MIT */
/*
 * paint: a canvas that draws where the pointer moves with the left button
 * held, a line from each point to the next, and commits only the rectangle
 * each stroke touched: pointer input, in window coordinates, made visible.
 * The key 'c' clears it. Closing its window ends it.
 */
#include "gui/gui.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define WIDTH  320
#define HEIGHT 240
#define PAPER  0xFFFFFFu
#define INK    0xD03030u

static struct gui_rect span(int32_t x0, int32_t y0, int32_t x1, int32_t y1)
{
	int32_t lx = x0 < x1 ? x0 : x1, ly = y0 < y1 ? y0 : y1;
	return (struct gui_rect){lx, ly, (x0 > x1 ? x0 : x1) - lx + 1,
				 (y0 > y1 ? y0 : y1) - ly + 1};
}

static void clear(struct gui_window *w)
{
	gui_fill(&w->canvas, (struct gui_rect){0, 0, WIDTH, HEIGHT}, PAPER);
	gui_commit_all(w);
}

int main(void)
{
	struct gui_window w;
	struct display_event ev;
	bool down = false;
	int32_t px = 0, py = 0;
	long err = gui_open(&w, "paint", WIDTH, HEIGHT, DISPLAY_PLACE_AUTO, 0);

	if (err < 0) {
		printf("paint: no window: %s\n", sys_error_name(err));
		return 1;
	}
	clear(&w);
	while ((err = gui_next_event(&w, &ev, GUI_FOREVER)) != E_CLOSED) {
		if (err != E_OK)
			continue;
		if (ev.type == DISPLAY_EV_KEY && ev.x && ev.data == 'c')
			clear(&w);
		if (ev.type != DISPLAY_EV_POINTER)
			continue;
		bool held = ev.data & DISPLAY_BUTTON_LEFT;
		if (held && down) {
			gui_line(&w.canvas, px, py, ev.x, ev.y, INK);
			gui_commit(&w, span(px, py, ev.x, ev.y));
		} else if (held) {
			gui_fill(&w.canvas, (struct gui_rect){ev.x, ev.y, 1, 1}, INK);
			gui_commit(&w, (struct gui_rect){ev.x, ev.y, 1, 1});
		}
		down = held;
		px = ev.x;
		py = ev.y;
	}
	return 0;
}
