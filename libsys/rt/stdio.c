/* SPDX-License-Identifier: MIT */
/*
 * Standard input and output (sys/stdio.h). Descriptors 0, 1 and 2 are the
 * streams (proto/stream.h) a program was given as the start handles
 * "stdin", "stdout" and "stderr", attached before main (so an interrupt
 * that comes before the first read is not lost); a descriptor
 * whose handle was not given falls back: 1 and 2 to the kernel's debug
 * console, 0 at end-of-stream. printf to a stream goes through a buffer
 * for descriptor 1, written at each newline, when full, before a read of
 * descriptor 0 and at exit (to the debug console, at the end of each call
 * too); dprintf to any other descriptor writes whole lines of each call.
 */
#include <stdarg.h>
#include <string.h>

#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/lock.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define LINE_MAX 256
#define OUT_MAX	 1024

struct std_stream {
	int tried; /* the start handle was looked for */
	int open;
	struct stream s;
};

static struct std_stream std[3];
static struct sys_lock std_lock;
static const char *const std_names[3] = {"stdin", "stdout", "stderr"};

/* The stream behind descriptor fd, or NULL for the fallback. */
static struct stream *std_stream(int fd)
{
	struct std_stream *d = &std[fd];

	if (!__atomic_load_n(&d->tried, __ATOMIC_ACQUIRE)) {
		sys_lock(&std_lock);
		if (!d->tried) {
			handle_t h = start_handle(std_names[fd], NULL);
			d->open = h != HANDLE_INVALID && stream_open(&d->s, h) == E_OK;
			__atomic_store_n(&d->tried, 1, __ATOMIC_RELEASE);
		}
		sys_unlock(&std_lock);
	}
	return d->open ? &d->s : NULL;
}

void stdio_init(void)
{
	for (int fd = 0; fd < 3; fd++)
		std_stream(fd);
}

struct stream *stdio_stream(int fd)
{
	return fd >= 0 && fd <= 2 ? std_stream(fd) : NULL;
}

static struct {
	size_t len;
	char buf[OUT_MAX];
} out;
static struct sys_lock out_lock;

static long write_raw(int fd, const void *buf, unsigned long n)
{
	struct stream *s;

	if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
		return E_BADHANDLE;
	if ((s = std_stream(fd)))
		return stream_write(s, buf, n);
	sys_debug_write(buf, n);
	return (long)n;
}

static void out_flush_locked(void)
{
	if (out.len)
		write_raw(STDOUT_FILENO, out.buf, out.len);
	out.len = 0;
}

void stdio_flush(void)
{
	sys_lock(&out_lock);
	out_flush_locked();
	sys_unlock(&out_lock);
}

long read(int fd, void *buf, unsigned long n)
{
	struct stream *s;

	if (fd != STDIN_FILENO)
		return E_BADHANDLE;
	stdio_flush(); /* a prompt is out before we wait for its answer */
	if (!(s = std_stream(fd)))
		return 0;
	return stream_read(s, buf, n);
}

long write(int fd, const void *buf, unsigned long n)
{
	if (fd == STDOUT_FILENO)
		stdio_flush();
	return write_raw(fd, buf, n);
}

/* Descriptor 1's buffer: whole lines out as they complete. */
static void out_put(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++) {
		if (out.len == OUT_MAX)
			out_flush_locked();
		out.buf[out.len++] = s[i];
		if (s[i] == '\n')
			out_flush_locked();
	}
}

struct line {
	int fd;
	size_t len;
	char buf[LINE_MAX];
};

static void line_flush(struct line *l)
{
	if (l->len)
		write_raw(l->fd, l->buf, l->len);
	l->len = 0;
}

static void line_put(void *ctx, const char *s, size_t n)
{
	struct line *l = ctx;

	for (size_t i = 0; i < n; i++) {
		if (l->len == LINE_MAX)
			line_flush(l);
		l->buf[l->len++] = s[i];
		if (s[i] == '\n')
			line_flush(l);
	}
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	if (fd == STDOUT_FILENO) {
		sys_lock(&out_lock);
		int n = vcbprintf(out_put, NULL, fmt, ap);
		if (!std_stream(STDOUT_FILENO))
			out_flush_locked(); /* the debug console: each call's text at once, as ever
					     */
		sys_unlock(&out_lock);
		return n;
	}
	struct line l = {.fd = fd, .len = 0};
	int n = vcbprintf(line_put, &l, fmt, ap);
	line_flush(&l);
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
	return printf("%s\n", s) < 0 ? -1 : 0;
}

__attribute__((noreturn)) void exit(int code)
{
	stdio_flush();
	sys_process_exit(code);
}
