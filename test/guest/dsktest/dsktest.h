/* SPDX-License-Identifier: MIT */
/* What dsktest's suites share (common.c). */
#pragma once

#include <stdbool.h>

#include "gui/gui.h"
#include "test/test.h"

#define DT_TITLE_H 20 /* the compositor's title bar (servers/compositor/comp.h) */

/* The compositor's endpoint (looked up once). */
handle_t dt_display(void);
/* The next event of `type` on w within ms (others skipped); false if none came. */
bool dt_event(struct gui_window *w, uint32_t type, struct display_event *ev, unsigned ms);
/* Whether any event of `type` comes to w within ms. */
bool dt_no_event(struct gui_window *w, uint32_t type, unsigned ms);
/* Skip every queued event of w. */
void dt_drain(struct gui_window *w);
/* The window listed with id, false if none. */
bool dt_listed(uint64_t id, struct display_window_info *info);
/* The crash suite's child: open a window, then fault. */
int dt_child(void);
