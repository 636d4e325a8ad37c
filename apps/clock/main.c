/* SPDX-License-Identifier: MIT */
/*
 * clock: a window showing the wall clock, HH:MM:SS, redrawn and committed
 * once a second (the compositor's DISPLAY_INFO says what the RTC said at
 * boot). Its title, "clock 時計", shows the Japanese glyphs of the font
 * table. Closing its window ends it.
 *
 * As a service it serves the endpoint "clock", which answers only the
 * supervisor (heartbeat, fault injection: server_run's own methods) from
 * a thread of its own, so `svc fi clock` reaches it. The heartbeat says
 * the process is alive, not that its window is drawn: the drawing loop
 * waits on the compositor and has nothing else to wait on.
 */
#include "gui/gui.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"

#define WIDTH	       160
#define HEIGHT	       48
#define BACKGROUND     0x1B2330u
#define DIGITS	       0x9BE7FFu
#define SECOND	       1000000000ull
#define SERVE_PRIORITY 10 /* the thread answering the supervisor */

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

static void serve(void *arg)
{
	struct server none = {.endpoint = (handle_t)(uintptr_t)arg};

	server_run(&none);
}

/* The supervisor's endpoint, answered from a thread (none when run as a program). */
static void serve_supervisor(void)
{
	handle_t ep = start_handle("clock", NULL);

	if (ep != HANDLE_INVALID &&
	    thread_spawn(serve, (void *)(uintptr_t)ep, SERVE_PRIORITY, NULL) < 0)
		printf("clock: no thread for its endpoint\n");
}

int main(void)
{
	struct gui_window w;
	struct display_info info = {0};
	struct display_event ev;

	serve_supervisor(); /* first: the window waits for the compositor, the heartbeat does not */
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
