/* SPDX-License-Identifier: MIT */
/*
 * Standard input and output for ring-3 programs (libsys/rt/stdio.c):
 * descriptors 0, 1 and 2 and printf on top of them. A program that was
 * given no streams by whoever started it writes descriptors 1 and 2 to the
 * kernel's debug console and reads end-of-stream from 0.
 */
#pragma once

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Up to n bytes from descriptor fd: the count, 0 at end-of-stream, or a negative error. */
long read(int fd, void *buf, unsigned long n);
/* n bytes to descriptor fd: n, or a negative error (E_BADHANDLE for an fd that is not open). */
long write(int fd, const void *buf, unsigned long n);
/* printf to descriptor fd (2 for error messages). */
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap);
