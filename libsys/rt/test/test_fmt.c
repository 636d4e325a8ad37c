/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for libsys's formatter (libsys/rt/fmt.c). The host's
 * vsnprintf is the reference: random conversions from the supported subset
 * (every flag, width and precision as digits or '*', every length
 * modifier, edge values) are formatted by both, into buffers of every size
 * around the output length, and must give the same bytes and the same
 * return value. The host functions are wrapped before libsys_names.h
 * renames the C names to the sys_ versions under test.
 */
#include "check.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int host_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

static bool same_bytes(const char *a, const char *b, size_t n)
{
	return memcmp(a, b, n) == 0;
}

#include "libsys_names.h"

#include "../../common/libc/string.h"
#include "../include/sys/fmt.h"
#include "sys/units.h"

#define OUT_MAX 512

enum arg_kind {
	ARG_NONE,
	ARG_INT,
	ARG_LONG,
	ARG_LLONG,
	ARG_SIZE,
	ARG_INTMAX,
	ARG_PTRDIFF,
	ARG_STR,
	ARG_PTR
};

struct fmt_case {
	char fmt[64];
	int nstars, star[2];
	enum arg_kind kind;
	int64_t value;
	const char *str;
};

struct result {
	char host[OUT_MAX], sys[OUT_MAX];
	int host_n, sys_n;
};

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rng_next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t rng_below(uint64_t n)
{
	return rng_next() % n;
}

/* Format with both implementations into `size`-byte buffers. */
static void both(struct result *r, size_t size, const char *fmt, ...)
{
	va_list ap, aq;

	memset(r->host, 0x55, sizeof(r->host));
	memset(r->sys, 0x55, sizeof(r->sys));
	va_start(ap, fmt);
	va_copy(aq, ap);
	r->host_n = host_vsnprintf(size ? r->host : NULL, size, fmt, ap);
	r->sys_n = sys_vsnprintf(size ? r->sys : NULL, size, fmt, aq);
	va_end(aq);
	va_end(ap);
}

#define WITH_STARS(r, size, c, val)                                                                \
	((c)->nstars == 0   ? both(r, size, (c)->fmt, val)                                         \
	 : (c)->nstars == 1 ? both(r, size, (c)->fmt, (c)->star[0], val)                           \
			    : both(r, size, (c)->fmt, (c)->star[0], (c)->star[1], val))

static void run_case(struct result *r, size_t size, const struct fmt_case *c)
{
	switch (c->kind) {
	case ARG_NONE:
		both(r, size, c->fmt);
		break;
	case ARG_INT:
		WITH_STARS(r, size, c, (int)c->value);
		break;
	case ARG_LONG:
		WITH_STARS(r, size, c, (long)c->value);
		break;
	case ARG_LLONG:
		WITH_STARS(r, size, c, (long long)c->value);
		break;
	case ARG_SIZE:
		WITH_STARS(r, size, c, (size_t)c->value);
		break;
	case ARG_INTMAX:
		WITH_STARS(r, size, c, (intmax_t)c->value);
		break;
	case ARG_PTRDIFF:
		WITH_STARS(r, size, c, (ptrdiff_t)c->value);
		break;
	case ARG_STR:
		WITH_STARS(r, size, c, c->str);
		break;
	case ARG_PTR:
		WITH_STARS(r, size, c, (void *)(uintptr_t)c->value);
		break;
	}
}

/* Same return value, same bytes up to and including the NUL (if any). */
static bool results_match(const struct result *r, size_t size)
{
	size_t stored;

	if (r->host_n != r->sys_n || r->host_n < 0)
		return false;
	stored = size ? ((size_t)r->host_n < size ? (size_t)r->host_n + 1 : size) : 0;
	return same_bytes(r->host, r->sys, stored + (stored < OUT_MAX));
}

static int64_t random_value(void)
{
	static const int64_t edges[] = {0,	 1,	   -1,	      127,	-128,
					255,	 32767,	   -32768,    65535,	INT_MAX,
					INT_MIN, UINT_MAX, LLONG_MAX, LLONG_MIN};
	unsigned bits = (unsigned)rng_below(65);

	if (rng_below(4) == 0)
		return edges[rng_below(ARRAY_SIZE(edges))];
	return (int64_t)(bits == 64 ? rng_next() : rng_next() & ((1ull << bits) - 1));
}

static void append(char *s, const char *add)
{
	size_t n = strlen(s);

	sys_strlcpy(s + n, add, 64 - n);
}

static enum arg_kind pick_length(struct fmt_case *c)
{
	static const char *const mods[] = {"", "hh", "h", "l", "ll", "z", "j", "t"};
	static const enum arg_kind kinds[] = {ARG_INT,	 ARG_INT,  ARG_INT,    ARG_LONG,
					      ARG_LLONG, ARG_SIZE, ARG_INTMAX, ARG_PTRDIFF};
	unsigned i = (unsigned)rng_below(8);

	append(c->fmt, mods[i]);
	return kinds[i];
}

static void pick_width_precision(struct fmt_case *c, bool precision)
{
	char num[16];

	if (rng_below(3) == 0) {
		append(c->fmt, "*");
		c->star[c->nstars++] = (int)rng_below(61) - 30;
	} else if (rng_below(2)) {
		snprintf(num, sizeof(num), "%d", (int)rng_below(31));
		append(c->fmt, num);
	}
	if (!precision || rng_below(2))
		return;
	append(c->fmt, ".");
	if (rng_below(3) == 0) {
		append(c->fmt, "*");
		c->star[c->nstars++] = (int)rng_below(31) - 5;
	} else if (rng_below(4)) {
		snprintf(num, sizeof(num), "%d", (int)rng_below(26));
		append(c->fmt, num);
	}
}

/* A random conversion with its argument, between random literal text. */
static void random_case(struct fmt_case *c)
{
	static const char conv[] = "diuxXpsc%";
	static const char *const words[] = {"abc", "é", "", "[", "x=", "%%"};
	char spec[2] = {conv[rng_below(sizeof(conv) - 1)], 0};
	bool is_int = strchr("diuxX", spec[0]) && spec[0];

	*c = (struct fmt_case){.kind = ARG_INT, .value = random_value()};
	append(c->fmt, words[rng_below(6)]);
	append(c->fmt, "%");
	if (spec[0] != '%') {
		for (const char *f = "-0+ #"; *f; f++) {
			bool ok = *f == '-' || (*f == '0' && is_int) ||
				  ((*f == '+' || *f == ' ') && strchr("di", spec[0])) ||
				  (*f == '#' && strchr("xX", spec[0]));
			if (ok && rng_below(3) == 0)
				append(c->fmt, (char[]){*f, 0});
		}
		pick_width_precision(c, is_int || spec[0] == 's');
	}
	if (is_int)
		c->kind = pick_length(c);
	append(c->fmt, spec);
	append(c->fmt, words[rng_below(6)]);
	if (spec[0] == '%')
		c->kind = ARG_NONE;
	if (spec[0] == 's')
		c->kind = ARG_STR, c->str = "hello, world" + rng_below(13);
	if (spec[0] == 'p')
		c->kind = ARG_PTR, c->value |= 1;
}

/* Every buffer size from 0 to two past the output must agree. */
static void test_random_formats(void)
{
	struct fmt_case c;
	struct result r;
	long bad = 0, cases = 0;

	for (int i = 0; i < 20000; i++) {
		random_case(&c);
		run_case(&r, OUT_MAX, &c);
		if (!results_match(&r, OUT_MAX)) {
			bad++;
			fprintf(stderr, "fmt \"%s\": host \"%s\" (%d), sys \"%s\" (%d)\n", c.fmt,
				r.host, r.host_n, r.sys, r.sys_n);
			continue;
		}
		for (size_t size = 0; size <= (size_t)r.host_n + 2 && size < OUT_MAX; size++) {
			run_case(&r, size, &c);
			bad += !results_match(&r, size);
			cases++;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(cases > 100000);
}

static void expect(const char *want, const char *fmt, ...)
{
	char buf[OUT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = sys_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	CHECK_EQ(n, sys_strlen(want));
	CHECK(sys_strcmp(buf, want) == 0);
	if (sys_strcmp(buf, want) != 0)
		fprintf(stderr, "  \"%s\" gave \"%s\", want \"%s\"\n", fmt, buf, want);
}

/* What the host cannot be the reference for: choices of our own. */
static void test_own_choices(void)
{
	expect("0x0", "%p", NULL);
	expect("  0x0", "%5p", NULL);
	expect("(null)", "%s", (char *)NULL);
	expect("a%qb", "a%qb");
	expect("%5q", "%5q");
	expect("x%", "x%");
	expect("", "");
	expect("-9223372036854775808", "%lld", LLONG_MIN);
	expect("ffffffffffffffff", "%zx", SIZE_MAX);
	expect("1 2 3 abc x 0x10 %", "%d %u %i %s %c %p %%", 1, 2u, 3, "abc", 'x', (void *)16);
	CHECK_EQ(sys_snprintf(NULL, 0, "%d", 12345), 5);
}

struct pieces {
	char text[OUT_MAX];
	size_t len, calls;
};

static void collect(void *ctx, const char *s, size_t n)
{
	struct pieces *p = ctx;

	CHECK(n > 0);
	CHECK(p->len + n < sizeof(p->text));
	sys_memcpy(p->text + p->len, s, n);
	p->len += n;
	p->calls++;
}

static int cb_format(struct pieces *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	*p = (struct pieces){0};
	va_start(ap, fmt);
	n = vcbprintf(collect, p, fmt, ap);
	va_end(ap);
	return n;
}

/* The callback sees the whole output, in few pieces: literal runs whole. */
static void test_callback(void)
{
	static const char want[] = "a long literal run s and more text";
	struct pieces p;

	CHECK_EQ(cb_format(&p, "a long literal run %s and more text", "s"), sizeof(want) - 1);
	CHECK_EQ(p.len, sizeof(want) - 1);
	CHECK(same_bytes(p.text, want, sizeof(want) - 1));
	CHECK_EQ(p.calls, 3);
	CHECK_EQ(cb_format(&p, "%40d|", 7), 41);
	CHECK_EQ(p.calls, 5); /* padding in runs of 16 */
	CHECK_EQ(cb_format(&p, ""), 0);
	CHECK_EQ(p.calls, 0);
}

int main(void)
{
	test_random_formats();
	test_own_choices();
	test_callback();
	return check_summary("fmt");
}
