/* SPDX-License-Identifier: MIT */
/*
 * Host test of the terminal's VT engine (vt.h): each supported sequence
 * against the grid it must leave (read back as text with vt_text, and cell
 * by cell for colours and attributes), auto-wrap with and without ?7,
 * scroll regions, insert and delete, the alternate screen, full-width
 * characters and UTF-8 split across writes at every byte, the scrollback
 * limit, a new size (vt_resize), and random bytes (a million, fixed seed) that must leave the
 * cursor and every index inside the grid (ASan and UBSan watch).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "rng.h"
#include "sys/errors.h"
#include "sys/width.h"
#include "vt.h"

static struct vt vt;
static char text[8192];

static void fresh(int cols, int rows, int scrollback)
{
	vt_free(&vt);
	CHECK_EQ(vt_init(&vt, cols, rows, scrollback), E_OK);
}

static void put(const char *s)
{
	vt_write(&vt, s, strlen(s));
}

/* Row y of the view as text, without its newline. */
static const char *line(int y)
{
	static char one[1024];
	vt_text(&vt, text, sizeof(text));
	const char *p = text;
	for (int i = 0; i < y && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	size_t n = p ? strcspn(p, "\n") : 0;
	memcpy(one, p ? p : "", n);
	one[n] = 0;
	return one;
}

#define LINE(y, s)                                                                                 \
	CHECK(strcmp(line(y), s) == 0 || (fprintf(stderr, "row %d: '%s'\n", y, line(y)), 0))
#define CURSOR(cx, cy)                                                                             \
	do {                                                                                       \
		CHECK_EQ(vt.cur.x, cx);                                                            \
		CHECK_EQ(vt.cur.y, cy);                                                            \
	} while (0)

static void test_print_and_wrap(void)
{
	fresh(10, 3, 10);
	put("hello");
	LINE(0, "hello");
	CURSOR(5, 0);
	put("\r\nab\tc");
	LINE(1, "ab      c");
	put("\r\n0123456789");
	CURSOR(9, 2);
	CHECK(vt.cur.pending_wrap);
	put("X"); /* wraps, scrolls */
	LINE(0, "ab      c");
	LINE(1, "0123456789");
	LINE(2, "X");
	CHECK_EQ(vt.sb_count, 1);
	put("\x1b[?7l\r\n0123456789AB"); /* no wrap: the last cell is overwritten */
	LINE(2, "012345678B");
	CURSOR(9, 2);
	put("\x1b[?7h\bZ\b\b\b\bY");
	LINE(2, "01234Y67ZB");
}

static void test_cursor_moves(void)
{
	fresh(20, 10, 0);
	put("\x1b[5;7H");
	CURSOR(6, 4);
	put("\x1b[2A");
	CURSOR(6, 2);
	put("\x1b[3B\x1b[4C");
	CURSOR(10, 5);
	put("\x1b[20D");
	CURSOR(0, 5);
	put("\x1b[99;99H");
	CURSOR(19, 9);
	put("\x1b[H");
	CURSOR(0, 0);
	put("\x1b[3G\x1b[4d");
	CURSOR(2, 3);
	put("\x1b[2E");
	CURSOR(0, 5);
	put("\x1b[5G\x1b[F");
	CURSOR(0, 4);
	put("\x1b[8;3f\x1b"
	    "7\x1b[H\x1b"
	    "8");
	CURSOR(2, 7);
	put("\x1b[2;2H\x1b[s\x1b[9;9H\x1b[u");
	CURSOR(1, 1);
	put("\x1b[6n\x1b[c");
	CHECK(vt.reply_len == strlen("\x1b[2;2R\x1b[?1;2c"));
	CHECK(memcmp(vt.reply, "\x1b[2;2R\x1b[?1;2c", vt.reply_len) == 0);
}

static void test_erase(void)
{
	fresh(10, 3, 0);
	put("abcdefghij\r\nklmnopqrst\r\nuvwxyz");
	put("\x1b[2;4H\x1b[K");
	LINE(1, "klm");
	put("\x1b[1;4H\x1b[1K");
	LINE(0, "    efghij");
	put("\x1b[3;3H\x1b[2K");
	LINE(2, "");
	put("\x1b[1;6H\x1b[0J");
	LINE(0, "    e");
	LINE(1, "");
	put("\x1b[1;1Habcdefghij\x1b[1;3H\x1b[3X");
	LINE(0, "ab   fghij");
	put("\x1b[1;2H\x1b[1J");
	LINE(0, "     fghij");
	put("\x1b[2J");
	LINE(0, "");
	CURSOR(1, 0);
}

static void test_insert_delete(void)
{
	fresh(8, 4, 0);
	put("aaaa\r\nbbbb\r\ncccc\r\ndddd");
	put("\x1b[2;1H\x1b[L");
	LINE(1, "");
	LINE(2, "bbbb");
	LINE(3, "cccc");
	put("\x1b[2M");
	LINE(1, "cccc");
	LINE(2, "");
	CHECK_EQ(vt.sb_count, 0);
	put("\x1b[1;1Habcdef\x1b[1;2H\x1b[2@");
	LINE(0, "a  bcdef");
	put("\x1b[3P");
	LINE(0, "acdef");
	put("\x1b[1;1H\x1b[99P");
	LINE(0, "");
}

static void test_scroll_region(void)
{
	fresh(6, 5, 10);
	put("r0\r\nr1\r\nr2\r\nr3\r\nr4");
	put("\x1b[2;4r");
	CURSOR(0, 0);
	put("\x1b[4;1H\n\n");
	LINE(0, "r0");
	LINE(1, "r3");
	LINE(2, "");
	LINE(3, "");
	LINE(4, "r4");
	CHECK_EQ(vt.sb_count, 0); /* a region below the top keeps nothing */
	put("\x1b[2;1H\x1bMx\x1b[S");
	LINE(1, "r3");
	LINE(2, "");
	put("\x1b[T\x1b[T");
	LINE(1, "");
	LINE(3, "r3");
	LINE(4, "r4");
	put("\x1b[r\x1b[5;1H\x1b"
	    "D");
	LINE(4, "");
	CHECK_EQ(vt.sb_count, 1);
	put("\x1b"
	    "E\x1b[1;1H\x1bM");
	LINE(0, "");
	put("\x1b[3;3r\x1b[2;1H"); /* top >= bottom: refused */
	CHECK_EQ(vt.top, 0);
	CHECK_EQ(vt.bottom, 4);
}

static void test_sgr(void)
{
	fresh(20, 2, 0);
	put("\x1b[1;4;7;31;42mA\x1b[22;24;27;39;49mB\x1b[38;5;200;48;5;17mC\x1b[0mD");
	put("\x1b[95;104mE\x1b[38;2;255;0;0mF\x1b[38;5mG\x1b[38;5;999mH");
	const struct vt_cell *r = vt_view_row(&vt, 0);
	CHECK_EQ(r[0].attr, VT_BOLD | VT_UNDERLINE | VT_REVERSE);
	CHECK_EQ(r[0].fg, 1);
	CHECK_EQ(r[0].bg, 2);
	CHECK_EQ(r[1].attr, VT_FG_DEFAULT | VT_BG_DEFAULT);
	CHECK_EQ(r[2].fg, 200);
	CHECK_EQ(r[2].bg, 17);
	CHECK_EQ(r[2].attr, 0);
	CHECK_EQ(r[3].attr, VT_FG_DEFAULT | VT_BG_DEFAULT);
	CHECK_EQ(r[4].fg, 13);
	CHECK_EQ(r[4].bg, 12);
	CHECK_EQ(r[5].fg, 196);
	CHECK_EQ(r[6].fg, 196); /* 38;5 without its number: nothing */
	CHECK_EQ(r[7].fg, 255);
	CHECK_EQ(vt_palette(1), 0xCD3131);
	CHECK_EQ(vt_palette(196), 0xFF0000);
	CHECK_EQ(vt_palette(232), 0x080808);
	CHECK_EQ(vt_palette(231), 0xFFFFFF);
}

static void test_modes_and_alt(void)
{
	fresh(10, 3, 10);
	put("main\x1b[?25l");
	CHECK(!vt.cursor_visible);
	put("\x1b[?25h\x1b[?1049h");
	CHECK(vt.alt_active);
	LINE(0, "");
	put("alt\r\n\n\n\n");
	CHECK_EQ(vt.sb_count, 0); /* the alternate screen keeps no scrollback */
	put("\x1b[?1049l");
	LINE(0, "main");
	CURSOR(4, 0);
	put("\x1b[?47hxx\x1b[?47l\x1b[?47h");
	LINE(0, "    xx"); /* ?47 neither saves nor clears */
	put("\x1b[?47l\x1b[?1047h\x1b[?1047l\x1b[?1047h");
	LINE(0, "");
	put("\x1b[?1047l\x1b"
	    "c");
	LINE(0, "");
	CURSOR(0, 0);
}

static void test_tabs(void)
{
	fresh(20, 1, 0);
	put("\t");
	CURSOR(8, 0);
	put("\t\t");
	CURSOR(19, 0);
	put("\x1b[Z");
	CURSOR(16, 0);
	put("\x1b[3g\x1b[1;4H\x1bH\x1b[1;1H\t");
	CURSOR(3, 0);
	put("\x1b[0g\x1b[1;1H\t");
	CURSOR(19, 0);
}

static void test_wide(void)
{
	fresh(6, 3, 0);
	put("a\xE6\x97\xA5\xE6\x9C\xAC"); /* a日本 */
	LINE(0, "a日本");
	CURSOR(5, 0);
	const struct vt_cell *r = vt_view_row(&vt, 0);
	CHECK(r[1].attr & VT_WIDE);
	CHECK(r[2].attr & VT_WIDE_RIGHT);
	put("\xEF\xBC\xA1"); /* Ａ does not fit in the last cell: wraps */
	LINE(0, "a日本");
	LINE(1, "Ａ");
	put("\x1b[1;3Hx"); /* over the right half of 日 */
	LINE(0, "a x本");
	put("\x1b[1;4H\x1b[P");
	LINE(0, "a x");
	CHECK_EQ(char_width(0x3042), 2);
	CHECK_EQ(char_width(0xFF21), 2);
	CHECK_EQ(char_width('A'), 1);
	CHECK_EQ(char_width(0x0301), 0);
	CHECK_EQ(char_width(0xFF61), 1); /* half-width katakana */
}

/* The same text written in two pieces at every split point draws the same. */
static void test_utf8_split(void)
{
	const char *s = "x\xE3\x81\x82\xF0\x9F\x98\x80\xC3\xA9\x1b[1;31mR\x1b[0m";
	char want[256];
	size_t n = strlen(s);

	fresh(20, 2, 0);
	put(s);
	vt_text(&vt, want, sizeof(want));
	for (size_t cut = 1; cut < n; cut++) {
		fresh(20, 2, 0);
		vt_write(&vt, s, cut);
		vt_write(&vt, s + cut, n - cut);
		vt_text(&vt, text, sizeof(text));
		CHECK(strcmp(text, want) == 0);
	}
	LINE(0, "xあ😀éR");
	fresh(10, 1, 0);
	put("\xE3\x81"
	    "a\xC0\xAF\xED\xA0\x80\xFF");
	LINE(0, "\xEF\xBF\xBD"
		"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void test_scrollback(void)
{
	char buf[32];
	fresh(12, 5, VT_SCROLLBACK);
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(buf, sizeof(buf), "line %d\r\n", i);
		vt_write(&vt, buf, (size_t)n);
	}
	CHECK_EQ(vt.sb_count, VT_SCROLLBACK);
	LINE(3, "line 9999");
	vt_scroll_view(&vt, 100000);
	CHECK_EQ(vt.view, VT_SCROLLBACK);
	/* lines 0-9995 left the screen: the oldest kept is 9996 - 1000 */
	LINE(0, "line 8996");
	put("more\r\n"); /* a full ring drops the oldest under the view */
	LINE(0, "line 8997");
	vt_scroll_view(&vt, -VT_SCROLLBACK + 2);
	LINE(0, "line 9995");
	LINE(1, "line 9996");
	LINE(2, "line 9997");
	vt_scroll_view(&vt, -100);
	CHECK_EQ(vt.view, 0);
	LINE(3, "more");
	put("\x1b[3J");
	CHECK_EQ(vt.sb_count, 0);
}

/* A new size: rows cut or padded, nothing reflowed, the cursor's line kept in sight. */
static void test_resize(void)
{
	fresh(10, 5, 20);
	put("0123456789abc\r\nrow2\r\nrow3\r\n\x1b[2;3r"); /* a scroll region, to be reset */
	put("\x1b[4;6H");
	CHECK_EQ(vt_resize(&vt, 1, 4), E_INVAL);
	CHECK_EQ(vt_resize(&vt, 6, 4), E_OK);
	LINE(0, "012345"); /* cut, not reflowed */
	LINE(1, "abc");
	CURSOR(5, 3);
	CHECK(vt.top == 0 && vt.bottom == 3);
	CHECK_EQ(vt_resize(&vt, 12, 6), E_OK);
	LINE(0, "012345"); /* what was cut stays cut */
	LINE(5, "");
	CHECK_EQ(vt.cols, 12);
	put("\x1b[6;1Hbottom");
	CHECK_EQ(vt_resize(&vt, 12, 2), E_OK); /* the cursor's line stays in sight */
	LINE(1, "bottom");
	CURSOR(6, 1);
	CHECK_EQ(vt.sb_count, 4); /* the rows above it went to the scrollback, kept */
	vt_scroll_view(&vt, 4);
	LINE(0, "012345");
	LINE(1, "abc");
	vt_scroll_view(&vt, -4);
	put("\r\nnext line!!");
	LINE(1, "next line!!");
	CHECK_EQ(vt_resize(&vt, 3, 2), E_OK);
	vt_scroll_view(&vt, 5);
	LINE(0, "012"); /* the scrollback is cut too */
	vt_scroll_view(&vt, -5);
	/* A wide character cut in half becomes a blank; the alternate screen resizes too. */
	fresh(6, 2, 0);
	put("abcd\xE6\x97\xA5\x1b[?1049h\x1b[Hx");
	CHECK_EQ(vt_resize(&vt, 5, 2), E_OK);
	LINE(0, "x");
	put("\x1b[?1049l");
	LINE(0, "abcd");
	CHECK_EQ(vt.main[4].attr & VT_WIDE, 0);
}

static void test_strings_and_junk(void)
{
	fresh(10, 2, 0);
	put("a\x1b]0;title\x07"
	    "b\x1bP1;2|data\x1b\\c\x1b(Bd\x1b[>1;2ce\x1b[1$pf");
	LINE(0, "abcdef");
	put("\x1b[12;\x18g\x1b[99999999999999;99999999999999H");
	CURSOR(9, 1);
	CHECK(vt.reply_len == 0);
}

static void check_inside(void)
{
	CHECK(vt.cur.x >= 0 && vt.cur.x < vt.cols && vt.cur.y >= 0 && vt.cur.y < vt.rows);
	CHECK(vt.top >= 0 && vt.top < vt.bottom && vt.bottom < vt.rows);
	CHECK(vt.view >= 0 && vt.view <= vt.sb_count && vt.sb_count <= vt.sb_cap);
}

/* Random bytes, biased toward ESC, '[', digits and ';' so sequences form. */
static void test_fuzz(void)
{
	static const char bias[] = "\x1b[;0123456789?hlmHJKLMPX@rsu78DEMc\r\n\t\b\xE3\x81";
	uint32_t seed = 0x7E57u;
	uint8_t buf[256];

	fresh(17, 7, 50);
	for (int round = 0; round < 4000; round++) {
		size_t n = xorshift32(&seed) % sizeof(buf);
		for (size_t i = 0; i < n; i++) {
			uint32_t r = xorshift32(&seed);
			buf[i] = r & 0x100 ? (uint8_t)bias[(r >> 9) % (sizeof(bias) - 1)]
					   : (uint8_t)r;
		}
		vt_write(&vt, buf, n);
		vt_scroll_view(&vt, (int)(xorshift32(&seed) % 7) - 3);
		vt.reply_len = 0;
		if (round % 97 == 0) /* now and then a new size, any cursor and region */
			CHECK_EQ(vt_resize(&vt, 2 + (int)(xorshift32(&seed) % 40),
					   2 + (int)(xorshift32(&seed) % 12)),
				 E_OK);
		check_inside();
		if (round % 500 == 0)
			vt_text(&vt, text, sizeof(text));
	}
	put("\x1b"
	    "c\x1b[0mok");
	LINE(0, "ok");
}

int main(void)
{
	CHECK_EQ(vt_init(&vt, 1, 1, 0), E_INVAL);
	test_print_and_wrap();
	test_cursor_moves();
	test_erase();
	test_insert_delete();
	test_scroll_region();
	test_sgr();
	test_modes_and_alt();
	test_tabs();
	test_wide();
	test_utf8_split();
	test_scrollback();
	test_resize();
	test_strings_and_junk();
	test_fuzz();
	vt_free(&vt);
	return check_summary("vt");
}
