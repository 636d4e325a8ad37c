/* SPDX-License-Identifier: MIT */
/*
 * What the text utilities share (text.c): reading lines from stdin or from
 * a file on any volume (sys/vfs.h: a path against PWD), and reporting an
 * error on stderr.
 * A line longer than TEXT_LINE_MAX is returned in pieces.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_LINE_MAX 1024

struct text_in {
	int file;	   /* -1: stdin, else a vfs descriptor */
	size_t start, end; /* unread bytes in buf */
	bool eof;
	long error;
	char buf[4096];
};

/* Open `path` ("-" or NULL: stdin): 0 or a negative error (reported as "prog: path: why"). */
long text_open(struct text_in *t, const char *prog, const char *path);
void text_close(struct text_in *t);
/*
 * The next line with its '\n' (if it had one) and a NUL: its length, 0 at
 * the end, or a negative error (E_INTR: Ctrl-C).
 */
long text_line(struct text_in *t, char *line, size_t max);
/* Up to n bytes, whatever the lines: the count, 0 at the end, or an error. */
long text_read(struct text_in *t, void *buf, size_t n);
/* The exit code for an error from text_line (130 for Ctrl-C, else 1), after saying it. */
int text_fail(const char *prog, long err);
