/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the shell tests (test_shell.c, test_shell_cmd.c): a
 * shell whose output is captured in a buffer and also played on a model
 * terminal line (printable characters overwrite cells, UTF-8 decoded: a
 * wide one takes two, a combining mark joins the cell before; BS moves
 * left one column, CR goes to column 0, LF starts a new line), lines
 * handed over by the editor, and
 * helpers that compare output byte for byte, printing both sides escaped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../abi/include/sys/errors.h"
#include "../include/shell/shell.h"
#include "../shell_impl.h"
#include "check.h"

#define FX_OUT_MAX   16384
#define FX_LINES_MAX 64
#define FX_COLS	     1024

/* One line of a model terminal: each cell holds the UTF-8 bytes shown there. */
struct fx_term {
	char cell[FX_COLS][8];
	size_t col;
	uint8_t pend[4]; /* a character's bytes so far */
	size_t pending;
};

struct fixture {
	struct shell sh;
	char out[FX_OUT_MAX];
	size_t out_len;
	bool out_overflow;
	struct fx_term term; /* the model terminal's current line */
	bool bs_at_col0;     /* the editor moved left of column 0 */
	char lines[FX_LINES_MAX][SHELL_LINE_MAX + 1];
	size_t line_count;
	int interrupts;
	int bad_ctx; /* callbacks that got the wrong context */
};

static struct fixture fx;

/* Put one character of n bytes at the cursor ("\x01" marks a wide one's right half). */
static inline void fx_term_put(struct fx_term *t, const char *b, size_t n)
{
	size_t w = shell_utf8_columns(b, 0, n);

	if (w == 0) {
		char *cell = t->col > 0 ? t->cell[t->col - 1] : NULL;
		size_t have = cell ? strlen(cell) : 0;
		if (cell && have + n < sizeof(t->cell[0])) {
			memcpy(cell + have, b, n);
			cell[have + n] = '\0';
		}
		return;
	}
	if (t->col + w >= FX_COLS)
		return;
	memcpy(t->cell[t->col], b, n);
	t->cell[t->col][n] = '\0';
	if (w == 2)
		strcpy(t->cell[t->col + 1], "\x01");
	t->col += w;
}

/* One output byte on the model terminal; false for BS at column 0. */
static inline bool fx_term_play(struct fx_term *t, char c)
{
	uint8_t b = (uint8_t)c;
	size_t used;

	if (b >= 0x80) {
		if ((b & 0xC0) != 0x80 || t->pending == 0)
			t->pending = shell_utf8_need(b) >= 2 ? 0 : 5; /* 5: dropping */
		if (t->pending < 4)
			t->pend[t->pending++] = b;
		if (t->pending < 5 && t->pending == shell_utf8_need(t->pend[0])) {
			if (shell_utf8_decode(t->pend, t->pending, &used) >= 0)
				fx_term_put(t, (const char *)t->pend, t->pending);
			t->pending = 0;
		}
		return true;
	}
	t->pending = 0;
	if (c == '\b') {
		if (t->col == 0)
			return false;
		t->col--;
	} else if (c == '\r') {
		t->col = 0;
	} else if (c == '\n') {
		memset(t->cell, 0, sizeof(t->cell));
	} else if (c >= 0x20 && c < 0x7F) {
		fx_term_put(t, &c, 1);
	}
	return true;
}

static inline void fx_play(char c)
{
	if (!fx_term_play(&fx.term, c))
		fx.bs_at_col0 = true;
}

/* The model terminal's line as text (for messages). */
static inline const char *fx_row_text(void)
{
	static char text[FX_COLS * 8];

	text[0] = '\0';
	for (size_t i = 0; i < FX_COLS; i++)
		if (strcmp(fx.term.cell[i], "\x01") != 0)
			strcat(text, fx.term.cell[i][0] ? fx.term.cell[i] : " ");
	return text;
}

static inline void fx_write(void *ctx, const char *s, size_t n)
{
	fx.bad_ctx += ctx != &fx;
	for (size_t i = 0; i < n; i++) {
		fx_play(s[i]);
		if (fx.out_len < FX_OUT_MAX - 1)
			fx.out[fx.out_len++] = s[i];
		else
			fx.out_overflow = true;
	}
	fx.out[fx.out_len] = '\0';
}

static inline void fx_interrupt(void *ctx)
{
	fx.bad_ctx += ctx != &fx;
	fx.interrupts++;
}

/* The editor's line hook: remember the line; status 0. */
static inline int fx_line(struct shell *sh, const char *line)
{
	fx.bad_ctx += sh != &fx.sh;
	if (fx.line_count < FX_LINES_MAX)
		snprintf(fx.lines[fx.line_count], sizeof(fx.lines[0]), "%s", line);
	fx.line_count++;
	return 0;
}

static inline void fx_clear_output(void)
{
	fx.out_len = 0;
	fx.out[0] = '\0';
}

/* A fresh shell: with `commands`, lines run as commands; without, they are
 * recorded by fx_line. The first prompt is printed and cleared. */
static inline void fx_setup(const struct shell_command *commands, size_t count)
{
	memset(&fx, 0, sizeof(fx));
	struct shell_config cfg = {
		.commands = commands,
		.command_count = count,
		.write = fx_write,
		.interrupt = fx_interrupt,
		.line = commands ? NULL : fx_line,
		.ctx = &fx,
	};
	CHECK_EQ(shell_init(&fx.sh, &cfg), E_OK);
	shell_prompt(&fx.sh);
	fx_clear_output();
}

static inline void fx_feedn(const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		shell_input(&fx.sh, (uint8_t)bytes[i]);
}

static inline void fx_feed(const char *bytes)
{
	fx_feedn(bytes, strlen(bytes));
}

static inline void fx_print_escaped(const char *label, const char *s)
{
	fprintf(stderr, "  %s \"", label);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7F && c != '\\')
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

/* The output since the last check must be exactly `want`; then it is cleared. */
#define EXPECT_OUT(want) fx_expect_out(__FILE__, __LINE__, (want))

static inline void fx_expect_out(const char *file, int line, const char *want)
{
	if (strcmp(fx.out, want) == 0 && !fx.out_overflow) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: output differs\n", file, line);
		fx_print_escaped("want", want);
		fx_print_escaped("got ", fx.out);
	}
	fx_clear_output();
}

#define EXPECT_LINE(want) fx_expect_line(__FILE__, __LINE__, (want))

static inline void fx_expect_line(const char *file, int line, const char *want)
{
	const char *got = shell_line(&fx.sh, NULL);

	if (strcmp(got, want) == 0) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "%s:%d: line differs\n", file, line);
		fx_print_escaped("want", want);
		fx_print_escaped("got ", got);
	}
}

/*
 * The model terminal shows what the prompt and the line drawn afresh on a
 * blank one would, blanks after them, and the cursor in place.
 */
static inline bool fx_screen_matches(void)
{
	static struct fx_term fresh;
	size_t cursor;
	const char *line = shell_line(&fx.sh, &cursor);

	memset(&fresh, 0, sizeof(fresh));
	for (const char *p = "> "; *p; p++)
		fx_term_play(&fresh, *p);
	for (const char *p = line; *p; p++)
		fx_term_play(&fresh, *p);
	for (size_t i = 0; i < FX_COLS; i++) {
		const char *got = fx.term.cell[i], *want = fresh.cell[i];
		if (strcmp(got, want) != 0 && (want[0] || (got[0] && strcmp(got, " ") != 0)))
			return false;
	}
	return fx.term.col == strlen("> ") + shell_utf8_columns(line, 0, cursor);
}
