/* SPDX-License-Identifier: MIT */
/*
 * strtol, strtoul and atoi (see stdlib.h). Both conversions share one
 * parser that reads the sign and the magnitude as an unsigned long,
 * noting overflow; each then clamps to its own range.
 */
#include <stdlib.h>

#include <limits.h>
#include <stdbool.h>

struct num_parse {
	unsigned long magnitude;
	bool negative, overflow;
	const char *end; /* first character not used; the input when no digits */
};

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Value of `c` as a digit in bases up to 36, or 36 if it is none. */
static unsigned digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A' + 10);
	return 36;
}

/* Base after looking at a possible 0x or 0 prefix; moves *s past 0x. */
static unsigned parse_base(const char **s, int base)
{
	const char *p = *s;

	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) < 16) {
		*s = p + 2;
		return 16;
	}
	if (base == 0)
		return p[0] == '0' ? 8 : 10;
	return (unsigned)base;
}

static void parse_number(const char *nptr, int base, struct num_parse *out)
{
	const char *s = nptr, *digits;
	unsigned b;

	*out = (struct num_parse){.end = nptr};
	if (base < 0 || base == 1 || base > 36)
		return;
	while (is_space(*s))
		s++;
	if (*s == '+' || *s == '-')
		out->negative = *s++ == '-';
	b = parse_base(&s, base);
	for (digits = s; digit_value(*s) < b; s++) {
		unsigned d = digit_value(*s);

		if (out->magnitude > (ULONG_MAX - d) / b)
			out->overflow = true;
		else
			out->magnitude = out->magnitude * b + d;
	}
	if (s != digits)
		out->end = s;
}

long strtol(const char *restrict nptr, char **restrict end, int base)
{
	struct num_parse n;
	long v;

	parse_number(nptr, base, &n);
	if (end)
		*end = (char *)n.end;
	if (n.negative)
		v = n.overflow || n.magnitude > (unsigned long)LONG_MAX + 1
			    ? LONG_MIN
			    : (long)(0 - n.magnitude);
	else
		v = n.overflow || n.magnitude > LONG_MAX ? LONG_MAX : (long)n.magnitude;
	return v;
}

unsigned long strtoul(const char *restrict nptr, char **restrict end, int base)
{
	struct num_parse n;

	parse_number(nptr, base, &n);
	if (end)
		*end = (char *)n.end;
	if (n.overflow)
		return ULONG_MAX;
	return n.negative ? 0 - n.magnitude : n.magnitude;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
