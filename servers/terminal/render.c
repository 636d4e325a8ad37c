/* SPDX-License-Identifier: MIT */
/*
 * The grid into pixels: each cell TERM_CELL_W x TERM_CELL_H, its
 * background filled and its glyph (gui/font.h: Terminus, Unifont for what
 * Terminus lacks; 16 pixels wide for a two-cell character) drawn over it.
 * Only cells that differ from what was drawn last (term_screen.drawn,
 * which also remembers the cursor on a cell) are drawn again, and the
 * rectangle around them is what the caller commits: an idle terminal, or
 * one where a line of text changed, redraws nothing, or one line.
 */
#include <string.h>

#include "gui/font.h"
#include "term.h"

#define DEFAULT_FG    0xD8D8D8u
#define DEFAULT_BG    0x101418u
#define CURSOR_NONE   0
#define CURSOR_SOLID  1
#define CURSOR_HOLLOW 2

void term_screen_reset(struct term_screen *s)
{
	memset(s->drawn, 0xFF, sizeof(s->drawn)); /* no cell looks like this */
}

static uint32_t colour(uint8_t index, bool is_default, bool bold, uint32_t def)
{
	if (is_default)
		return def;
	if (bold && index < 8)
		index += 8; /* bold shows as the bright colour, as xterm does */
	return vt_palette(index);
}

static void draw_cell(struct gui_canvas *cv, int x, int y, const struct vt_cell *c, int width)
{
	uint32_t fg = colour(c->fg, c->attr & VT_FG_DEFAULT, c->attr & VT_BOLD, DEFAULT_FG);
	uint32_t bg = colour(c->bg, c->attr & VT_BG_DEFAULT, false, DEFAULT_BG);
	int px = x * TERM_CELL_W, py = y * TERM_CELL_H, w = width * TERM_CELL_W;

	if (!(c->attr & VT_REVERSE) != !(c->pad == CURSOR_SOLID)) {
		uint32_t t = fg;
		fg = bg;
		bg = t;
	}
	gui_fill(cv, (struct gui_rect){px, py, w, TERM_CELL_H}, bg);
	if (c->cp != ' ') {
		char text[5] = {0};
		vt_utf8_encode(c->cp, text);
		gui_text(cv, px, py, text, fg, 1);
		if (c->attr & VT_BOLD)
			gui_text(cv, px + 1, py, text, fg, 1);
	}
	if (c->attr & VT_UNDERLINE)
		gui_fill(cv, (struct gui_rect){px, py + TERM_CELL_H - 2, w, 1}, fg);
	if (c->pad == CURSOR_HOLLOW)
		gui_frame(cv, (struct gui_rect){px, py, w, TERM_CELL_H}, fg);
}

static int cursor_mode(const struct term_screen *s, const struct vt *vt, int x, int y)
{
	if (!vt->cursor_visible || (vt->view > 0 && !vt->alt_active) || x != vt->cur.x ||
	    y != vt->cur.y)
		return CURSOR_NONE;
	if (!s->focused)
		return CURSOR_HOLLOW;
	return s->blink_on ? CURSOR_SOLID : CURSOR_NONE;
}

static bool same(const struct vt_cell *a, const struct vt_cell *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Row y: draw what changed, widening *damage. */
static void render_row(struct term_screen *s, const struct vt *vt, int y, struct gui_rect *damage)
{
	const struct vt_cell *row = vt_view_row(vt, y);
	struct vt_cell *drawn = s->drawn + y * TERM_MAX_COLS;
	int cols = vt->cols < TERM_MAX_COLS ? vt->cols : TERM_MAX_COLS;

	for (int x = 0; x < cols; x++) {
		struct vt_cell want = row[x], right;
		want.pad = (uint8_t)cursor_mode(s, vt, x, y);
		int width = (want.attr & VT_WIDE) && x + 1 < cols ? 2 : 1;
		if (width == 2) {
			right = row[x + 1];
			right.pad = (uint8_t)cursor_mode(s, vt, x + 1, y);
			want.pad |= right.pad;
		} else if (want.attr & VT_WIDE_RIGHT) {
			want.cp = ' '; /* a right half without its left: blank */
		}
		if (same(&want, &drawn[x]) && (width == 1 || same(&right, &drawn[x + 1]))) {
			x += width - 1;
			continue;
		}
		draw_cell(s->canvas, x, y, &want, width);
		drawn[x] = want;
		if (width == 2)
			drawn[x + 1] = right;
		struct gui_rect r = {x * TERM_CELL_W, y * TERM_CELL_H, width * TERM_CELL_W,
				     TERM_CELL_H};
		*damage = gui_rect_empty(*damage) ? r : gui_rect_union(*damage, r);
		x += width - 1;
	}
}

void term_grid_size(int32_t width, int32_t height, int *cols, int *rows)
{
	int c = width / TERM_CELL_W, r = height / TERM_CELL_H;

	*cols = c < TERM_MIN_COLS ? TERM_MIN_COLS : c > TERM_MAX_COLS ? TERM_MAX_COLS : c;
	*rows = r < TERM_MIN_ROWS ? TERM_MIN_ROWS : r > TERM_MAX_ROWS ? TERM_MAX_ROWS : r;
}

struct gui_rect term_render(struct term_screen *s, const struct vt *vt)
{
	struct gui_rect damage = {0, 0, 0, 0};
	int rows = vt->rows < TERM_MAX_ROWS ? vt->rows : TERM_MAX_ROWS;

	for (int y = 0; y < rows; y++)
		render_row(s, vt, y, &damage);
	return damage;
}
