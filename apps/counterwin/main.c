/* SPDX-License-Identifier: MIT */
/*
 * counterwin: a window that counts as fast as it can, redrawing and
 * committing the number each time (MikanOS's counter window): it keeps
 * counting while other windows are dragged, so one busy app is seen not to
 * freeze the desktop. It also shows the last key its window was sent
 * (keys reach only the focused window). Closing its window ends it.
 */
#include "gui/gui.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define WIDTH	   200
#define HEIGHT	   56
#define BACKGROUND 0xF4F1E8u
#define INK	   0x202020u

struct state {
	uint64_t count;
	uint32_t keys;
	char last[8];
};

static void draw(struct gui_window *w, const struct state *s)
{
	char line[40];

	gui_fill(&w->canvas, (struct gui_rect){0, 0, WIDTH, HEIGHT}, BACKGROUND);
	snprintf(line, sizeof(line), "%lu", (unsigned long)s->count);
	gui_text(&w->canvas, 8, 6, line, INK, 2);
	snprintf(line, sizeof(line), "keys %u %s", s->keys, s->last);
	gui_text(&w->canvas, 8, 38, line, INK, 1);
}

/* A key: count it and keep its character (ASCII shown as itself). */
static void key(struct state *s, const struct display_event *ev)
{
	if (ev->type != DISPLAY_EV_KEY || !ev->x)
		return;
	s->keys++;
	s->last[0] = ev->data >= 0x20 && ev->data < 0x7F ? (char)ev->data : '?';
	s->last[1] = 0;
}

int main(void)
{
	struct gui_window w;
	struct state s = {0};
	struct display_event ev;

	long err = gui_open(&w, "counter", WIDTH, HEIGHT, 700, 150);
	if (err < 0) {
		printf("counterwin: no window: %s\n", sys_error_name(err));
		return 1;
	}
	for (;; s.count++) {
		draw(&w, &s);
		gui_commit_all(&w);
		while ((err = gui_next_event(&w, &ev, 0)) == E_OK)
			key(&s, &ev);
		if (err == E_CLOSED)
			return 0;
		sys_sleep(10 * MS); /* about a hundred frames a second, no more */
	}
}
