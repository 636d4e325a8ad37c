/* SPDX-License-Identifier: MIT */
/*
 * A new size for the VT engine's grid (vt.h): what a terminal does when
 * its window is resized. Nothing is reflowed: each row (of both screens
 * and of the scrollback) keeps its cells from the left, cut at the new
 * width or padded with blanks (a two-cell character cut in half becomes a
 * blank). When the screen loses rows and the cursor would fall off its
 * bottom, the top rows scroll off first (into the scrollback from the main
 * screen) so the cursor's line stays in sight, as xterm does; otherwise
 * the bottom rows are cut. The cursor and the saved cursors are clamped,
 * the scroll region is the whole screen again, tab stops every 8 columns,
 * and a scrolled-back view is held to the scrollback.
 */
#include <stdlib.h>
#include <string.h>

#include "sys/errors.h"
#include "vt.h"

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

static struct vt_cell plain_blank(void)
{
	return (struct vt_cell){VT_DEFAULT_CP, VT_COLOUR_FG, VT_COLOUR_BG,
				VT_FG_DEFAULT | VT_BG_DEFAULT, 0};
}

/* One row of `from` cells into `to` cells: cut or padded, no half of a wide character left. */
static void copy_row(struct vt_cell *to, int to_cols, const struct vt_cell *from, int from_cols)
{
	int n = min_int(to_cols, from_cols);

	if (n > 0)
		memcpy(to, from, (size_t)n * sizeof(*to));
	for (int x = n; x < to_cols; x++)
		to[x] = plain_blank();
	if (to[to_cols - 1].attr & VT_WIDE) { /* its right half was cut */
		to[to_cols - 1].cp = VT_DEFAULT_CP;
		to[to_cols - 1].attr &= (uint8_t)~VT_WIDE;
	}
}

/* `rows` rows of `from` (old_rows x old_cols) into a new array of rows x cols, or NULL. */
static struct vt_cell *regrid(const struct vt_cell *from, int old_cols, int old_rows, int cols,
			      int rows)
{
	struct vt_cell *to = malloc((size_t)cols * (size_t)rows * sizeof(*to));

	if (!to)
		return NULL;
	for (int y = 0; y < rows; y++) {
		struct vt_cell *line = to + (size_t)y * (size_t)cols;
		if (y < old_rows)
			copy_row(line, cols, from + (size_t)y * (size_t)old_cols, old_cols);
		else
			copy_row(line, cols, NULL, 0);
	}
	return to;
}

static void clamp_cursor(struct vt_cursor *c, int cols, int rows)
{
	c->x = min_int(c->x, cols - 1);
	c->y = min_int(c->y, rows - 1);
	c->pending_wrap = false;
}

/* Scroll the top rows of the shown screen off so the cursor's row fits in `rows`. */
static void keep_cursor_in_sight(struct vt *vt, int rows)
{
	int off = vt->cur.y - (rows - 1);

	if (off <= 0)
		return;
	vt->top = 0;
	vt->bottom = vt->rows - 1;
	vt_scroll_up(vt, off); /* the main screen's lines go to the scrollback */
	vt->cur.y -= off;
	if (!vt->alt_active)
		vt->saved.y = vt->saved.y > off ? vt->saved.y - off : 0;
}

/* The new arrays, all or none. */
struct grids {
	struct vt_cell *main, *alt, *lines;
	uint8_t *tabs;
};

static long make_grids(const struct vt *vt, int cols, int rows, struct grids *g)
{
	g->main = regrid(vt->main, vt->cols, vt->rows, cols, rows);
	g->alt = regrid(vt->alt, vt->cols, vt->rows, cols, rows);
	g->lines = regrid(vt->lines, vt->cols, vt->sb_cap, cols, vt->sb_cap + 1);
	g->tabs = malloc((size_t)cols);
	if (g->main && g->alt && g->lines && g->tabs)
		return E_OK;
	free(g->main);
	free(g->alt);
	free(g->lines);
	free(g->tabs);
	return E_NOMEM;
}

long vt_resize(struct vt *vt, int cols, int rows)
{
	struct grids g;

	if (cols < 2 || rows < 1 || cols > 1000 || rows > 1000)
		return E_INVAL;
	if (cols == vt->cols && rows == vt->rows)
		return E_OK;
	keep_cursor_in_sight(vt, rows);
	if (make_grids(vt, cols, rows, &g) != E_OK)
		return E_NOMEM;
	free(vt->main);
	free(vt->alt);
	free(vt->lines);
	free(vt->tabs);
	vt->main = g.main;
	vt->alt = g.alt;
	vt->lines = g.lines;
	vt->tabs = g.tabs;
	vt->screen = vt->alt_active ? vt->alt : vt->main;
	vt->cols = cols;
	vt->rows = rows;
	clamp_cursor(&vt->cur, cols, rows);
	clamp_cursor(&vt->saved, cols, rows);
	clamp_cursor(&vt->saved_main, cols, rows);
	vt->top = 0;
	vt->bottom = rows - 1;
	for (int x = 0; x < cols; x++)
		vt->tabs[x] = x % 8 == 0 && x > 0;
	vt->view = min_int(vt->view, vt->sb_count);
	vt->changes++;
	return E_OK;
}
