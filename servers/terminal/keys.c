/* SPDX-License-Identifier: MIT */
/*
 * Keys to bytes: what an xterm sends for each key the window reports.
 * Keys with text arrive as their code point (Ctrl+letter as its control
 * code); keys without text as U+E000 + their HID usage (input_source.c in
 * the compositor), modifiers included, which is how Shift and Ctrl are
 * tracked here. Enter sends CR, Backspace DEL, the cursor and editing keys
 * their CSI sequences; Shift+PgUp/PgDn scroll the scrollback instead, and
 * Ctrl+Shift+N (Ctrl+N's code 0x0E with Shift held) opens another terminal.
 */
#include <string.h>

#include "term.h"

#define KEY_PRIVATE  0xE000u
#define USAGE_INSERT 0x49
#define USAGE_HOME   0x4A
#define USAGE_PGUP   0x4B
#define USAGE_DELETE 0x4C
#define USAGE_END    0x4D
#define USAGE_PGDN   0x4E
#define USAGE_RIGHT  0x4F
#define USAGE_LEFT   0x50
#define USAGE_DOWN   0x51
#define USAGE_UP     0x52
#define USAGE_LCTRL  0xE0
#define USAGE_LSHIFT 0xE1
#define USAGE_RCTRL  0xE4
#define USAGE_RSHIFT 0xE5
#define CTRL_N	     0x0E

static const struct {
	uint8_t usage;
	const char *bytes;
} special[] = {
	{USAGE_UP, "\x1b[A"},	   {USAGE_DOWN, "\x1b[B"},    {USAGE_RIGHT, "\x1b[C"},
	{USAGE_LEFT, "\x1b[D"},	   {USAGE_HOME, "\x1b[H"},    {USAGE_END, "\x1b[F"},
	{USAGE_INSERT, "\x1b[2~"}, {USAGE_DELETE, "\x1b[3~"}, {USAGE_PGUP, "\x1b[5~"},
	{USAGE_PGDN, "\x1b[6~"},
};

/* A key without text: a modifier, a scroll, or a sequence. */
static enum term_key_action private_key(struct term_keys *k, uint8_t usage, bool pressed, char *out,
					size_t *len, int *scroll)
{
	if (usage == USAGE_LSHIFT || usage == USAGE_RSHIFT)
		k->shift = pressed;
	if (usage == USAGE_LCTRL || usage == USAGE_RCTRL)
		k->ctrl = pressed;
	if (!pressed)
		return TERM_KEY_NONE;
	if (k->shift && (usage == USAGE_PGUP || usage == USAGE_PGDN)) {
		*scroll = usage == USAGE_PGUP ? TERM_SCROLL_PAGE : -TERM_SCROLL_PAGE;
		return TERM_KEY_SCROLL;
	}
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		if (special[i].usage == usage) {
			*len = strlen(special[i].bytes);
			memcpy(out, special[i].bytes, *len);
			return TERM_KEY_BYTES;
		}
	}
	return TERM_KEY_NONE;
}

enum term_key_action term_key(struct term_keys *k, uint32_t cp, bool pressed,
			      char out[TERM_KEY_MAX], size_t *len, int *scroll)
{
	*len = 0;
	*scroll = 0;
	if (cp >= KEY_PRIVATE && cp <= KEY_PRIVATE + 0xFF)
		return private_key(k, (uint8_t)(cp - KEY_PRIVATE), pressed, out, len, scroll);
	if (!pressed || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return TERM_KEY_NONE;
	if (cp == CTRL_N && k->ctrl && k->shift)
		return TERM_KEY_NEW;
	if (cp == '\n')
		cp = '\r';
	else if (cp == '\b')
		cp = 0x7F;
	*len = vt_utf8_encode(cp, out);
	return cp == 0x03 ? TERM_KEY_INTR : TERM_KEY_BYTES;
}
