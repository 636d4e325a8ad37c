/* SPDX-License-Identifier: MIT */
/*
 * Standard input and output for ring-3 programs (libsys/rt/stdio.c):
 * descriptors 0, 1 and 2 and printf on top of them. They are the streams
 * (proto/stream.h) given as the start handles "stdin", "stdout" and
 * "stderr"; a program given none writes descriptors 1 and 2 to the
 * kernel's debug console and reads end-of-stream from 0. printf's output
 * is buffered and written at each newline, before a read of descriptor 0,
 * and at exit (returning from main exits).
 */
#pragma once

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/*
 * Up to n bytes from descriptor fd: the count, 0 at end-of-stream, or a
 * negative error; E_INTR once for each interrupt (Ctrl-C) on a terminal.
 */
long read(int fd, void *buf, unsigned long n);
/*
 * n bytes to descriptor fd: n, or a negative error (E_BADHANDLE for an fd
 * that is not open, E_PIPE once nobody reads the stream).
 */
long write(int fd, const void *buf, unsigned long n);
/* printf to descriptor fd (2 for error messages). */
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);
/* Write out printf's buffer now. */
void stdio_flush(void);
/* The stream behind descriptor fd (0-2), or NULL for the fallback (proto/stream.h). */
struct stream;
struct stream *stdio_stream(int fd);
/* libsys internal (start.c): attach the streams given, before main. */
void stdio_init(void);
/* Flush, then end the process with `code`. */
__attribute__((noreturn)) void exit(int code);
