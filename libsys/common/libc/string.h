/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions of libsys, under their C names so programs
 * read naturally. The compiler may also call memset, memcpy, memmove and
 * memcmp on its own. Unbounded copies (strcpy, strcat) are left out on
 * purpose: use strlcpy and strlcat, which always terminate and report the
 * length they needed.
 */
#pragma once

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copy `src` into `dst` of `size` bytes, always NUL-terminated when size > 0.
 * Returns strlen(src): a result >= size means the copy was truncated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

/*
 * Append `src` to the string in `dst` of `size` bytes, always terminated
 * when dst held a NUL. Returns the length it tried to make: strnlen(dst,
 * size) + strlen(src); a result >= size means truncation.
 */
size_t strlcat(char *restrict dst, const char *restrict src, size_t size);
