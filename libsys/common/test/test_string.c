/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for libsys's string.c and stdlib.c, with the host libc as
 * the reference: the mem* functions over every source and destination
 * alignment and many lengths (guard bytes around each buffer must survive),
 * overlapping moves both ways, sign of comparisons on bytes above 0x7f, the
 * str* functions, strlcpy/strlcat at every buffer size, and strtol/strtoul
 * on edge strings and random input in every base. The host functions are
 * wrapped before libsys_names.h renames the C names to the sys_ versions.
 */
#include "check.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int host_memcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}

static void host_memmove(void *d, const void *s, size_t n)
{
	memmove(d, s, n);
}

static int host_strcmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

static int host_strncmp(const char *a, const char *b, size_t n)
{
	return strncmp(a, b, n);
}

static long host_strtol(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

static unsigned long host_strtoul(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

#include "libsys_names.h"

#include "../../rt/libc/stdlib.h"
#include "../libc/string.h"
#include "sys/units.h"

#define BUF   600
#define GUARD 32

static uint64_t rng = 0x13198a2e03707344ull;

static uint64_t rng_next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static void random_bytes(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(rng_next() >> 56);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static const size_t lengths[] = {0,  1,	 2,  3,	 7,  8,	 9,   15,  16, 17,
				 31, 32, 33, 63, 64, 65, 100, 255, 511};

/* memset and memcpy at every alignment: the result and the guards. */
static void test_set_copy(void)
{
	unsigned char src[BUF], dst[BUF], want[BUF];
	long bad = 0;

	for (size_t li = 0; li < ARRAY_SIZE(lengths); li++) {
		for (size_t da = 0; da < 16; da++) {
			size_t n = lengths[li], sa = (da * 5 + li) % 16;

			random_bytes(src, BUF);
			random_bytes(dst, BUF);
			__builtin_memcpy(want, dst, BUF);
			__builtin_memset(want + GUARD + da, 0xc3 ^ (int)n, n);
			bad += sys_memset(dst + GUARD + da, 0xc3 ^ (int)n, n) != dst + GUARD + da;
			bad += host_memcmp(dst, want, BUF) != 0;
			__builtin_memcpy(want + GUARD + da, src + GUARD + sa, n);
			bad += sys_memcpy(dst + GUARD + da, src + GUARD + sa, n) !=
			       dst + GUARD + da;
			bad += host_memcmp(dst, want, BUF) != 0;
		}
	}
	CHECK_EQ(bad, 0);
}

/* Overlapping moves in both directions by every distance up to 40. */
static void test_move(void)
{
	unsigned char buf[BUF], want[BUF];
	long bad = 0;

	for (size_t li = 0; li < ARRAY_SIZE(lengths); li++) {
		for (size_t from = GUARD; from < GUARD + 40; from += 3) {
			for (size_t to = GUARD; to < GUARD + 40; to++) {
				size_t n = lengths[li] > BUF - 2 * GUARD - 40 ? 400 : lengths[li];

				random_bytes(buf, BUF);
				__builtin_memcpy(want, buf, BUF);
				host_memmove(want + to, want + from, n);
				bad += sys_memmove(buf + to, buf + from, n) != buf + to;
				bad += host_memcmp(buf, want, BUF) != 0;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

static void test_compare(void)
{
	unsigned char a[BUF], b[BUF];
	long bad = 0;

	for (int i = 0; i < 20000; i++) {
		size_t n = rng_next() % 300, diff = n ? rng_next() % n : 0;

		random_bytes(a, BUF);
		__builtin_memcpy(b, a, BUF);
		if (i % 4)
			b[diff] = (unsigned char)(rng_next() >> 56);
		bad += sign(sys_memcmp(a + i % 8, b + i % 8, n)) !=
		       sign(host_memcmp(a + i % 8, b + i % 8, n));
	}
	CHECK_EQ(bad, 0);
	CHECK(sys_memcmp("\x80", "\x7f", 1) > 0);
	CHECK(sys_strcmp("\x80", "\x7f") > 0);
	CHECK(sys_strncmp("ab\x90", "ab\x10", 3) > 0);
	CHECK_EQ(sys_memcmp("abc", "abd", 2), 0);
	CHECK_EQ(sign(sys_strcmp("", "")), 0);
	CHECK_EQ(sign(sys_strcmp("a", "ab")), sign(host_strcmp("a", "ab")));
	CHECK_EQ(sign(sys_strcmp("ab", "a")), 1);
	CHECK_EQ(sys_strncmp("abcx", "abcy", 3), 0);
	CHECK_EQ(sys_strncmp("abc", "abd", 0), 0);
	CHECK_EQ(sign(sys_strncmp("ab", "abc", 5)), sign(host_strncmp("ab", "abc", 5)));
}

static void test_search(void)
{
	static const char s[] = "hello, w\xe9orld";

	CHECK_EQ(sys_strlen(""), 0);
	CHECK_EQ(sys_strlen(s), sizeof(s) - 1);
	CHECK_EQ(sys_strnlen(s, 3), 3);
	CHECK_EQ(sys_strnlen(s, 100), sizeof(s) - 1);
	CHECK_EQ(sys_strnlen("", 0), 0);
	CHECK(sys_strchr(s, 'o') == s + 4);
	CHECK(sys_strchr(s, '\xe9') == s + 8);
	CHECK(sys_strchr(s, 'z') == NULL);
	CHECK(sys_strchr(s, '\0') == s + sizeof(s) - 1);
	CHECK(sys_strrchr(s, 'o') == s + 9);
	CHECK(sys_strrchr(s, 'z') == NULL);
	CHECK(sys_strrchr(s, '\0') == s + sizeof(s) - 1);
	CHECK(sys_strrchr("", 'a') == NULL);
	CHECK(sys_memchr(s, 'l', sizeof(s)) == s + 2);
	CHECK(sys_memchr(s, 'l', 2) == NULL);
	CHECK(sys_memchr(s, 0x1e9, sizeof(s)) == s + 8);
	CHECK(sys_memchr(s, 'h', 0) == NULL);
}

/* strlcpy and strlcat at every size: terminated, truncated, lengths. */
static void test_bounded_copies(void)
{
	static const char src[] = "0123456789";
	char buf[24];
	long bad = 0;

	for (size_t size = 0; size < sizeof(buf) - 4; size++) {
		size_t keep = size ? (size - 1 < 10 ? size - 1 : 10) : 0;

		__builtin_memset(buf, 'x', sizeof(buf));
		bad += sys_strlcpy(buf, src, size) != 10;
		bad += size && (__builtin_memcmp(buf, src, keep) != 0 || buf[keep] != '\0');
		bad += buf[size] != 'x' || (!size && buf[0] != 'x');
		__builtin_memcpy(buf, "abc", 4);
		bad += size > 3 && sys_strlcat(buf, src, size) != 13;
		bad += size > 3 && (sys_strlen(buf) != (size - 1 < 13 ? size - 1 : 13));
		bad += buf[size] != 'x' && size > 3;
	}
	CHECK_EQ(bad, 0);
	__builtin_memset(buf, 'y', sizeof(buf));
	CHECK_EQ(sys_strlcat(buf, "abc", 5), 8); /* no NUL within size: untouched */
	CHECK_EQ(buf[4], 'y');
	CHECK_EQ(sys_strlcat(buf, "abc", 0), 3);
}

static bool parse_matches(const char *s, int base)
{
	char *end_h, *end_s;
	long lh = host_strtol(s, &end_h, base), ls = sys_strtol(s, &end_s, base);
	unsigned long uh, us;

	if (lh != ls || end_h != end_s)
		return false;
	uh = host_strtoul(s, &end_h, base);
	us = sys_strtoul(s, &end_s, base);
	return uh == us && end_h == end_s;
}

static void test_strtol_edges(void)
{
	static const char *const inputs[] = {"",
					     " ",
					     "+",
					     "-",
					     "0",
					     "-0",
					     "+0",
					     "0x",
					     "0X1f",
					     "0xg",
					     "  -0x10",
					     "077",
					     "08",
					     "0b101",
					     "zz",
					     "1a",
					     "\t\n\v\f\r 42",
					     "+-1",
					     "--1",
					     "12 34",
					     "9223372036854775807",
					     "9223372036854775808",
					     "-9223372036854775808",
					     "-9223372036854775809",
					     "18446744073709551615",
					     "18446744073709551616",
					     "-1",
					     "-18446744073709551615",
					     "-18446744073709551616",
					     "999999999999999999999999",
					     "0x7fffffffffffffff",
					     "0x8000000000000000",
					     "-0x8000000000000000",
					     "0xffffffffffffffff",
					     "0x10000000000000000",
					     "01777777777777777777777",
					     "02000000000000000000000",
					     "Zz",
					     "0x-1",
					     "0 x1"};
	static const int bases[] = {0, 2, 8, 10, 16, 36};
	long bad = 0;
	char *end;

	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		for (size_t b = 0; b < ARRAY_SIZE(bases); b++) {
			bool ok = parse_matches(inputs[i], bases[b]);

			bad += !ok;
			if (!ok)
				fprintf(stderr, "strtol(\"%s\", %d) differs\n", inputs[i],
					bases[b]);
		}
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(sys_strtol("123", &end, 1), 0);
	CHECK_EQ(sys_strtol("123", &end, 37), 0);
	CHECK_EQ(sys_strtoul("123", &end, -1), 0);
	CHECK(end != NULL && *end == '1');
	CHECK_EQ(sys_strtol("77", NULL, 8), 63);
	CHECK_EQ(sys_atoi("  -2147483648x"), INT32_MIN);
	CHECK_EQ(sys_atoi("x"), 0);
	CHECK_EQ(sys_atoi("+17"), 17);
}

/* Random strings from digits, letters, signs, prefixes and spaces. */
static void test_strtol_random(void)
{
	static const char alphabet[] = "0123456789abcdefxzXZ+- \t0000111";
	static const int bases[] = {0, 2, 8, 10, 16, 36};
	char s[40];
	long bad = 0;

	for (int i = 0; i < 30000; i++) {
		size_t n = rng_next() % (sizeof(s) - 1);

		for (size_t k = 0; k < n; k++)
			s[k] = alphabet[rng_next() % (sizeof(alphabet) - 1)];
		s[n] = '\0';
		bad += !parse_matches(s, bases[rng_next() % 6]);
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	test_set_copy();
	test_move();
	test_compare();
	test_search();
	test_bounded_copies();
	test_strtol_edges();
	test_strtol_random();
	return check_summary("string");
}
