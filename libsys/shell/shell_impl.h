/* SPDX-License-Identifier: MIT */
/*
 * Inside the shell core: the history ring's operations, shared by the line
 * editor (shell_edit.c) and kept in shell_history.c.
 */
#pragma once

#include "shell/shell.h"

/* Remember a submitted line (not an empty or all-blank one, nor a repeat
 * of the newest) and leave browsing. */
void shell_hist_push(struct shell_history *h, const char *line);
/* Back to editing a fresh line. */
void shell_hist_reset(struct shell_history *h);
/* One line older; `current` is saved on the first step. E_RANGE at the end. */
int shell_hist_older(struct shell_history *h, const char *current, const char **text);
/* One line newer, or the saved fresh line. E_RANGE when not browsing. */
int shell_hist_newer(struct shell_history *h, const char **text);

/*
 * UTF-8 in the line (shell_utf8.c). A sequence's length from its first
 * byte (1 for ASCII, 0 for a byte that cannot start one); the code point
 * of the valid sequence at s (its length in *used) or -1; the character
 * boundary after or before byte `at`; the columns bytes [from, to) take on
 * a terminal (two for a wide character, none for a combining mark).
 */
size_t shell_utf8_need(uint8_t lead);
long shell_utf8_decode(const uint8_t *s, size_t n, size_t *used);
size_t shell_utf8_next(const char *s, size_t at, size_t len);
size_t shell_utf8_prev(const char *s, size_t at);
size_t shell_utf8_columns(const char *s, size_t from, size_t to);
