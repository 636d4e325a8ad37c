/* SPDX-License-Identifier: MIT */
/*
 * The input suite: input injected through the compositor's input door
 * (DISPLAY_INJECT) reaches the right window. Keys go to the focused window
 * only; the pointer goes to the window under it, in content coordinates,
 * and not while it is on a title bar; a press on a covered window's visible
 * part raises and focuses it.
 */
#include "dsktest.h"
#include "sys/sys.h"

#define W 120
#define H 80

static bool key_is(const struct display_event *ev, uint32_t code, int down)
{
	return ev->data == code && ev->x == down;
}

TEST(input, keys_to_focus, "keystrokes reach only the focused window")
{
	struct gui_window a, b;
	struct display_event ev;
	handle_t ep = dt_display();

	T_OK(gui_open(&a, "dt-a", W, H, 100, 300));
	T_OK(gui_open(&b, "dt-b", W, H, 400, 300));
	T_RETURN_IF_FAILED();
	T_OK(display_raise(ep, a.id));
	dt_drain(&a), dt_drain(&b);
	T_OK(display_inject(ep, DISPLAY_INJECT_KEY, 'x', 1, 0));
	T_OK(display_inject(ep, DISPLAY_INJECT_KEY, 'x', 0, 0));
	T_ASSERT(dt_event(&a, DISPLAY_EV_KEY, &ev, 1000) && key_is(&ev, 'x', 1));
	T_ASSERT(dt_event(&a, DISPLAY_EV_KEY, &ev, 1000) && key_is(&ev, 'x', 0));
	T_ASSERT(dt_no_event(&b, DISPLAY_EV_KEY, 200));
	T_OK(display_raise(ep, b.id));
	T_OK(display_inject(ep, DISPLAY_INJECT_KEY, 0x3042, 1, 0)); /* あ: any code point */
	T_ASSERT(dt_event(&b, DISPLAY_EV_KEY, &ev, 1000) && key_is(&ev, 0x3042, 1));
	T_ASSERT(dt_no_event(&a, DISPLAY_EV_KEY, 200));
	gui_close(&a);
	gui_close(&b);
}

TEST(input, pointer_in_window, "the pointer reaches the window under it, in its coordinates")
{
	struct gui_window a;
	struct display_event ev;
	handle_t ep = dt_display();

	T_OK(gui_open(&a, "dt-point", W, H, 100, 300));
	T_RETURN_IF_FAILED();
	dt_drain(&a);
	T_OK(display_inject(ep, DISPLAY_INJECT_POINTER, 100 + 17, 300 + DT_TITLE_H + 9, 0));
	T_ASSERT(dt_event(&a, DISPLAY_EV_POINTER, &ev, 1000));
	T_EQ(ev.x, 17);
	T_EQ(ev.y, 9);
	T_EQ(ev.data, 0);
	T_OK(display_inject(ep, DISPLAY_INJECT_POINTER, 100 + 30, 300 + 5, 0)); /* its title bar */
	T_ASSERT(dt_no_event(&a, DISPLAY_EV_POINTER, 200));
	T_OK(display_inject(ep, DISPLAY_INJECT_POINTER, 10, 700, 0)); /* the desktop */
	T_ASSERT(dt_no_event(&a, DISPLAY_EV_POINTER, 200));
	gui_close(&a);
}

TEST(input, press_raises, "a press on a covered window's visible part raises and focuses it")
{
	struct gui_window a, b;
	struct display_event ev;
	struct display_window_info ia, ib;
	handle_t ep = dt_display();

	T_OK(gui_open(&a, "dt-low", W, H, 100, 300));
	T_OK(gui_open(&b, "dt-high", W, H, 150, 330)); /* opened last: on top, over a's corner */
	T_RETURN_IF_FAILED();
	T_ASSERT(dt_listed(a.id, &ia) && dt_listed(b.id, &ib));
	T_ASSERT((uint32_t)ib.z_focus > (uint32_t)ia.z_focus);
	dt_drain(&a);
	T_OK(display_inject(ep, DISPLAY_INJECT_POINTER, 110, 340, DISPLAY_BUTTON_LEFT));
	T_OK(display_inject(ep, DISPLAY_INJECT_POINTER, 110, 340, 0));
	T_ASSERT(dt_listed(a.id, &ia) && dt_listed(b.id, &ib));
	T_ASSERT((uint32_t)ia.z_focus > (uint32_t)ib.z_focus);
	T_ASSERT(ia.z_focus >> 32 && !(ib.z_focus >> 32));
	T_ASSERT(dt_event(&a, DISPLAY_EV_POINTER, &ev, 1000));
	T_EQ(ev.x, 10);
	T_EQ(ev.y, 340 - 300 - DT_TITLE_H);
	T_EQ(ev.data, DISPLAY_BUTTON_LEFT);
	gui_close(&a);
	gui_close(&b);
}
