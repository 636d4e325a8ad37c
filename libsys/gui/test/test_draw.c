/* SPDX-License-Identifier: MIT */
/*
 * Host test of the gui library's drawing (draw.c) and fonts (font.c, the
 * table mkfont.py made from Terminus and Unifont): every operation checked
 * pixel for pixel against what it should have touched, clipping included.
 */
#include <string.h>

#include "check.h"
#include "gui/draw.h"
#include "gui/font.h"

#define W 40
#define H 24

static uint32_t px[H * W];
static struct gui_canvas cv;

static void reset(void)
{
	memset(px, 0, sizeof(px));
	gui_canvas_init(&cv, px, W, H, W);
}

static int count(uint32_t colour)
{
	int n = 0;
	for (int i = 0; i < W * H; i++)
		n += px[i] == colour;
	return n;
}

static void test_fill_clipped(void)
{
	reset();
	gui_canvas_clip(&cv, (struct gui_rect){4, 5, 8, 6});
	gui_fill(&cv, (struct gui_rect){-50, -50, 1000, 1000}, 0xFF0000);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			CHECK_EQ(px[y * W + x],
				 (x >= 4 && x < 12 && y >= 5 && y < 11) ? 0xFF0000u : 0u);
	reset();
	gui_fill(&cv, (struct gui_rect){W - 3, H - 2, 10, 10}, 7); /* past the corner */
	CHECK_EQ(count(7), 6);
	gui_fill(&cv, (struct gui_rect){5, 5, -3, 4}, 9); /* negative width: nothing */
	CHECK_EQ(count(9), 0);
	gui_fill(&cv, (struct gui_rect){0x7FFFFFF0, 0, 0x7FFFFFF0, 5}, 9); /* no overflow */
	CHECK_EQ(count(9), 0);
}

static void test_frame_and_lines(void)
{
	reset();
	gui_frame(&cv, (struct gui_rect){2, 3, 5, 4}, 1);
	CHECK_EQ(count(1), 2 * 5 + 2 * 2);
	CHECK_EQ(px[3 * W + 2], 1u);
	CHECK_EQ(px[6 * W + 6], 1u);
	CHECK_EQ(px[4 * W + 3], 0u);
	reset();
	gui_line(&cv, 0, 0, 7, 3, 2); /* shallow: one pixel per column */
	CHECK_EQ(count(2), 8);
	for (int x = 0; x < 8; x++) {
		int in_column = 0;
		for (int y = 0; y < H; y++)
			in_column += px[y * W + x] == 2;
		CHECK_EQ(in_column, 1);
	}
	CHECK_EQ(px[0], 2u);
	CHECK_EQ(px[3 * W + 7], 2u);
	reset();
	gui_line(&cv, 5, 20, 5, -100, 3); /* vertical, clipped at the top */
	CHECK_EQ(count(3), 21);
	gui_line(&cv, -10, 2, 100, 2, 4);
	CHECK_EQ(count(4), W);
	CHECK_EQ(count(3), 20); /* the row crossed it */
}

static void test_blit(void)
{
	uint32_t src[3 * 4];

	for (int i = 0; i < 12; i++)
		src[i] = 100 + (uint32_t)i;
	reset();
	gui_blit(&cv, -1, H - 2, src, 4, 3, 4); /* clipped left and bottom */
	CHECK_EQ(px[(H - 2) * W + 0], 101u);
	CHECK_EQ(px[(H - 2) * W + 2], 103u);
	CHECK_EQ(px[(H - 1) * W + 0], 105u);
	CHECK_EQ(count(0), W * H - 6);
}

/* Glyph g drawn at (x, y) in colour: exactly its set bits, nothing else. */
static void check_glyph_at(const struct font_glyph *g, int x, int y, uint32_t colour)
{
	int w = font_glyph_width(g), set = 0;
	const uint8_t *bits = font_bits + g->offset;

	for (int r = 0; r < FONT_HEIGHT; r++) {
		for (int c = 0; c < w; c++) {
			int on = bits[r * (w / 8) + c / 8] >> (7 - c % 8) & 1;
			set += on;
			CHECK_EQ(px[(y + r) * W + x + c], on ? colour : 0u);
		}
	}
	CHECK(set > 0);
	CHECK_EQ(count(colour), set);
}

static void test_text(void)
{
	const struct font_glyph *a = font_find('A'), *kana = font_find(0x3042);

	CHECK(a && kana);
	if (!a || !kana)
		return;
	CHECK_EQ(font_glyph_width(a), 8);
	CHECK_EQ(font_glyph_width(kana), 16);
	reset();
	CHECK_EQ(gui_text(&cv, 3, 2, "A", 0xABCDEF, 1), 8);
	check_glyph_at(a, 3, 2, 0xABCDEF);
	reset();
	CHECK_EQ(gui_text(&cv, 10, 4, "\xE3\x81\x82", 5, 1), 16); /* あ, full width */
	check_glyph_at(kana, 10, 4, 5);
	reset();
	gui_canvas_clip(&cv, (struct gui_rect){0, 0, 6, H}); /* cuts 'A' after 3 columns */
	gui_text(&cv, 3, 2, "A", 6, 1);
	for (int i = 0; i < W * H; i++)
		if (px[i] == 6)
			CHECK(i % W >= 3 && i % W < 6);
	reset();
	gui_text(&cv, 0, 0, "A", 8, 2); /* scale 2: each bit a 2x2 block */
	CHECK_EQ(px[0 * W + 0], px[1 * W + 1]);
	int twice = count(8);
	reset();
	gui_text(&cv, 0, 0, "A", 8, 1);
	CHECK_EQ(twice, 4 * count(8));
}

static void test_font_table(void)
{
	const char *s = "a\xC3\xA9\xE6\xBC\xA2\xFF";

	CHECK_EQ(font_utf8_next(&s), 'a');
	CHECK_EQ(font_utf8_next(&s), 0xE9);
	CHECK_EQ(font_utf8_next(&s), 0x6F22); /* 漢 */
	CHECK_EQ(font_utf8_next(&s), FONT_REPLACEMENT);
	CHECK_EQ(*s, '\0');
	s = "\xE6\xBC"; /* cut short: stops at the NUL */
	CHECK_EQ(font_utf8_next(&s), FONT_REPLACEMENT);
	CHECK_EQ(*s, '\0');
	for (uint32_t i = 1; i < font_glyph_count; i++)
		CHECK((font_glyphs[i - 1].code & FONT_CODE_MASK) <
		      (font_glyphs[i].code & FONT_CODE_MASK));
	for (uint32_t cp = 0x20; cp < 0x7F; cp++) /* ASCII and Latin-1 from Terminus: 8 wide */
		CHECK(font_find(cp) && font_glyph_width(font_find(cp)) == 8);
	for (uint32_t cp = 0xA1; cp <= 0xFF; cp++)
		CHECK(font_find(cp) && font_glyph_width(font_find(cp)) == 8);
	CHECK(font_find(0x6F22) && font_glyph_width(font_find(0x6F22)) == 16);
	CHECK(font_find(0x30AB) != NULL); /* カ */
	CHECK(font_find(0x10FFFF) == NULL);
	CHECK(font_glyph_or_replacement(0x10FFFF) != NULL);
	CHECK_EQ(gui_text_width("ab\xE3\x81\x82"), 8 + 8 + 16);
}

int main(void)
{
	test_fill_clipped();
	test_frame_and_lines();
	test_blit();
	test_text();
	test_font_table();
	return check_summary("gui_draw");
}
