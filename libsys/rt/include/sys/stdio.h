/* SPDX-License-Identifier: MIT */
/* Console output for ring-3 programs (libsys/rt/stdio.c). */
#pragma once

#include <stdarg.h>

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int puts(const char *s);
