/* SPDX-License-Identifier: MIT */
/*
 * printf and friends for ring-3 programs: formatting by vcbprintf into a
 * line buffer, written to the kernel's debug console (the serial console
 * server will take over this job) in whole lines where possible.
 */
#include <stdarg.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define LINE_MAX 256

struct line {
	char buf[LINE_MAX];
	size_t len;
};

static void flush(struct line *l)
{
	if (l->len)
		sys_debug_write(l->buf, l->len);
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

int vprintf(const char *fmt, va_list ap)
{
	struct line l = {.len = 0};
	int n = vcbprintf(put, &l, fmt, ap);
	flush(&l);
	return n;
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
	sys_debug_write(s, strlen(s));
	sys_debug_write("\n", 1);
	return 0;
}
