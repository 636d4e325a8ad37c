/* SPDX-License-Identifier: MIT */
/*
 * The shell's history (shell/shell.h): a ring of SHELL_HISTORY fixed-size
 * lines, newest first when read. Browsing walks an index from the newest
 * line (0) to the oldest; the line that was being typed when browsing
 * started is kept aside and comes back when the walk returns past the
 * newest entry.
 */
#include <stdbool.h>
#include <string.h>

#include "shell_impl.h"
#include "sys/errors.h"

static bool is_blank_line(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

static const char *hist_at(const struct shell_history *h, size_t i)
{
	size_t slot = (h->newest + SHELL_HISTORY - i) % SHELL_HISTORY;

	return h->lines[slot];
}

void shell_hist_reset(struct shell_history *h)
{
	h->browse = -1;
}

void shell_hist_push(struct shell_history *h, const char *line)
{
	shell_hist_reset(h);
	if (is_blank_line(line))
		return;
	if (h->count && strcmp(hist_at(h, 0), line) == 0)
		return;
	h->newest = (uint8_t)((h->newest + 1) % SHELL_HISTORY);
	strlcpy(h->lines[h->newest], line, sizeof(h->lines[0]));
	if (h->count < SHELL_HISTORY)
		h->count++;
}

int shell_hist_older(struct shell_history *h, const char *current, const char **text)
{
	if (h->browse + 1 >= (int)h->count)
		return E_RANGE;
	if (h->browse < 0)
		strlcpy(h->saved, current, sizeof(h->saved));
	h->browse++;
	*text = hist_at(h, (size_t)h->browse);
	return E_OK;
}

int shell_hist_newer(struct shell_history *h, const char **text)
{
	if (h->browse < 0)
		return E_RANGE;
	h->browse--;
	*text = h->browse < 0 ? h->saved : hist_at(h, (size_t)h->browse);
	return E_OK;
}

size_t shell_history_count(const struct shell *sh)
{
	return sh->hist.count;
}

const char *shell_history_get(const struct shell *sh, size_t i)
{
	if (i >= sh->hist.count)
		return NULL;
	return hist_at(&sh->hist, i);
}
