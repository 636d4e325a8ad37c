/* SPDX-License-Identifier: MIT */
/*
 * clock: a window showing the wall clock, HH:MM:SS, redrawn and committed
 * once a second (the compositor's DISPLAY_INFO says what the RTC said at
 * boot). Its title, "clock 時計", shows the Japanese glyphs of the font
 * table. Closing its window ends it.
 */
#include "gui/gui.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define WIDTH	   160
#define HEIGHT	   48
#define BACKGROUND 0x1B2330u
#define DIGITS	   0x9BE7FFu
#define SECOND	   1000000000ull

static void draw(struct gui_window *w, uint64_t base)
{
	uint64_t s = (base + sys_clock() / SECOND) % 86400;
	char t[9] = {(char)('0' + s / 36000),	   (char)('0' + s / 3600 % 10), ':',
		     (char)('0' + s % 3600 / 600), (char)('0' + s % 600 / 60),	':',
		     (char)('0' + s % 60 / 10),	   (char)('0' + s % 10),	0};

	gui_fill(&w->canvas, (struct gui_rect){0, 0, WIDTH, HEIGHT}, BACKGROUND);
	gui_text(&w->canvas, (WIDTH - 2 * gui_text_width(t)) / 2, 8, t, DIGITS, 2);
	gui_commit_all(w);
}

int main(void)
{
	struct gui_window w;
	struct display_info info = {0};
	struct display_event ev;

	long err = gui_open(&w, "clock \xE6\x99\x82\xE8\xA8\x88", WIDTH, HEIGHT, 700, 60);
	if (err < 0) {
		printf("clock: no window: %s\n", sys_error_name(err));
		return 1;
	}
	gui_info(&w, &info);
	for (;;) {
		draw(&w, info.clock_base);
		gui_set_timer(&w, (sys_clock() / SECOND + 1) * SECOND);
		while ((err = gui_next_event(&w, &ev, GUI_FOREVER)) == E_OK)
			;
		if (err == E_CLOSED)
			return 0;
	}
}
