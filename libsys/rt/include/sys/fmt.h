/* SPDX-License-Identifier: MIT */
/*
 * Formatted output of libsys: one format engine (vcbprintf) that hands its
 * output in pieces to a callback, and the C99 buffer functions on top.
 * printf-style output to a console is built on vcbprintf the same way.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%. Flags: '-' '0' '+' ' ' '#'.
 * Width and precision as digits or '*'; precision bounds %s and gives the
 * minimum digits of integers. Length modifiers: hh h l ll z j t. %p prints
 * 0x and lowercase hex (0x0 for NULL); %s of NULL prints "(null)". An
 * unknown conversion is copied to the output as written.
 *
 * Each function returns the length the whole output has (not counting the
 * NUL), even when a buffer cut it short, or -1 if that exceeds INT_MAX.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Receives `n` bytes of output at `s` (not NUL-terminated). */
typedef void fmt_put_fn(void *ctx, const char *s, size_t n);

int vcbprintf(fmt_put_fn *put, void *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Writes at most size - 1 bytes and a NUL (nothing when size is 0). */
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(printf, 3, 4)));
