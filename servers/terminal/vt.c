/* SPDX-License-Identifier: MIT */
/*
 * The VT engine's grid (vt.h): printing with auto-wrap and two-cell
 * characters, scrolling inside the scroll region (lines leaving the top of
 * the whole main screen go to the scrollback ring), erasing, inserting and
 * deleting lines and characters, the alternate screen, and the text export
 * behind `term text`. Every function clamps what it is given to the grid.
 */
#include <stdlib.h>
#include <string.h>

#include "sys/errors.h"
#include "sys/width.h"
#include "vt.h"

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static struct vt_cell *row(struct vt *vt, int y)
{
	return vt->screen + (size_t)y * (size_t)vt->cols;
}

struct vt_cell vt_blank(const struct vt *vt)
{
	struct vt_cell c = vt->cur.pen;
	c.cp = VT_DEFAULT_CP;
	c.attr &= VT_FG_DEFAULT | VT_BG_DEFAULT | VT_REVERSE;
	return c;
}

static void fill(struct vt_cell *cells, int n, struct vt_cell c)
{
	for (int i = 0; i < n; i++)
		cells[i] = c;
}

static void default_pen(struct vt *vt)
{
	vt->cur.pen = (struct vt_cell){VT_DEFAULT_CP, VT_COLOUR_FG, VT_COLOUR_BG,
				       VT_FG_DEFAULT | VT_BG_DEFAULT, 0};
}

void vt_reset(struct vt *vt)
{
	vt->cur = (struct vt_cursor){0};
	default_pen(vt);
	vt->saved = vt->saved_main = vt->cur;
	vt->screen = vt->main;
	vt->alt_active = false;
	fill(vt->main, vt->cols * vt->rows, vt_blank(vt));
	fill(vt->alt, vt->cols * vt->rows, vt_blank(vt));
	vt->top = 0;
	vt->bottom = vt->rows - 1;
	vt->autowrap = vt->cursor_visible = true;
	for (int x = 0; x < vt->cols; x++)
		vt->tabs[x] = x % 8 == 0 && x > 0;
	vt->sb_count = vt->sb_next = vt->view = 0;
	vt->state = VT_GROUND;
	vt->utf8_left = 0;
	vt->reply_len = 0;
	vt->changes++;
}

long vt_init(struct vt *vt, int cols, int rows, int scrollback)
{
	*vt = (struct vt){0};
	if (cols < 2 || rows < 1 || cols > 1000 || rows > 1000 || scrollback < 0)
		return E_INVAL;
	size_t cells = (size_t)cols * (size_t)rows;
	vt->cols = cols;
	vt->rows = rows;
	vt->sb_cap = scrollback;
	vt->main = malloc(cells * sizeof(struct vt_cell));
	vt->alt = malloc(cells * sizeof(struct vt_cell));
	vt->lines = malloc(((size_t)scrollback * (size_t)cols + 1) * sizeof(struct vt_cell));
	vt->tabs = malloc((size_t)cols);
	if (!vt->main || !vt->alt || !vt->lines || !vt->tabs) {
		vt_free(vt);
		return E_NOMEM;
	}
	vt_reset(vt);
	return E_OK;
}

void vt_free(struct vt *vt)
{
	free(vt->main);
	free(vt->alt);
	free(vt->lines);
	free(vt->tabs);
	*vt = (struct vt){0};
}

/* Keep a line that scrolls off the top of the main screen. */
static void keep_line(struct vt *vt, const struct vt_cell *line)
{
	if (vt->sb_cap == 0)
		return;
	memcpy(vt->lines + (size_t)vt->sb_next * (size_t)vt->cols, line,
	       (size_t)vt->cols * sizeof(struct vt_cell));
	vt->sb_next = (vt->sb_next + 1) % vt->sb_cap;
	if (vt->sb_count < vt->sb_cap)
		vt->sb_count++;
	if (vt->view > 0) /* a scrolled-back view keeps showing the same lines */
		vt->view = clamp(vt->view + 1, 0, vt->sb_count);
}

/* Scroll rows top..bottom up by n, blank rows coming in at the bottom. */
static void scroll_region_up(struct vt *vt, int top, int bottom, int n)
{
	int height = bottom - top + 1;
	n = clamp(n, 0, height);
	if (n == 0)
		return;
	if (top == 0 && !vt->alt_active)
		for (int i = 0; i < n; i++)
			keep_line(vt, row(vt, i));
	size_t width = (size_t)vt->cols * sizeof(struct vt_cell);
	memmove(row(vt, top), row(vt, top + n), (size_t)(height - n) * width);
	fill(row(vt, bottom - n + 1), n * vt->cols, vt_blank(vt));
	vt->changes++;
}

static void scroll_region_down(struct vt *vt, int top, int bottom, int n)
{
	int height = bottom - top + 1;
	n = clamp(n, 0, height);
	if (n == 0)
		return;
	size_t width = (size_t)vt->cols * sizeof(struct vt_cell);
	memmove(row(vt, top + n), row(vt, top), (size_t)(height - n) * width);
	fill(row(vt, top), n * vt->cols, vt_blank(vt));
	vt->changes++;
}

void vt_scroll_up(struct vt *vt, int n)
{
	scroll_region_up(vt, vt->top, vt->bottom, n);
}

void vt_scroll_down(struct vt *vt, int n)
{
	scroll_region_down(vt, vt->top, vt->bottom, n);
}

void vt_linefeed(struct vt *vt)
{
	vt->cur.pending_wrap = false;
	if (vt->cur.y == vt->bottom)
		vt_scroll_up(vt, 1);
	else if (vt->cur.y < vt->rows - 1)
		vt->cur.y++;
	vt->changes++;
}

void vt_reverse_index(struct vt *vt)
{
	vt->cur.pending_wrap = false;
	if (vt->cur.y == vt->top)
		vt_scroll_down(vt, 1);
	else if (vt->cur.y > 0)
		vt->cur.y--;
	vt->changes++;
}

void vt_move_to(struct vt *vt, int x, int y)
{
	vt->cur.x = clamp(x, 0, vt->cols - 1);
	vt->cur.y = clamp(y, 0, vt->rows - 1);
	vt->cur.pending_wrap = false;
	vt->changes++;
}

/* Writing over half of a two-cell character blanks its other half. */
static void split_wide(struct vt *vt, int x, int y)
{
	struct vt_cell *r = row(vt, y);
	if (r[x].attr & VT_WIDE_RIGHT && x > 0)
		r[x - 1] = vt_blank(vt);
	if (r[x].attr & VT_WIDE && x + 1 < vt->cols)
		r[x + 1] = vt_blank(vt);
}

static void put(struct vt *vt, uint32_t cp, int width)
{
	struct vt_cell *r = row(vt, vt->cur.y);
	int x = vt->cur.x;

	split_wide(vt, x, vt->cur.y);
	r[x] = vt->cur.pen;
	r[x].cp = cp;
	r[x].attr &= (uint8_t) ~(VT_WIDE | VT_WIDE_RIGHT);
	if (width == 2) {
		split_wide(vt, x + 1, vt->cur.y);
		r[x].attr |= VT_WIDE;
		r[x + 1] = r[x];
		r[x + 1].attr = (uint8_t)((r[x].attr & ~VT_WIDE) | VT_WIDE_RIGHT);
		r[x + 1].cp = VT_DEFAULT_CP;
	}
}

void vt_print(struct vt *vt, uint32_t cp)
{
	int width = char_width(cp);
	if (width == 0)
		return;
	if (vt->cur.pending_wrap && vt->autowrap) {
		vt->cur.x = 0;
		vt_linefeed(vt);
	}
	if (width == 2 && vt->cur.x == vt->cols - 1) {
		if (!vt->autowrap) {
			vt->cur.x--; /* no room and no wrap: the last two cells */
		} else {
			put(vt, VT_DEFAULT_CP, 1);
			vt->cur.x = 0;
			vt_linefeed(vt);
		}
	}
	put(vt, cp, width);
	vt->cur.pending_wrap = false;
	if (vt->cur.x + width >= vt->cols) {
		vt->cur.x = vt->cols - 1;
		vt->cur.pending_wrap = vt->autowrap;
	} else {
		vt->cur.x += width;
	}
	vt->changes++;
}

void vt_erase_line(struct vt *vt, int mode)
{
	struct vt_cell *r = row(vt, vt->cur.y);
	int x = vt->cur.x;

	if (mode == 0) {
		split_wide(vt, x, vt->cur.y);
		fill(r + x, vt->cols - x, vt_blank(vt));
	} else if (mode == 1) {
		split_wide(vt, x, vt->cur.y);
		fill(r, x + 1, vt_blank(vt));
	} else if (mode == 2) {
		fill(r, vt->cols, vt_blank(vt));
	}
	vt->cur.pending_wrap = false;
	vt->changes++;
}

void vt_erase_display(struct vt *vt, int mode)
{
	int y = vt->cur.y;

	if (mode == 0) {
		vt_erase_line(vt, 0);
		if (y + 1 < vt->rows)
			fill(row(vt, y + 1), (vt->rows - y - 1) * vt->cols, vt_blank(vt));
	} else if (mode == 1) {
		vt_erase_line(vt, 1);
		fill(row(vt, 0), y * vt->cols, vt_blank(vt));
	} else if (mode == 2) {
		fill(row(vt, 0), vt->rows * vt->cols, vt_blank(vt));
	} else if (mode == 3) {
		vt->sb_count = vt->sb_next = vt->view = 0;
	}
	vt->changes++;
}

void vt_erase_chars(struct vt *vt, int n)
{
	int x = vt->cur.x;
	n = clamp(n, 1, vt->cols - x);
	split_wide(vt, x, vt->cur.y);
	split_wide(vt, x + n - 1, vt->cur.y);
	fill(row(vt, vt->cur.y) + x, n, vt_blank(vt));
	vt->cur.pending_wrap = false;
	vt->changes++;
}

void vt_insert_lines(struct vt *vt, int n)
{
	if (vt->cur.y < vt->top || vt->cur.y > vt->bottom)
		return;
	scroll_region_down(vt, vt->cur.y, vt->bottom, n);
	vt->cur.x = 0;
	vt->cur.pending_wrap = false;
}

void vt_delete_lines(struct vt *vt, int n)
{
	if (vt->cur.y < vt->top || vt->cur.y > vt->bottom)
		return;
	bool alt = vt->alt_active;
	vt->alt_active = true; /* deleted lines never go to the scrollback */
	scroll_region_up(vt, vt->cur.y, vt->bottom, n);
	vt->alt_active = alt;
	vt->cur.x = 0;
	vt->cur.pending_wrap = false;
}

void vt_insert_chars(struct vt *vt, int n)
{
	struct vt_cell *r = row(vt, vt->cur.y);
	int x = vt->cur.x;

	n = clamp(n, 1, vt->cols - x);
	split_wide(vt, x, vt->cur.y);
	split_wide(vt, vt->cols - 1 - n, vt->cur.y);
	memmove(r + x + n, r + x, (size_t)(vt->cols - x - n) * sizeof(struct vt_cell));
	fill(r + x, n, vt_blank(vt));
	if (r[vt->cols - 1].attr & VT_WIDE)
		r[vt->cols - 1] = vt_blank(vt);
	vt->cur.pending_wrap = false;
	vt->changes++;
}

void vt_delete_chars(struct vt *vt, int n)
{
	struct vt_cell *r = row(vt, vt->cur.y);
	int x = vt->cur.x;

	n = clamp(n, 1, vt->cols - x);
	split_wide(vt, x, vt->cur.y);
	split_wide(vt, x + n - 1, vt->cur.y);
	memmove(r + x, r + x + n, (size_t)(vt->cols - x - n) * sizeof(struct vt_cell));
	fill(r + vt->cols - n, n, vt_blank(vt));
	if (r[x].attr & VT_WIDE_RIGHT)
		r[x] = vt_blank(vt);
	vt->cur.pending_wrap = false;
	vt->changes++;
}

void vt_set_region(struct vt *vt, int top, int bottom)
{
	top = clamp(top, 0, vt->rows - 1);
	bottom = clamp(bottom, 0, vt->rows - 1);
	if (top >= bottom)
		return;
	vt->top = top;
	vt->bottom = bottom;
	vt_move_to(vt, 0, 0);
}

void vt_tab(struct vt *vt, int n)
{
	int x = vt->cur.x;
	for (; n > 0 && x < vt->cols - 1; n--)
		while (++x < vt->cols - 1 && !vt->tabs[x])
			;
	for (; n < 0 && x > 0; n++)
		while (--x > 0 && !vt->tabs[x])
			;
	vt->cur.x = x;
	vt->cur.pending_wrap = false;
	vt->changes++;
}

void vt_save_cursor(struct vt *vt)
{
	vt->saved = vt->cur;
}

void vt_restore_cursor(struct vt *vt)
{
	vt->cur = vt->saved;
	vt->cur.x = clamp(vt->cur.x, 0, vt->cols - 1);
	vt->cur.y = clamp(vt->cur.y, 0, vt->rows - 1);
	vt->changes++;
}

void vt_alt_screen(struct vt *vt, bool on, bool save_cursor, bool clear)
{
	if (on == vt->alt_active)
		return;
	if (on && save_cursor)
		vt->saved_main = vt->cur;
	if (!on && clear)
		fill(vt->alt, vt->cols * vt->rows, vt_blank(vt));
	vt->alt_active = on;
	vt->screen = on ? vt->alt : vt->main;
	if (on && clear)
		fill(vt->alt, vt->cols * vt->rows, vt_blank(vt));
	if (!on && save_cursor)
		vt->cur = vt->saved_main;
	vt->view = 0;
	vt->changes++;
}

const struct vt_cell *vt_view_row(const struct vt *vt, int y)
{
	y = clamp(y, 0, vt->rows - 1);
	int back = vt->alt_active ? 0 : vt->view;
	if (y >= back)
		return vt->screen + (size_t)(y - back) * (size_t)vt->cols;
	/* scrollback line `back - y` from the newest */
	int i = (vt->sb_next - (back - y) + vt->sb_cap) % vt->sb_cap;
	return vt->lines + (size_t)i * (size_t)vt->cols;
}

void vt_scroll_view(struct vt *vt, int n)
{
	int view = clamp(vt->view + n, 0, vt->sb_count);
	if (view != vt->view)
		vt->changes++;
	vt->view = view;
}

size_t vt_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static size_t row_text(const struct vt_cell *r, int cols, char *buf, size_t size, size_t at)
{
	int end = cols;
	while (end > 0 && r[end - 1].cp == ' ' && !(r[end - 1].attr & VT_WIDE_RIGHT))
		end--;
	for (int x = 0; x < end; x++) {
		if (r[x].attr & VT_WIDE_RIGHT)
			continue;
		char u[4];
		size_t n = vt_utf8_encode(r[x].cp, u);
		for (size_t i = 0; i < n; i++, at++)
			if (at + 1 < size)
				buf[at] = u[i];
	}
	if (at + 1 < size)
		buf[at] = '\n';
	return at + 1;
}

size_t vt_row_text(const struct vt *vt, int y, char *buf, size_t size)
{
	return row_text(vt_view_row(vt, y), vt->cols, buf, size + 1, 0);
}

size_t vt_text(const struct vt *vt, char *buf, size_t size)
{
	size_t at = 0;
	for (int y = 0; y < vt->rows; y++)
		at = row_text(vt_view_row(vt, y), vt->cols, buf, size, at);
	if (size > 0)
		buf[at < size ? at : size - 1] = 0;
	return at;
}
