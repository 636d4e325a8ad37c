/* SPDX-License-Identifier: MIT */
/*
 * The shell's line editor (shell/shell.h). Three layers: the byte classifier
 * (shell_input: Enter detection, the escape-sequence parser, control keys),
 * the editing operations (insert, erase, move, replace the line), and the
 * screen updates under them, which only ever write the changed tail of the
 * line followed by enough BS to put the terminal's cursor back. The line
 * buffer is always NUL-terminated at `len`, and `len` never passes
 * SHELL_LINE_MAX, whatever the input.
 *
 * The line is UTF-8: a multi-byte character is gathered byte by byte
 * (sh->utf8) and inserted whole once valid; the cursor only ever rests on
 * a character boundary; BS on the terminal moves one column, so moves and
 * redraws count columns (shell_utf8.c: two for a wide character).
 *
 * A line longer than the terminal is wide wraps onto the rows below, where
 * BS cannot follow. When the host knows the width (shell_config.columns),
 * the editor counts screen columns from the prompt's start and moves with
 * cursor-up/down, CR and cursor-right between rows; after writing up to
 * the end of a row it writes a blank and BS, so the terminal's cursor is
 * at the start of the next row (not waiting at the last column to wrap)
 * and the count stays true. Without a width it moves with BS as before.
 */
#include <stdbool.h>
#include <string.h>

#include "shell_impl.h"
#include "sys/errors.h"
#include "sys/width.h"

enum {
	KEY_CTRL_A = 0x01,
	KEY_CTRL_C = 0x03,
	KEY_CTRL_E = 0x05,
	KEY_BELL = 0x07,
	KEY_BS = 0x08,
	KEY_TAB = 0x09,
	KEY_LF = 0x0A,
	KEY_CR = 0x0D,
	KEY_CTRL_U = 0x15,
	KEY_ESC = 0x1B,
	KEY_DEL = 0x7F,
};

/* ---- screen output ---- */

static void out(struct shell *sh, const char *s, size_t n)
{
	if (n)
		sh->cfg.write(sh->cfg.ctx, s, n);
}

static void out_repeat(struct shell *sh, char c, size_t n)
{
	static const char backs[] = "\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b\b";
	static const char spaces[] = "                ";
	const char *run = c == '\b' ? backs : spaces;
	size_t chunk = sizeof(backs) - 1;

	for (; n > chunk; n -= chunk)
		out(sh, run, chunk);
	out(sh, run, n);
}

static void out_bell(struct shell *sh)
{
	out(sh, "\a", 1);
}

static size_t cols(const struct shell *sh, size_t from, size_t to)
{
	return shell_utf8_columns(sh->line, from, to);
}

/* ---- moving across wrapped rows ---- */

static size_t width(const struct shell *sh)
{
	return sh->cfg.columns ? sh->cfg.columns(sh->cfg.ctx) : 0;
}

/* The screen column of byte `at` of the line, counted from the prompt's start. */
static size_t column(const struct shell *sh, size_t at)
{
	return shell_utf8_columns(sh->prompt, 0, strlen(sh->prompt)) + cols(sh, 0, at);
}

/* ESC [ n final */
static void out_csi(struct shell *sh, size_t n, char final)
{
	char seq[24];
	size_t i = sizeof(seq);

	seq[--i] = final;
	do {
		seq[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n && i > 2);
	seq[--i] = '[';
	seq[--i] = '\x1b';
	out(sh, seq + i, sizeof(seq) - i);
}

/* From screen column `from` to `to` on a terminal w columns wide. */
static void move_columns(struct shell *sh, size_t from, size_t to, size_t w)
{
	if (from / w != to / w) {
		if (from / w > to / w)
			out_csi(sh, from / w - to / w, 'A');
		else
			out_csi(sh, to / w - from / w, 'B');
		out(sh, "\r", 1);
		from = to / w * w;
	}
	if (to < from)
		out_repeat(sh, '\b', from - to);
	else if (to > from)
		out_csi(sh, to - from, 'C');
}

/* Written up to column `end`, nothing of the line after it: not left waiting to wrap. */
static void settle(struct shell *sh, size_t end, size_t w)
{
	if (end > 0 && end % w == 0)
		out(sh, " \b", 2);
}

/* The terminal's cursor from byte `from` of the line to byte `to`. */
static void move_to(struct shell *sh, size_t from, size_t to)
{
	size_t w = width(sh);

	if (w)
		move_columns(sh, column(sh, from), column(sh, to), w);
	else if (to < from)
		out_repeat(sh, '\b', cols(sh, to, from));
	else
		out(sh, sh->line + from, to - from);
}

/*
 * The terminal's cursor is at byte `from` of the line: redraw the line
 * from there, blank `erased` stale columns after its end, and move back to
 * sh->cursor.
 */
static void redraw_tail(struct shell *sh, size_t from, size_t erased)
{
	size_t w = width(sh);

	out(sh, sh->line + from, sh->len - from);
	out_repeat(sh, ' ', erased);
	if (!w) {
		out_repeat(sh, '\b', cols(sh, sh->cursor, sh->len) + erased);
		return;
	}
	size_t end = column(sh, sh->len) + erased;
	settle(sh, end, w);
	move_columns(sh, end, column(sh, sh->cursor), w);
}

/* ---- editing operations ---- */

/* Insert n bytes (whole characters) at the cursor, or ring the bell if they do not fit. */
static void edit_insert(struct shell *sh, const char *s, size_t n)
{
	size_t at = sh->cursor;

	if (n > (size_t)(SHELL_LINE_MAX - sh->len)) {
		out_bell(sh);
		return;
	}
	memmove(sh->line + at + n, sh->line + at, sh->len - at + 1u);
	memcpy(sh->line + at, s, n);
	sh->len = (uint16_t)(sh->len + n);
	sh->cursor = (uint16_t)(sh->cursor + n);
	redraw_tail(sh, at, 0);
}

/* Remove the character at sh->cursor; the terminal's cursor is there. */
static void edit_remove_here(struct shell *sh)
{
	size_t at = sh->cursor, end = shell_utf8_next(sh->line, at, sh->len);
	size_t width = cols(sh, at, end);

	memmove(sh->line + at, sh->line + end, sh->len - end + 1u);
	sh->len = (uint16_t)(sh->len - (end - at));
	redraw_tail(sh, at, width);
}

static void edit_backspace(struct shell *sh)
{
	size_t prev;

	if (sh->cursor == 0)
		return;
	prev = shell_utf8_prev(sh->line, sh->cursor);
	move_to(sh, sh->cursor, prev);
	sh->cursor = (uint16_t)prev;
	edit_remove_here(sh);
}

static void edit_delete(struct shell *sh)
{
	if (sh->cursor < sh->len)
		edit_remove_here(sh);
}

static void edit_move(struct shell *sh, size_t to)
{
	move_to(sh, sh->cursor, to);
	sh->cursor = (uint16_t)to;
}

/* Replace the whole line with `text` and put the cursor at its end. */
static void edit_replace(struct shell *sh, const char *text)
{
	size_t old = cols(sh, 0, sh->len);
	size_t n = strnlen(text, SHELL_LINE_MAX), now;

	edit_move(sh, 0);
	memmove(sh->line, text, n);
	sh->line[n] = '\0';
	sh->len = (uint16_t)n;
	sh->cursor = (uint16_t)n;
	now = cols(sh, 0, n);
	redraw_tail(sh, 0, old > now ? old - now : 0);
}

static void edit_clear(struct shell *sh)
{
	sh->line[0] = '\0';
	sh->len = 0;
	sh->cursor = 0;
	sh->esc = SHELL_ESC_NONE;
	sh->utf8_len = 0;
	shell_hist_reset(&sh->hist);
}

static void edit_history(struct shell *sh, bool older)
{
	const char *text;
	int err = older ? shell_hist_older(&sh->hist, sh->line, &text)
			: shell_hist_newer(&sh->hist, &text);

	if (err)
		out_bell(sh);
	else
		edit_replace(sh, text);
}

static void edit_cancel(struct shell *sh)
{
	if (width(sh))
		edit_move(sh, sh->len); /* below the line's last row */
	out(sh, "^C\r\n", 4);
	edit_clear(sh);
	shell_prompt(sh);
}

/* Enter: hand the line over (from a copy, so the editor may be fed again). */
static void edit_submit(struct shell *sh)
{
	char line[SHELL_LINE_MAX + 1];

	if (width(sh))
		edit_move(sh, sh->len); /* the output starts below the line's last row */
	out(sh, "\r\n", 2);
	memcpy(line, sh->line, sh->len + 1u);
	edit_clear(sh);
	shell_hist_push(&sh->hist, line);
	sh->running = true;
	sh->interrupted = false;
	sh->status = sh->cfg.line ? sh->cfg.line(sh, line) : shell_execute(sh, line);
	sh->running = false;
	if (!sh->job)
		shell_prompt(sh);
}

/* ---- escape sequences ---- */

static void esc_key(struct shell *sh, uint8_t final)
{
	switch (final) {
	case 'A':
		edit_history(sh, true);
		break;
	case 'B':
		edit_history(sh, false);
		break;
	case 'C':
		edit_move(sh, shell_utf8_next(sh->line, sh->cursor, sh->len));
		break;
	case 'D':
		edit_move(sh, shell_utf8_prev(sh->line, sh->cursor));
		break;
	case 'H':
		edit_move(sh, 0);
		break;
	case 'F':
		edit_move(sh, sh->len);
		break;
	}
}

/* ESC [ n ~ keys: 1 and 7 Home, 4 and 8 End, 3 Delete. */
static void esc_tilde(struct shell *sh, unsigned param)
{
	if (param == 1 || param == 7)
		esc_key(sh, 'H');
	else if (param == 4 || param == 8)
		esc_key(sh, 'F');
	else if (param == 3)
		edit_delete(sh);
}

static void esc_csi_final(struct shell *sh, uint8_t b)
{
	if (b == '~')
		esc_tilde(sh, sh->esc_param);
	else
		esc_key(sh, b);
}

static void esc_csi_param(struct shell *sh, uint8_t b)
{
	if (b == ';' && sh->esc_len < UINT8_MAX)
		sh->esc_len++; /* later parameters (modifiers) are ignored */
	if (b >= '0' && b <= '9' && sh->esc_len == 0 && sh->esc_param < 1000)
		sh->esc_param = (uint16_t)(sh->esc_param * 10 + (b - '0'));
}

/* Feed a byte to the escape parser; false if it ended the sequence unread
 * (a control byte), so the caller handles it as a key of its own. */
static bool esc_feed(struct shell *sh, uint8_t b)
{
	uint8_t state = sh->esc;

	if (b < 0x20 || b > 0x7E) {
		sh->esc = SHELL_ESC_NONE;
		return false;
	}
	if (state == SHELL_ESC_START && (b == '[' || b == 'O')) {
		sh->esc = b == '[' ? SHELL_ESC_CSI : SHELL_ESC_SS3;
		sh->esc_len = 0;
		sh->esc_param = 0;
		return true;
	}
	if (state == SHELL_ESC_CSI && b < 0x40) {
		esc_csi_param(sh, b);
		return true;
	}
	sh->esc = SHELL_ESC_NONE;
	if (state == SHELL_ESC_CSI)
		esc_csi_final(sh, b);
	else if (state == SHELL_ESC_SS3)
		esc_key(sh, b);
	return true; /* an ESC + key pair (Alt) is dropped */
}

/* ---- input ---- */

static void input_control(struct shell *sh, uint8_t b)
{
	switch (b) {
	case KEY_CTRL_A:
		edit_move(sh, 0);
		break;
	case KEY_CTRL_C:
		edit_cancel(sh);
		break;
	case KEY_CTRL_E:
		edit_move(sh, sh->len);
		break;
	case KEY_BS:
	case KEY_DEL:
		edit_backspace(sh);
		break;
	case KEY_CR:
	case KEY_LF:
		edit_submit(sh);
		break;
	case KEY_CTRL_U:
		edit_replace(sh, "");
		break;
	case KEY_TAB: /* ignored without a complete callback */
		if (sh->cfg.complete)
			sh->cfg.complete(sh, sh->line, sh->cursor);
		break;
	case KEY_ESC:
		sh->esc = SHELL_ESC_START;
		break;
	}
}

/*
 * A byte of a multi-byte character: gathered until the sequence is whole,
 * then inserted if valid. A byte that cannot continue it starts afresh (or
 * is dropped), so a stray or cut sequence never reaches the line. So is a
 * combining mark at the start of the line: with no character of the line
 * to go with, a terminal puts it on the prompt, where no redraw of the line
 * would take it away again.
 */
static void input_utf8(struct shell *sh, uint8_t b)
{
	size_t used;
	long cp;

	if ((b & 0xC0) != 0x80 || sh->utf8_len == 0) {
		sh->utf8_len = 0;
		if (shell_utf8_need(b) < 2)
			return;
	}
	sh->utf8[sh->utf8_len++] = b;
	if (sh->utf8_len < shell_utf8_need(sh->utf8[0]))
		return;
	cp = shell_utf8_decode(sh->utf8, sh->utf8_len, &used);
	if (cp >= 0 && (sh->cursor > 0 || char_width((uint32_t)cp) > 0))
		edit_insert(sh, (const char *)sh->utf8, sh->utf8_len);
	sh->utf8_len = 0;
}

/* While a command or job runs: only Ctrl-C means something. */
static void input_busy(struct shell *sh, uint8_t b)
{
	if (b != KEY_CTRL_C)
		return;
	sh->interrupted = true;
	if (sh->cfg.interrupt)
		sh->cfg.interrupt(sh->cfg.ctx);
}

void shell_input(struct shell *sh, uint8_t b)
{
	bool lf_of_crlf = b == KEY_LF && sh->after_cr;

	sh->after_cr = b == KEY_CR;
	if (sh->running || sh->job) {
		input_busy(sh, b);
		return;
	}
	if (lf_of_crlf)
		return;
	if (sh->esc != SHELL_ESC_NONE && esc_feed(sh, b))
		return;
	if (b >= 0x80) {
		input_utf8(sh, b);
		return;
	}
	sh->utf8_len = 0; /* a cut sequence is dropped */
	if (b >= 0x20 && b < 0x7F)
		edit_insert(sh, (const char *)&b, 1);
	else
		input_control(sh, b);
}

int shell_init(struct shell *sh, const struct shell_config *cfg)
{
	if (!cfg || !cfg->write || (cfg->command_count && !cfg->commands))
		return E_INVAL;
	for (size_t i = 0; i < cfg->command_count; i++)
		if (!cfg->commands[i].name || !cfg->commands[i].fn)
			return E_INVAL;
	memset(sh, 0, sizeof(*sh));
	sh->cfg = *cfg;
	strlcpy(sh->prompt, cfg->prompt ? cfg->prompt : "> ", sizeof(sh->prompt));
	sh->hist.browse = -1;
	return E_OK;
}

void shell_insert(struct shell *sh, const char *text)
{
	edit_insert(sh, text, strnlen(text, SHELL_LINE_MAX + 1u));
}

void shell_prompt(struct shell *sh)
{
	size_t w = width(sh);

	out(sh, sh->prompt, strlen(sh->prompt));
	out(sh, sh->line, sh->len);
	if (w) {
		settle(sh, column(sh, sh->len), w);
		move_columns(sh, column(sh, sh->len), column(sh, sh->cursor), w);
	} else {
		out_repeat(sh, '\b', cols(sh, sh->cursor, sh->len));
	}
}
