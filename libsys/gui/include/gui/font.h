/* SPDX-License-Identifier: MIT */
/*
 * The font table: glyphs converted at build time from Debian's fonts by
 * libsys/gui/fonts/mkfont.py (Terminus 8x16 from console-setup-linux's
 * Uni2-Terminus16.psf.gz; GNU Unifont 8x16 and 16x16 from unifont.hex for
 * what Terminus lacks: Latin to Cyrillic, punctuation and symbols, CJK
 * punctuation, kana, full-width forms and the kanji of JIS X 0208). Every
 * glyph is FONT_HEIGHT rows; a row is one byte (8 wide) or two (16 wide,
 * FONT_WIDE), most significant bit leftmost. font_glyphs is sorted by code
 * point; font_find looks one up.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FONT_HEIGHT    16
#define FONT_WIDE      (1u << 31) /* in font_glyph.code: 16 pixels wide */
#define FONT_CODE_MASK 0x1FFFFFu
#define FONT_REPLACEMENT                                                                           \
	0xFFFDu /* shown for code points the table lacks ('?' if it lacks this too) */

struct font_glyph {
	uint32_t code;	 /* code point | FONT_WIDE */
	uint32_t offset; /* of its rows in font_bits */
};

extern const uint32_t font_glyph_count;
extern const struct font_glyph font_glyphs[];
extern const uint8_t font_bits[];

/* The glyph of code point cp, or NULL. */
const struct font_glyph *font_find(uint32_t cp);
/* The glyph to draw for cp: its own, else the replacement, else '?' (never NULL). */
const struct font_glyph *font_glyph_or_replacement(uint32_t cp);
/* Its width in pixels (8 or 16). */
static inline int font_glyph_width(const struct font_glyph *g)
{
	return g->code & FONT_WIDE ? 16 : 8;
}
/* The next code point of UTF-8 text at *s (advanced); malformed bytes give FONT_REPLACEMENT. */
uint32_t font_utf8_next(const char **s);
