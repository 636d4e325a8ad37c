/* SPDX-License-Identifier: MIT */
/*
 * Looking glyphs up in the font table (gui/font.h) and decoding UTF-8.
 * ASCII, which nearly every line is made of, is found through a table
 * filled on first use; everything else by binary search of font_glyphs.
 */
#include "gui/font.h"

static const struct font_glyph *ascii[128];
static int ascii_ready;

static const struct font_glyph *search(uint32_t cp)
{
	uint32_t lo = 0, hi = font_glyph_count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t code = font_glyphs[mid].code & FONT_CODE_MASK;
		if (code == cp)
			return &font_glyphs[mid];
		if (code < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct font_glyph *font_find(uint32_t cp)
{
	if (cp >= 128)
		return search(cp);
	if (!ascii_ready) {
		for (uint32_t i = 0; i < 128; i++)
			ascii[i] = search(i);
		ascii_ready = 1;
	}
	return ascii[cp];
}

const struct font_glyph *font_glyph_or_replacement(uint32_t cp)
{
	const struct font_glyph *g = font_find(cp);

	if (!g)
		g = font_find(FONT_REPLACEMENT);
	return g ? g : font_find('?');
}

/* The continuation bytes a lead byte announces, and its payload bits; -1: not a lead byte. */
static int utf8_lead(unsigned char b, uint32_t *cp)
{
	if (b < 0x80) {
		*cp = b;
		return 0;
	}
	if ((b & 0xE0) == 0xC0) {
		*cp = b & 0x1F;
		return 1;
	}
	if ((b & 0xF0) == 0xE0) {
		*cp = b & 0x0F;
		return 2;
	}
	if ((b & 0xF8) == 0xF0) {
		*cp = b & 0x07;
		return 3;
	}
	return -1;
}

uint32_t font_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp;
	int more = utf8_lead(*p++, &cp);

	if (more < 0) {
		*s = (const char *)p;
		return FONT_REPLACEMENT;
	}
	for (int i = 0; i < more; i++, p++) {
		if ((*p & 0xC0) != 0x80) { /* cut short (a NUL included): stop before it */
			*s = (const char *)p;
			return FONT_REPLACEMENT;
		}
		cp = cp << 6 | (*p & 0x3F);
	}
	*s = (const char *)p;
	return cp;
}
