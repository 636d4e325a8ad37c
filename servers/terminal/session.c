/* SPDX-License-Identifier: MIT */
/*
 * The terminal's session: what runs behind the window. Until the shell
 * runs on streams, typed keys are echoed into the grid (Enter as a new
 * line, Backspace erasing the last character).
 */
#include "sys/sys.h"
#include "term.h"

long session_start(struct terminal *t)
{
	static const char banner[] = "terminal: echo mode (no shell yet)\r\n";

	sys_lock(&t->shared.lock);
	vt_write(&t->shared.vt, banner, sizeof(banner) - 1);
	term_redraw(t);
	sys_unlock(&t->shared.lock);
	return E_OK;
}

void session_input(struct terminal *t, const char *bytes, size_t n)
{
	sys_lock(&t->shared.lock);
	for (size_t i = 0; i < n; i++) {
		if (bytes[i] == '\r')
			vt_write(&t->shared.vt, "\r\n", 2);
		else if (bytes[i] == 0x7F)
			vt_write(&t->shared.vt, "\b \b", 3);
		else
			vt_write(&t->shared.vt, bytes + i, 1);
	}
	term_redraw(t);
	sys_unlock(&t->shared.lock);
}

void session_interrupt(struct terminal *t)
{
	(void)t;
}
