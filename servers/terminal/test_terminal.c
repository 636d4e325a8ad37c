/* SPDX-License-Identifier: MIT */
/*
 * Host test of the terminal's pure parts: keys to bytes (keys.c) as an
 * xterm sends them, Shift tracked from the modifier keys; the renderer
 * (render.c) pixel for pixel against the font table (a glyph where the
 * grid has it, two cells wide for a full-width one, colours and reverse,
 * the cursor), and that a second frame with nothing changed draws nothing
 * while one changed cell is the only damage; and the term protocol's
 * client stubs (proto/term.h) through the fake transport into the real
 * ops over a grid, text split over several replies included; a resize
 * (whole cells, the new grid drawn whole, its size through the protocol).
 */
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "gui/font.h"
#include "sys/errors.h"
#include "term.h"

#define W (TERM_COLS * TERM_CELL_W)
#define H (TERM_ROWS * TERM_CELL_H)

static uint32_t px[W * H];
static struct gui_canvas canvas;
static struct term_shared shared;

static int key(struct term_keys *k, uint32_t cp, bool pressed, const char *want)
{
	char out[TERM_KEY_MAX];
	size_t n;
	int scroll;
	enum term_key_action a = term_key(k, cp, pressed, out, &n, &scroll);
	if (want) {
		CHECK_EQ(n, strlen(want));
		CHECK(n == strlen(want) && memcmp(out, want, n) == 0);
	}
	return a == TERM_KEY_SCROLL ? scroll * 1000 : (int)a;
}

static void test_keys(void)
{
	struct term_keys k = {0};

	CHECK_EQ(key(&k, 'a', true, "a"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 'a', false, ""), TERM_KEY_NONE);
	CHECK_EQ(key(&k, '\n', true, "\r"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, '\b', true, "\x7f"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0x03, true, "\x03"), TERM_KEY_INTR);
	CHECK_EQ(key(&k, 0x3042, true, "\xE3\x81\x82"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x52, true, "\x1b[A"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x50, true, "\x1b[D"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x4A, true, "\x1b[H"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x4D, true, "\x1b[F"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x4C, true, "\x1b[3~"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x4B, true, "\x1b[5~"), TERM_KEY_BYTES);
	CHECK_EQ(key(&k, 0xE000 + 0x3A, true, ""), TERM_KEY_NONE); /* F1: nothing */
	CHECK_EQ(key(&k, 0xE000 + 0xE1, true, ""), TERM_KEY_NONE); /* Shift down */
	CHECK(k.shift);
	CHECK_EQ(key(&k, 0xE000 + 0x4B, true, ""), TERM_SCROLL_PAGE * 1000);
	CHECK_EQ(key(&k, 0xE000 + 0x4E, true, ""), -TERM_SCROLL_PAGE * 1000);
	CHECK_EQ(key(&k, 0x0E, true, "\x0e"), TERM_KEY_BYTES); /* Shift+Ctrl-N needs Ctrl held */
	CHECK_EQ(key(&k, 0xE000 + 0xE0, true, ""), TERM_KEY_NONE); /* Ctrl down */
	CHECK_EQ(key(&k, 0x0E, true, NULL), TERM_KEY_NEW);
	CHECK_EQ(key(&k, 0xE000 + 0xE1, false, ""), TERM_KEY_NONE);
	CHECK(!k.shift);
	CHECK_EQ(key(&k, 0x0E, true, "\x0e"), TERM_KEY_BYTES); /* Ctrl-N alone: the byte */
	CHECK_EQ(key(&k, 0xE000 + 0xE0, false, ""), TERM_KEY_NONE);
	CHECK_EQ(key(&k, 0xD800, true, ""), TERM_KEY_NONE);
	CHECK_EQ(key(&k, 0x110000, true, ""), TERM_KEY_NONE);
}

/* Pixels of cell (x, y) in colour, over width cells. */
static int cell_pixels(int x, int y, int width, uint32_t colour)
{
	int n = 0;
	for (int r = 0; r < TERM_CELL_H; r++)
		for (int c = 0; c < width * TERM_CELL_W; c++)
			n += px[(y * TERM_CELL_H + r) * W + x * TERM_CELL_W + c] == colour;
	return n;
}

/* The set bits of cp's glyph. */
static int glyph_bits(uint32_t cp)
{
	const struct font_glyph *g = font_glyph_or_replacement(cp);
	int bytes = font_glyph_width(g) / 8, n = 0;
	for (int i = 0; i < FONT_HEIGHT * bytes; i++)
		n += __builtin_popcount(font_bits[g->offset + (uint32_t)i]);
	return n;
}

static void put(struct vt *vt, const char *s)
{
	vt_write(vt, s, strlen(s));
}

static void frame(void)
{
	memset(px, 0, sizeof(px));
	gui_canvas_init(&canvas, px, W, H, W);
	shared.screen = (struct term_screen){.canvas = &canvas, .focused = true, .blink_on = false};
	term_screen_reset(&shared.screen);
}

static void test_render(void)
{
	struct vt *vt = &shared.vt;
	uint32_t fg = 0xD8D8D8, bg = 0x101418;

	CHECK_EQ(vt_init(vt, TERM_COLS, TERM_ROWS, VT_SCROLLBACK), E_OK);
	frame();
	put(vt, "A\xE6\x97\xA5\x1b[31mR\x1b[7mV\x1b[0m");
	struct gui_rect all = term_render(&shared.screen, vt);
	CHECK_EQ(all.w, W);
	CHECK_EQ(all.h, H);
	CHECK_EQ(cell_pixels(0, 0, 1, fg), glyph_bits('A'));
	CHECK_EQ(cell_pixels(0, 0, 1, bg), TERM_CELL_W * TERM_CELL_H - glyph_bits('A'));
	CHECK_EQ(cell_pixels(1, 0, 2, fg), glyph_bits(0x65E5)); /* 日: 16 pixels wide */
	CHECK(glyph_bits(0x65E5) > 0);
	CHECK_EQ(cell_pixels(3, 0, 1, vt_palette(1)), glyph_bits('R'));
	CHECK_EQ(cell_pixels(4, 0, 1, vt_palette(1)), TERM_CELL_W * TERM_CELL_H - glyph_bits('V'));
	CHECK_EQ(cell_pixels(5, 0, 1, bg), TERM_CELL_W * TERM_CELL_H); /* the cursor, off */

	struct gui_rect none = term_render(&shared.screen, vt);
	CHECK(gui_rect_empty(none));
	shared.screen.blink_on = true; /* the cursor, on: one cell */
	struct gui_rect cursor = term_render(&shared.screen, vt);
	CHECK_EQ(cursor.x, 5 * TERM_CELL_W);
	CHECK_EQ(cursor.w, TERM_CELL_W);
	CHECK_EQ(cell_pixels(5, 0, 1, fg), TERM_CELL_W * TERM_CELL_H);
	shared.screen.blink_on = false;
	put(vt, "\x1b[3;10Hx"); /* one cell, and the cursor's old and new cells */
	struct gui_rect one = term_render(&shared.screen, vt);
	CHECK_EQ(one.y, 0);
	CHECK_EQ(one.h, 3 * TERM_CELL_H);
	CHECK_EQ(cell_pixels(9, 2, 1, fg), glyph_bits('x'));
	vt_free(vt);
}

static void test_protocol(void)
{
	static struct term_server ts = {&term_grid_ops, &shared};
	struct server srv = term_server(HANDLE_INVALID, &ts);
	handle_t ep = fake_ipc_endpoint(&srv, 7);
	struct term_info info;
	char text[4096], all[8192] = "";
	uint64_t rows, first = 0;

	CHECK_EQ(vt_init(&shared.vt, TERM_COLS, TERM_ROWS, 10), E_OK);
	for (int y = 0; y < TERM_ROWS; y++) {
		for (int x = 0; x < TERM_COLS / 2; x++)
			vt_write(&shared.vt, "\xE3\x81\x82", 3); /* あ: 3 bytes, 2 cells */
		vt_write(&shared.vt, y + 1 < TERM_ROWS ? "\r\n" : "\x1b[1;1H",
			 2 + (y + 1 == TERM_ROWS) * 4);
	}
	CHECK_EQ(term_info(ep, &info), E_OK);
	CHECK_EQ(info.cols, TERM_COLS);
	CHECK_EQ(info.rows, TERM_ROWS);
	CHECK_EQ(info.cursor, 0);
	CHECK_EQ(info.flags, TERM_CURSOR_VISIBLE);
	int calls = 0;
	while (first < TERM_ROWS && calls++ < TERM_ROWS) {
		CHECK_EQ(term_text(ep, first, text, sizeof(text), &rows), E_OK);
		CHECK(rows > 0 && rows < TERM_ROWS); /* 121 bytes a row: not all in one reply */
		strcat(all, text);
		first += rows;
	}
	CHECK(calls > 1);
	char want[8192];
	CHECK_EQ(vt_text(&shared.vt, want, sizeof(want)), strlen(all));
	CHECK(strcmp(want, all) == 0);
	CHECK_EQ(term_text(ep, TERM_ROWS, text, sizeof(text), &rows), E_RANGE);
	CHECK_EQ(term_text(ep, 0, text, 10, &rows), E_NOSPACE);
	CHECK_EQ(term_input(ep, "ls\r", 3), E_NOSYS); /* the grid alone types nowhere */
	vt_free(&shared.vt);
}

/* A resize: whole cells of the new size, the grid drawn whole again, the protocol's new size. */
static void test_resize(void)
{
	static struct term_server ts = {&term_grid_ops, &shared};
	struct server srv = term_server(HANDLE_INVALID, &ts);
	handle_t ep = fake_ipc_endpoint(&srv, 9);
	struct vt *vt = &shared.vt;
	struct term_info info;
	int cols, rows;

	term_grid_size(405, 201, &cols, &rows);
	CHECK(cols == 50 && rows == 12);
	term_grid_size(1, 1, &cols, &rows);
	CHECK(cols == TERM_MIN_COLS && rows == TERM_MIN_ROWS);
	term_grid_size(5000, 5000, &cols, &rows);
	CHECK(cols == TERM_MAX_COLS && rows == TERM_MAX_ROWS);
	CHECK_EQ(vt_init(vt, TERM_COLS, TERM_ROWS, VT_SCROLLBACK), E_OK);
	frame();
	put(vt, "top\x1b[21;1Hbottom");
	term_render(&shared.screen, vt);
	CHECK_EQ(vt_resize(vt, 40, 10), E_OK);
	gui_canvas_init(&canvas, px, 40 * TERM_CELL_W, 10 * TERM_CELL_H, W); /* the new surface */
	term_screen_reset(&shared.screen);
	struct gui_rect all = term_render(&shared.screen, vt);
	CHECK(all.x == 0 && all.y == 0 && all.w == 40 * TERM_CELL_W && all.h == 10 * TERM_CELL_H);
	CHECK_EQ(cell_pixels(0, 9, 1, 0xD8D8D8), glyph_bits('b')); /* the cursor's line in sight */
	CHECK_EQ(term_info(ep, &info), E_OK);
	CHECK(info.cols == 40 && info.rows == 10 && info.scrollback == 11);
	CHECK_EQ(info.cursor, 6 | 9ull << 32);
	vt_free(vt);
}

static char typed[TERM_INPUT_MAX + 1];
static size_t typed_len;

static long fake_input(void *ctx, const char *bytes, size_t n)
{
	(void)ctx;
	memcpy(typed, bytes, n);
	typed_len = n;
	return E_OK;
}

/* TERM_INPUT: the bytes reach the op whole; none, or too many, are refused. */
static void test_input(void)
{
	static struct term_ops ops;
	static struct term_server ts = {&ops, &shared};
	struct server srv = term_server(HANDLE_INVALID, &ts);
	handle_t ep = fake_ipc_endpoint(&srv, 8);
	char big[TERM_INPUT_MAX + 1];

	ops = term_grid_ops;
	ops.input = fake_input;
	CHECK_EQ(term_input(ep, "cat f\r", 6), E_OK);
	CHECK(typed_len == 6 && memcmp(typed, "cat f\r", 6) == 0);
	memset(big, 'x', sizeof(big));
	CHECK_EQ(term_input(ep, big, TERM_INPUT_MAX), E_OK);
	CHECK_EQ(typed_len, TERM_INPUT_MAX);
	CHECK_EQ(term_input(ep, big, TERM_INPUT_MAX + 1), E_INVAL);
	CHECK_EQ(term_input(ep, big, 0), E_INVAL);
	struct ipc_msg m = {.tag = IPC_TAG(TERM_INPUT, 0, 0, TERM_INPUT_MAX + 1)};
	CHECK_EQ(ipc_call(ep, &m, 0), E_OK); /* past the client's check: the server refuses */
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	CHECK_EQ(typed_len, TERM_INPUT_MAX);
}

int main(void)
{
	test_keys();
	test_render();
	test_protocol();
	test_resize();
	test_input();
	return check_summary("terminal");
}
