/* SPDX-License-Identifier: MIT */
/*
 * printf and friends for ring-3 programs: formatting by vcbprintf into a
 * line buffer, written in whole lines where possible to a descriptor. Until
 * a program is given streams, descriptors 1 and 2 are the kernel's debug
 * console and 0 is at end-of-stream.
 */
#include <stdarg.h>
#include <string.h>

#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define LINE_MAX 256

struct line {
	int fd;
	size_t len;
	char buf[LINE_MAX];
};

long read(int fd, void *buf, unsigned long n)
{
	(void)buf;
	(void)n;
	return fd == STDIN_FILENO ? 0 : E_BADHANDLE;
}

long write(int fd, const void *buf, unsigned long n)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
		return E_BADHANDLE;
	sys_debug_write(buf, n);
	return (long)n;
}

static void flush(struct line *l)
{
	if (l->len)
		write(l->fd, l->buf, l->len);
	l->len = 0;
}

static void put(void *ctx, const char *s, size_t n)
{
	struct line *l = ctx;

	for (size_t i = 0; i < n; i++) {
		if (l->len == LINE_MAX)
			flush(l);
		l->buf[l->len++] = s[i];
		if (s[i] == '\n')
			flush(l);
	}
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct line l = {.fd = fd, .len = 0};
	int n = vcbprintf(put, &l, fmt, ap);
	flush(&l);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(STDOUT_FILENO, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	write(STDOUT_FILENO, s, strlen(s));
	write(STDOUT_FILENO, "\n", 1);
	return 0;
}
