/* SPDX-License-Identifier: MIT */
/*
 * The term protocol's ops (proto/term.h) over the terminal's grid: its
 * size, cursor and scrollback, and its view as text, row by row, as much
 * as fits in one reply. They take the grid's lock; no system call beyond.
 */
#include "sys/errors.h"
#include "term.h"

static long info(void *ctx, struct term_info *out)
{
	struct term_shared *t = ctx;
	const struct vt *vt = &t->vt;

	sys_lock(&t->lock);
	*out = (struct term_info){
		.cols = (uint64_t)vt->cols,
		.rows = (uint64_t)vt->rows,
		.cursor = (uint64_t)vt->cur.x | (uint64_t)vt->cur.y << 32,
		.scrollback = (uint64_t)vt->sb_count,
		.view = (uint64_t)vt->view,
		.flags = (vt->cursor_visible ? TERM_CURSOR_VISIBLE : 0u) |
			 (vt->alt_active ? TERM_ALT_SCREEN : 0u),
	};
	sys_unlock(&t->lock);
	return E_OK;
}

static long text(void *ctx, uint64_t first, char *buf, size_t size, uint64_t *rows, size_t *len)
{
	struct term_shared *t = ctx;
	size_t used = 0;
	int y;

	sys_lock(&t->lock);
	if (first >= (uint64_t)t->vt.rows) {
		sys_unlock(&t->lock);
		return E_RANGE;
	}
	for (y = (int)first; y < t->vt.rows; y++) {
		size_t need = vt_row_text(&t->vt, y, buf + used, size - used);
		if (need > size - used)
			break; /* not whole: the next call starts here */
		used += need;
	}
	sys_unlock(&t->lock);
	*rows = (uint64_t)y - first;
	*len = used;
	return E_OK;
}

const struct term_ops term_grid_ops = {info, text, NULL}; /* input: main.c adds it */
