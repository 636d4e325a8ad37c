/* SPDX-License-Identifier: MIT */
/*
 * The text utilities' input (text.h): a buffer filled from stdin or from a
 * file on any volume through the path library (sys/vfs.h, a relative path
 * against PWD), cut into lines.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/vfs.h"

long text_open(struct text_in *t, const char *prog, const char *path)
{
	struct fs_stat st;

	*t = (struct text_in){.file = -1};
	if (!path || strcmp(path, "-") == 0)
		return E_OK;
	long err = t->file = vfs_open(path, VFS_O_READ);
	if (t->file >= 0 && (err = vfs_fstat(t->file, &st)) == E_OK && (st.attr & FS_STAT_DIR))
		err = E_ISDIR;
	if (err != E_OK) {
		if (t->file >= 0)
			vfs_close(t->file);
		t->file = -1;
		vfs_fail(prog, path, err);
	}
	return err;
}

void text_close(struct text_in *t)
{
	if (t->file >= 0)
		vfs_close(t->file);
	t->file = -1;
}

/* More bytes into the buffer: false at the end (or an error, kept in t->error). */
static bool fill(struct text_in *t)
{
	long n;

	if (t->eof)
		return false;
	if (t->start > 0) {
		memmove(t->buf, t->buf + t->start, t->end - t->start);
		t->end -= t->start;
		t->start = 0;
	}
	if (t->file < 0)
		n = read(STDIN_FILENO, t->buf + t->end, sizeof(t->buf) - t->end);
	else
		n = vfs_read(t->file, t->buf + t->end, sizeof(t->buf) - t->end);
	if (n <= 0) {
		t->eof = n == 0;
		t->error = n;
		return false;
	}
	t->end += (size_t)n;
	t->error = 0;
	return true;
}

long text_line(struct text_in *t, char *line, size_t max)
{
	size_t n;

	if (max > sizeof(t->buf))
		max = sizeof(t->buf);
	for (;;) {
		size_t have = t->end - t->start;
		char *nl = memchr(t->buf + t->start, '\n', have);
		if (nl) {
			n = (size_t)(nl - (t->buf + t->start)) + 1;
			break;
		}
		if (have >= max - 1) {
			n = max - 1;
			break;
		}
		if (!fill(t)) {
			if (have == 0 || t->error == E_INTR)
				return t->error; /* Ctrl-C drops a line half typed */
			n = have;
			break;
		}
	}
	n = n < max - 1 ? n : max - 1;
	memcpy(line, t->buf + t->start, n);
	line[n] = '\0';
	t->start += n;
	return (long)n;
}

long text_read(struct text_in *t, void *buf, size_t n)
{
	if (t->start == t->end && !fill(t))
		return t->error;
	size_t k = t->end - t->start < n ? t->end - t->start : n;
	memcpy(buf, t->buf + t->start, k);
	t->start += k;
	return (long)k;
}

int text_fail(const char *prog, long err)
{
	if (err == E_INTR)
		return 130;
	return vfs_fail(prog, NULL, err);
}
