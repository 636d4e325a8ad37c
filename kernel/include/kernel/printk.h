/* SPDX-License-Identifier: MIT */
/*
 * Kernel formatted output. kprintf writes to the console (COM1); klog adds a
 * "[seconds.micros] " timestamp from the monotonic clock. The format engine
 * understands %d %i %u %x %X %p %s %c %% with optional '0' flag, width and
 * the l, ll, z length modifiers; there is no floating point in the kernel.
 */
#pragma once

#include <stdarg.h>

#include "kernel/types.h"

typedef void (*fmt_sink_fn)(void *ctx, char c);

void fmt_format(fmt_sink_fn sink, void *ctx, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Console output backend (arch serial); console_init may be called again safely. */
void console_init(void);
void console_putc(char c);
/* Write raw bytes (newlines become CR LF) under the console lock. */
void console_write(const char *s, size_t n);
