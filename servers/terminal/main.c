/* SPDX-License-Identifier: MIT */
/*
 * terminal: a window of TERM_COLS x TERM_ROWS cells on the desktop (the
 * size it opens at; a drag of its corner changes the grid) with a
 * shell behind it (term.h lists the files). Its endpoint "term<n>" (n from
 * the manifest: terminal serves term1, terminal2 term2, ...) answers the
 * term protocol; one thread takes the window's events (keys to the shell,
 * Shift+PgUp/PgDn and the mouse wheel to the scrollback, Ctrl+Shift+N to
 * another terminal, focus, the cursor's blink, which
 * stops while the window has no focus) and the session's thread the
 * shell's output. Closing the window ends the terminal (and its shell's
 * input); a crash brings it back, empty, with a fresh shell.
 */
#include <string.h>

#include "gui/gui.h"
#include "proto/ns.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"
#include "term.h"

#define BLINK_NS (500 * MS)
#define PRIORITY 12 /* its manifest's: above programs, so keys get through a busy one */

static struct terminal term;
static struct gui_window window;

void term_redraw(struct terminal *t)
{
	struct gui_rect damage = term_render(&t->shared.screen, &t->shared.vt);
	if (!gui_rect_empty(damage))
		gui_commit(t->window, damage);
}

void term_redraw_output(struct terminal *t)
{
	struct gui_rect damage = term_render(&t->shared.screen, &t->shared.vt);
	if (!gui_rect_empty(damage)) {
		gui_commit_probe(t->window, damage, t->probe);
		t->probe = 0;
	}
}

/* Scroll the view by lines and pages (a page: the grid's height less one, whatever its size). */
static void scroll_view(struct terminal *t, int lines, int pages)
{
	sys_lock(&t->shared.lock);
	vt_scroll_view(&t->shared.vt, lines + pages * (t->shared.vt.rows - 1));
	term_redraw(t);
	sys_unlock(&t->shared.lock);
}

/* A wheel's steps, TERM_WHEEL_LINES a step (held to the scrollback's size first). */
static void on_wheel(struct terminal *t, int32_t steps)
{
	if (steps > VT_SCROLLBACK)
		steps = VT_SCROLLBACK;
	if (steps < -VT_SCROLLBACK)
		steps = -VT_SCROLLBACK;
	scroll_view(t, steps * TERM_WHEEL_LINES, 0);
}

static void open_another(void)
{
	long n = term_open_another();

	if (n < 0)
		printf("terminal: Ctrl+Shift+N: no other terminal: %s\n", sys_error_name(n));
	else
		printf("terminal: Ctrl+Shift+N started terminal %ld\n", n);
}

static void on_key(struct terminal *t, const struct display_event *ev)
{
	char bytes[TERM_KEY_MAX];
	size_t n;
	int scroll;
	enum term_key_action a = term_key(&t->keys, ev->data, ev->x != 0, bytes, &n, &scroll);

	if (a == TERM_KEY_SCROLL) { /* keys.c counts a page as the grid it opens with */
		scroll_view(t, 0, scroll / TERM_SCROLL_PAGE);
		return;
	}
	if (a == TERM_KEY_NONE)
		return;
	if (a == TERM_KEY_NEW) {
		open_another();
		return;
	}
	if (a == TERM_KEY_INTR)
		session_interrupt(
			t); /* first: the grid's lock may be busy with a flood of output */
	sys_lock(&t->shared.lock);
	vt_scroll_view(&t->shared.vt, -t->shared.vt.view); /* typing shows the live screen */
	t->shared.screen.blink_on = true;
	t->probe = (uint32_t)ev->y;
	term_redraw(t);
	sys_unlock(&t->shared.lock);
	if (a != TERM_KEY_INTR) /* Ctrl-C is the interrupt alone, as on the serial console */
		session_input(t, bytes, n);
}

/* The grid to cols x rows and the window to match, drawn whole; the old size if either fails. */
static long resize_grid(struct terminal *t, int cols, int rows)
{
	struct vt *vt = &t->shared.vt;
	int old_cols = vt->cols, old_rows = vt->rows;
	long err = vt_resize(vt, cols, rows);

	if (err == E_OK)
		err = gui_resize_begin(t->window, cols * TERM_CELL_W, rows * TERM_CELL_H);
	term_screen_reset(&t->shared.screen);
	if (err == E_OK) {
		term_render(&t->shared.screen, vt);
		err = gui_resize_end(t->window); /* the compositor copies all of it */
	}
	if (err != E_OK) {
		vt_resize(vt, old_cols, old_rows);
		term_screen_reset(&t->shared.screen);
		term_redraw(t);
	}
	return err;
}

/* DISPLAY_EV_RESIZE: the grid becomes as many cells as fit (the window snaps to them). */
static void on_resize(struct terminal *t, int32_t width, int32_t height)
{
	int cols, rows;

	term_grid_size(width, height, &cols, &rows);
	sys_lock(&t->shared.lock);
	bool same = cols == t->shared.vt.cols && rows == t->shared.vt.rows;
	uint64_t start = sys_rdtsc();
	long err = same ? E_OK : resize_grid(t, cols, rows);
	uint64_t ticks = sys_rdtsc() - start;
	sys_unlock(&t->shared.lock);
	if (err == E_OK && !same) /* TSC ticks are guest instructions under -icount */
		printf("terminal: resized to %dx%d cells in %lu TSC ticks\n", cols, rows,
		       (unsigned long)ticks);
	if (err == E_OK)
		session_resized(t, cols, rows);
	else
		printf("terminal: cannot resize to %dx%d: %s\n", cols, rows, sys_error_name(err));
}

static void on_event(struct terminal *t, const struct display_event *ev)
{
	if (ev->type == DISPLAY_EV_KEY) {
		on_key(t, ev);
	} else if (ev->type == DISPLAY_EV_WHEEL) {
		on_wheel(t, (int32_t)ev->data);
	} else if (ev->type == DISPLAY_EV_RESIZE) {
		on_resize(t, ev->x, ev->y);
	} else if (ev->type == DISPLAY_EV_FOCUS) {
		sys_lock(&t->shared.lock);
		t->shared.screen.focused = ev->x != 0;
		t->shared.screen.blink_on = true;
		term_redraw(t);
		sys_unlock(&t->shared.lock);
	}
}

static void blink(struct terminal *t)
{
	sys_lock(&t->shared.lock);
	t->shared.screen.blink_on = !t->shared.screen.blink_on;
	term_redraw(t);
	sys_unlock(&t->shared.lock);
}

static void event_loop(void *arg)
{
	struct terminal *t = arg;
	struct display_event ev;

	for (;;) {
		if (t->shared.screen.focused && t->window->deadline == 0)
			gui_set_timer(t->window, sys_clock() + BLINK_NS);
		long err = gui_next_event(t->window, &ev, GUI_FOREVER);
		if (err == E_OK)
			on_event(t, &ev);
		else if (err == E_TIMEOUT)
			blink(t);
		else if (err == E_CLOSED)
			sys_process_exit(0);
	}
}

/* The endpoint this instance serves ("term<n>") and its n. */
static handle_t own_endpoint(unsigned *n)
{
	uint32_t count;
	const struct start_handle *h = bootstrap_handles(&count);

	for (uint32_t i = 0; i < count; i++) {
		const char *name = h[i].name;
		if (strncmp(name, "term", 4) == 0 && name[4] >= '1' &&
		    name[4] <= '0' + TERM_INSTANCES && name[5] == 0) {
			*n = (unsigned)(name[4] - '0');
			return h[i].handle;
		}
	}
	return HANDLE_INVALID;
}

static long open_window(struct terminal *t)
{
	/* The first lower right (clear of the clock and the desktop tests' places), the others
	 * up left. */
	static const int32_t place[TERM_INSTANCES][2] = {{330, 300}, {40, 110}, {90, 160}};
	char title[DISPLAY_TITLE_MAX] = "terminal 1";
	unsigned k = t->number - 1;

	title[9] = (char)('0' + t->number);
	long err = gui_open(&window, title, TERM_COLS * TERM_CELL_W, TERM_ROWS * TERM_CELL_H,
			    (uint32_t)place[k][0], place[k][1]);
	if (err < 0)
		return err;
	t->window = &window;
	t->shared.screen.canvas = &window.canvas;
	t->shared.screen.focused = true;
	t->shared.screen.blink_on = true;
	term_screen_reset(&t->shared.screen);
	sys_lock(&t->shared.lock);
	term_redraw(t);
	sys_unlock(&t->shared.lock);
	return E_OK;
}

/* TERM_INPUT: bytes typed by a client of the term protocol, as keys would. */
static long op_input(void *ctx, const char *bytes, size_t n)
{
	(void)ctx;
	sys_lock(&term.shared.lock);
	vt_scroll_view(&term.shared.vt, -term.shared.vt.view);
	term_redraw(&term);
	sys_unlock(&term.shared.lock);
	session_input(&term, bytes, n);
	return E_OK;
}

int main(void)
{
	static struct term_ops ops;
	static struct term_server ts = {&ops, &term.shared};
	handle_t ep = own_endpoint(&term.number);
	long err;

	ops = term_grid_ops;
	ops.input = op_input;
	term.priority = PRIORITY;
	if (ep == HANDLE_INVALID) {
		printf("terminal: no term<n> endpoint given\n");
		return 1;
	}
	if ((err = vt_init(&term.shared.vt, TERM_COLS, TERM_ROWS, VT_SCROLLBACK)) < 0 ||
	    (err = open_window(&term)) < 0) {
		printf("terminal: cannot start: %s\n", sys_error_name(err));
		return 1;
	}
	if ((err = session_start(&term)) < 0 ||
	    (err = thread_spawn(event_loop, &term, PRIORITY, NULL)) < 0) {
		printf("terminal: cannot start: %s\n", sys_error_name(err));
		return 1;
	}
	struct server s = term_server(ep, &ts);
	return (int)server_run(&s);
}
