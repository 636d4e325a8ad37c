/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 for the line editor (shell_impl.h): where characters begin and end
 * in the line's bytes, and how many terminal columns they take, so that
 * the editor moves, erases and redraws by character. Widths are
 * char_width's (sys/width.h), the GUI terminal's own.
 * A combining mark moves and is erased with the character before it. A
 * byte that does not start a valid sequence counts as one character of
 * one column (the editor never stores one).
 */
#include "shell_impl.h"
#include "sys/width.h"

size_t shell_utf8_need(uint8_t lead)
{
	return lead < 0x80   ? 1
	       : lead < 0xC2 ? 0
	       : lead < 0xE0 ? 2
	       : lead < 0xF0 ? 3
	       : lead < 0xF5 ? 4
			     : 0;
}

long shell_utf8_decode(const uint8_t *s, size_t n, size_t *used)
{
	size_t need = n ? shell_utf8_need(s[0]) : 0;
	uint32_t cp;

	if (need == 0 || need > n)
		return -1;
	cp = need == 1 ? s[0] : s[0] & (0x7Fu >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1; /* overlong, past Unicode, or a surrogate */
	*used = need;
	return (long)cp;
}

/* One code point on from `at` (an invalid byte counts as one), and its columns in *width. */
static size_t step_on(const char *s, size_t at, size_t len, unsigned *width)
{
	size_t used = 1;
	long cp = shell_utf8_decode((const uint8_t *)s + at, len - at, &used);

	*width = cp < 0 ? 1 : char_width((uint32_t)cp);
	return at + (cp < 0 ? 1 : used);
}

/* One code point back from `at` (> 0). */
static size_t step_back(const char *s, size_t at)
{
	size_t back = at, used = 0;

	while (back > 0 && at - back < 3 && ((uint8_t)s[back - 1] & 0xC0) == 0x80)
		back--;
	if (back > 0 &&
	    shell_utf8_decode((const uint8_t *)s + back - 1, at - back + 1, &used) >= 0 &&
	    used == at - back + 1)
		return back - 1;
	return at - 1;
}

size_t shell_utf8_next(const char *s, size_t at, size_t len)
{
	unsigned width;

	if (at >= len)
		return len;
	at = step_on(s, at, len, &width);
	while (at < len) { /* combining marks go with their base */
		size_t after = step_on(s, at, len, &width);
		if (width != 0)
			break;
		at = after;
	}
	return at;
}

size_t shell_utf8_prev(const char *s, size_t at)
{
	unsigned width = 0;

	while (at > 0) {
		size_t back = step_back(s, at);
		step_on(s, back, at, &width);
		at = back;
		if (width != 0)
			break;
	}
	return at;
}

size_t shell_utf8_columns(const char *s, size_t from, size_t to)
{
	size_t cols = 0;

	while (from < to) {
		unsigned width;
		from = step_on(s, from, to, &width);
		cols += width;
	}
	return cols;
}
