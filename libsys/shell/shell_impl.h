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
