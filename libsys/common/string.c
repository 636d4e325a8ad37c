/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions (see string.h). The mem* functions move
 * eight bytes at a time once the destination is aligned (x86-64 loads
 * unaligned words at full speed); the str* functions go byte by byte, so
 * they never read past the terminating NUL.
 *
 * gcc turns loops that look like memset or strlen into calls to those very
 * functions; here that would be infinite recursion, so the pattern is
 * switched off for this file whatever flags the build passes.
 */
#include <string.h>

#include <stdint.h>

#pragma GCC optimize("no-tree-loop-distribute-patterns")

typedef uint64_t __attribute__((may_alias, aligned(1))) word_t;

#define WORD		sizeof(uint64_t)
#define BYTES_OF(c)	((uint64_t)(unsigned char)(c)*0x0101010101010101ull)
#define WORD_ALIGNED(p) ((uintptr_t)(p) % WORD == 0)

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = BYTES_OF(c);

	for (; n && !WORD_ALIGNED(d); n--)
		*d++ = (unsigned char)c;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/* Forward copy; safe for overlap when dst is below src. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	for (; n && !WORD_ALIGNED(d); n--)
		*d++ = *s++;
	for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
		uint64_t a = ((const word_t *)s)[0], b = ((const word_t *)s)[1];
		uint64_t e = ((const word_t *)s)[2], f = ((const word_t *)s)[3];

		((word_t *)d)[0] = a;
		((word_t *)d)[1] = b;
		((word_t *)d)[2] = e;
		((word_t *)d)[3] = f;
	}
	for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
		*(word_t *)d = *(const word_t *)s;
	while (n--)
		*d++ = *s++;
}

/* Backward copy from the ends; safe for overlap when dst is above src. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	for (; n && !WORD_ALIGNED(d); n--)
		*--d = *--s;
	for (; n >= WORD; n -= WORD) {
		d -= WORD;
		s -= WORD;
		*(word_t *)d = *(const word_t *)s;
	}
	while (n--)
		*--d = *--s;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n >= WORD && *(const word_t *)x == *(const word_t *)y; n -= WORD) {
		x += WORD;
		y += WORD;
	}
	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t strlcat(char *restrict dst, const char *restrict src, size_t size)
{
	size_t used = strnlen(dst, size);

	if (used == size)
		return size + strlen(src);
	return used + strlcpy(dst + used, src, size - used);
}
