/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the shell tests (test_shell.c, test_shell_cmd.c): a
 * shell whose output is captured in a buffer and also played on a model
 * terminal line (printable bytes overwrite, BS moves left, CR goes to
 * column 0, LF starts a new line), lines handed over by the editor, and
 * helpers that compare output byte for byte, printing both sides escaped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../abi/include/sys/errors.h"
#include "../include/shell/shell.h"
#include "check.h"

#define FX_OUT_MAX   16384
#define FX_LINES_MAX 64
#define FX_COLS	     1024

struct fixture {
	struct shell sh;
	char out[FX_OUT_MAX];
	size_t out_len;
	bool out_overflow;
	char row[FX_COLS]; /* the model terminal's current line */
	size_t col;
	bool bs_at_col0; /* the editor moved left of column 0 */
	char lines[FX_LINES_MAX][SHELL_LINE_MAX + 1];
	size_t line_count;
	int interrupts;
	int bad_ctx; /* callbacks that got the wrong context */
};

static struct fixture fx;

static inline void fx_play(char c)
{
	if (c == '\b') {
		if (fx.col == 0)
			fx.bs_at_col0 = true;
		else
			fx.col--;
	} else if (c == '\r') {
		fx.col = 0;
	} else if (c == '\n') {
		memset(fx.row, 0, sizeof(fx.row));
	} else if (c >= 0x20 && c < 0x7F && fx.col < FX_COLS - 1) {
		fx.row[fx.col++] = c;
	}
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

/* The model terminal shows the prompt and the line, with the cursor in place. */
static inline bool fx_screen_matches(void)
{
	size_t cursor;
	const char *line = shell_line(&fx.sh, &cursor);
	size_t plen = strlen("> "), len = strlen(line);

	if (memcmp(fx.row, "> ", plen) != 0 || memcmp(fx.row + plen, line, len) != 0)
		return false;
	for (size_t i = plen + len; i < FX_COLS; i++)
		if (fx.row[i] != '\0' && fx.row[i] != ' ')
			return false;
	return fx.col == plen + cursor;
}
