/* SPDX-License-Identifier: MIT */
/*
 * Number parsing of libsys, under the C names. There is no errno: a value
 * out of range is clamped (LONG_MIN, LONG_MAX, ULONG_MAX), and *end tells
 * how much of the text was used (nptr itself when there was no number).
 * The heap is sys/heap.h; each process owns its instance.
 */
#pragma once

#include <stddef.h>

/*
 * Optional white space, an optional sign, then digits in `base`: 2 to 36,
 * or 0 for the C prefixes (0x hex, 0 octal, else decimal); base 16 also
 * accepts a 0x prefix. Stores the first unused character in *end if end is
 * not NULL. An invalid base gives 0 with *end = nptr.
 */
long strtol(const char *restrict nptr, char **restrict end, int base);

/* As strtol; a leading '-' negates the result in unsigned arithmetic. */
unsigned long strtoul(const char *restrict nptr, char **restrict end, int base);

/* strtol(s, NULL, 10) cut to int. */
int atoi(const char *s);

/* The process's heap (libsys/rt/malloc.c over sys/heap.h); safe to call from any thread. */
void *malloc(size_t n);
void *calloc(size_t n, size_t m);
void *realloc(void *p, size_t n);
void free(void *p);

/*
 * Environment variables (libsys/rt/env.c): the start handle "env" of this
 * process, then what it set. getenv: the value or NULL; setenv: 0 or a
 * negative error (E_INVAL for an empty name or one with '='), a name
 * already set kept unless overwrite; unsetenv: 0.
 */
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);
#include "sys/handle.h"
/* A new memory object holding the environment, to give a child as "env" (sys/start.h). */
long env_object(handle_t *out);
