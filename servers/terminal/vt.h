/* SPDX-License-Identifier: MIT */
/*
 * The terminal's VT engine: a grid of cells that bytes written by a program
 * change, the way an xterm's screen does. Pure C (no system calls, no
 * drawing), so the host test drives it with every sequence and with random
 * bytes under ASan and UBSan. Three files:
 *
 *   vt.c        the grid: printing, wrapping, scrolling (with the
 *               scrollback), erasing, the alternate screen, text export
 *   vt_parse.c  the byte parser: UTF-8 (split across writes), C0 controls,
 *               ESC, CSI with its parameters, SGR, modes; OSC and DCS
 *               strings are read and dropped
 *   vt_resize.c a new size for the grid (no reflow)
 *   vt_palette.c the 256-colour palette (cell widths are libsys's
 *               char_width, sys/width.h)
 *
 * The subset: CUP/HVP CUU CUD CUF CUB CNL CPL CHA/HPA VPA, ESC 7/8 and
 * CSI s/u, ED EL, IL DL ICH DCH ECH, SU SD, DECSTBM, IND RI NEL, HTS TBC
 * and HT/CBT, SGR (bold, underline, reverse and their resets, 16 colours
 * and their bright forms, 38;5/48;5, 38;2/48;2 to the nearest of the 256,
 * 39/49 default), modes ?7 (auto-wrap), ?25 (cursor), ?47/?1047/?1049
 * (alternate screen), DSR 6n and DA (answers queued in `reply`), RIS.
 * Anything else is consumed and ignored; nothing a program writes can put
 * the cursor or an index outside the grid.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_MAX_PARAMS 16
#define VT_PARAM_MAX  9999
#define VT_REPLY_MAX  32
#define VT_DEFAULT_CP ' '
#define VT_COLOUR_FG  7 /* the palette entries of the default colours */
#define VT_COLOUR_BG  0
#define VT_SCROLLBACK 1000 /* lines kept above the screen */

/* vt_cell.attr */
#define VT_BOLD	      0x01u
#define VT_UNDERLINE  0x02u
#define VT_REVERSE    0x04u
#define VT_FG_DEFAULT 0x08u /* fg is the default colour, whatever the field says */
#define VT_BG_DEFAULT 0x10u
#define VT_WIDE	      0x20u /* the left half of a two-cell character */
#define VT_WIDE_RIGHT 0x40u /* the right half: no character of its own */

struct vt_cell {
	uint32_t cp;
	uint8_t fg, bg; /* palette indexes (vt_palette) */
	uint8_t attr;
	uint8_t pad;
};

struct vt_cursor {
	int x, y;
	bool pending_wrap; /* at the last column with a character written: wrap on the next */
	struct vt_cell pen;
};

enum vt_state { VT_GROUND, VT_ESC, VT_ESC_SKIP, VT_CSI, VT_STRING, VT_STRING_ESC };

struct vt {
	int cols, rows;
	struct vt_cell *screen;	    /* the grid shown: main or alt */
	struct vt_cell *main, *alt; /* rows x cols each */
	struct vt_cell *lines;	    /* scrollback: sb_cap lines of cols, a ring */
	int sb_cap, sb_count, sb_next;
	int view; /* lines scrolled back (0: the live screen) */
	struct vt_cursor cur, saved, saved_main;
	int top, bottom; /* the scroll region, rows top..bottom inclusive */
	bool autowrap, cursor_visible, alt_active;
	uint8_t *tabs;	  /* cols flags */
	uint64_t changes; /* counts every change to the grid or cursor: a renderer's hint */
	/* the parser */
	enum vt_state state;
	uint32_t params[VT_MAX_PARAMS];
	int nparams;
	char prefix; /* '?', '>', '=' or 0 */
	char inter;  /* an intermediate byte, or 0 */
	uint32_t utf8_cp;
	int utf8_left, utf8_len;  /* continuation bytes still to come, and in all */
	char reply[VT_REPLY_MAX]; /* answers to DSR and DA for the program's input */
	size_t reply_len;
};

/* A terminal of cols x rows (at least 2 x 1) with scrollback lines; E_OK or E_NOMEM. */
long vt_init(struct vt *vt, int cols, int rows, int scrollback);
void vt_free(struct vt *vt);
/* Everything back to the state after vt_init (RIS), the scrollback emptied. */
void vt_reset(struct vt *vt);
/*
 * A new size, cols x rows (as vt_init allows): no reflow, rows cut or padded,
 * the cursor kept in sight and clamped, the scroll region reset, the
 * scrollback kept (vt_resize.c). E_OK, E_INVAL, or E_NOMEM (nothing changed
 * but the rows scrolled off to keep the cursor in sight).
 */
long vt_resize(struct vt *vt, int cols, int rows);
/* Feed bytes the program wrote. */
void vt_write(struct vt *vt, const void *bytes, size_t n);

/* What row y (0 the top) of the view shows: scrollback lines while scrolled back. */
const struct vt_cell *vt_view_row(const struct vt *vt, int y);
/* Scroll the view back (positive) or forward by n lines, held to the scrollback. */
void vt_scroll_view(struct vt *vt, int n);
/*
 * The view as UTF-8 text, one line per row ending in '\n', trailing blanks
 * dropped, the right halves of wide characters skipped; NUL-terminated,
 * cut at size - 1 bytes. Returns the length it needed (as snprintf).
 */
size_t vt_text(const struct vt *vt, char *buf, size_t size);
/* Row y of the view as vt_text writes it (with its '\n', no NUL) into at most size bytes. */
size_t vt_row_text(const struct vt *vt, int y, char *buf, size_t size);

/* cp as UTF-8 into out (4 bytes at most); returns the length. */
size_t vt_utf8_encode(uint32_t cp, char *out);
/* 0x00RRGGBB of palette entry i: 16 ANSI colours, the 6x6x6 cube, 24 greys. */
uint32_t vt_palette(uint8_t i);

/* The grid operations the parser calls (vt.c). */
void vt_print(struct vt *vt, uint32_t cp);
void vt_linefeed(struct vt *vt);
void vt_reverse_index(struct vt *vt);
void vt_move_to(struct vt *vt, int x, int y);
void vt_scroll_up(struct vt *vt, int n);
void vt_scroll_down(struct vt *vt, int n);
void vt_erase_display(struct vt *vt, int mode);
void vt_erase_line(struct vt *vt, int mode);
void vt_erase_chars(struct vt *vt, int n);
void vt_insert_lines(struct vt *vt, int n);
void vt_delete_lines(struct vt *vt, int n);
void vt_insert_chars(struct vt *vt, int n);
void vt_delete_chars(struct vt *vt, int n);
void vt_set_region(struct vt *vt, int top, int bottom);
void vt_tab(struct vt *vt, int n);
void vt_save_cursor(struct vt *vt);
void vt_restore_cursor(struct vt *vt);
void vt_alt_screen(struct vt *vt, bool on, bool save_cursor, bool clear);
struct vt_cell vt_blank(const struct vt *vt);
