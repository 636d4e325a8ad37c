/* SPDX-License-Identifier: MIT */
/* dsktest's shared helpers: the endpoint, waiting for events, the window list. */
#include "dsktest.h"
#include "proto/ns.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

handle_t dt_display(void)
{
	static handle_t ep = HANDLE_INVALID;

	if (ep == HANDLE_INVALID) {
		long h = ns_lookup_self(DISPLAY_NAME);
		ep = h < 0 ? HANDLE_INVALID : (handle_t)h;
	}
	return ep;
}

bool dt_event(struct gui_window *w, uint32_t type, struct display_event *ev, unsigned ms)
{
	uint64_t end = sys_clock() + ms * MS;

	while (sys_clock() < end) {
		if (gui_next_event(w, ev, end - sys_clock()) == E_OK && ev->type == type)
			return true;
	}
	return false;
}

bool dt_no_event(struct gui_window *w, uint32_t type, unsigned ms)
{
	struct display_event ev;

	return !dt_event(w, type, &ev, ms);
}

void dt_drain(struct gui_window *w)
{
	struct display_event ev;

	while (gui_next_event(w, &ev, 0) == E_OK)
		;
}

bool dt_listed(uint64_t id, struct display_window_info *info)
{
	char title[DISPLAY_TITLE_MAX];

	for (uint64_t n = 0; display_list(dt_display(), n, info, title) == E_OK; n++)
		if (info->id == id)
			return true;
	return false;
}

int dt_child(void)
{
	struct gui_window w;

	if (gui_open(&w, "doomed", 64, 32, 600, 500) < 0)
		return 2;
	gui_fill(&w.canvas, (struct gui_rect){0, 0, 64, 32}, 0xFF00FF);
	gui_commit_all(&w);
	printf("dsktest child: window %lu open; faulting soon\n", (unsigned long)w.id);
	sys_sleep(300 * MS); /* long enough for the parent to see the window */
	volatile uintptr_t nowhere = 8;
	*(volatile int *)nowhere = 1; /* a page fault: killed */
	return 0;
}
