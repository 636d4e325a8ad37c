/* SPDX-License-Identifier: MIT */
/*
 * grep [-F] [-v] [-c] [-n] [-i] pattern [file...]: the lines that match.
 * The pattern is a small regular expression: ^ and $ anchor at the start
 * and end of the line, . is any character, [abc], [a-z] and [^...] are
 * classes, x* repeats the atom before it any number of times, and a
 * backslash makes the next character literal; with -F the pattern is a
 * fixed string. -v: the lines that do not match; -c: only their count;
 * -n: each with its line number; -i: case does not matter. Exit 0 if a
 * line was selected, 1 if none, 2 for an error.
 */
#include <string.h>

#include "../text.h"
#include "sys/stdio.h"

struct opts {
	int fixed, invert, count, number, nocase;
	const char *pattern;
};

static char fold(const struct opts *o, char c)
{
	return o->nocase && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Bytes of the atom at re (a character, '.', an escape or a class); 0 for a malformed one. */
static size_t atom_len(const char *re)
{
	if (re[0] == '\\')
		return re[1] ? 2 : 0;
	if (re[0] != '[')
		return 1;
	size_t i = 1 + (re[1] == '^');
	i += re[i] == ']'; /* a ']' first is itself */
	while (re[i] && re[i] != ']')
		i++;
	return re[i] == ']' ? i + 1 : 0;
}

static int in_class(const struct opts *o, const char *re, size_t len, char c)
{
	int negate = re[1] == '^';
	size_t i = 1 + (size_t)negate;
	int hit = 0;

	for (; i < len - 1; i++) {
		char lo = fold(o, re[i]), hi = lo;
		if (re[i + 1] == '-' && i + 2 < len - 1)
			hi = fold(o, re[i + 2]), i += 2;
		hit |= c >= lo && c <= hi;
	}
	return hit != negate;
}

static int atom_matches(const struct opts *o, const char *re, size_t len, char c)
{
	c = fold(o, c);
	if (re[0] == '.')
		return 1;
	if (re[0] == '[')
		return in_class(o, re, len, c);
	return fold(o, re[len - 1]) == c;
}

static int match_here(const struct opts *o, const char *re, const char *text)
{
	for (;;) {
		if (re[0] == '\0')
			return 1;
		if (re[0] == '$' && re[1] == '\0')
			return *text == '\0';
		size_t len = atom_len(re);
		if (re[len] == '*') {
			do {
				if (match_here(o, re + len + 1, text))
					return 1;
			} while (*text && atom_matches(o, re, len, *text++));
			return 0;
		}
		if (!*text || !atom_matches(o, re, len, *text))
			return 0;
		re += len, text++;
	}
}

static int fixed_at(const struct opts *o, const char *p, const char *s)
{
	for (; *s; s++, p++)
		if (fold(o, *p) != fold(o, *s))
			return 0;
	return 1;
}

static int matches(const struct opts *o, const char *line)
{
	const char *re = o->pattern;

	if (o->fixed || re[0] != '^') {
		for (const char *p = line;; p++) {
			if (o->fixed ? fixed_at(o, p, re) : match_here(o, re, p))
				return 1;
			if (!*p)
				return 0;
		}
	}
	return match_here(o, re + 1, line);
}

/* Every atom well formed (a class closed, no lone backslash at the end). */
static int valid(const char *re)
{
	for (re += *re == '^'; *re; re += *re == '*') {
		size_t len = atom_len(re);
		if (len == 0)
			return 0;
		re += len;
	}
	return 1;
}

static long grep_file(const struct opts *o, struct text_in *t, const char *name, long *selected)
{
	static char line[TEXT_LINE_MAX];
	long n, count = 0, number = 0;

	while ((n = text_line(t, line, sizeof(line))) > 0) {
		number++;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (matches(o, line) == o->invert)
			continue;
		count++;
		if (o->count)
			continue;
		if (name)
			printf("%s:", name);
		if (o->number)
			printf("%ld:", number);
		printf("%s\n", line);
	}
	if (o->count)
		printf("%s%s%ld\n", name ? name : "", name ? ":" : "", count);
	*selected += count;
	return n;
}

static int parse_flags(struct opts *o, int argc, char **argv)
{
	int i = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *f = argv[i] + 1; *f; f++) {
			int *flag = *f == 'F'	? &o->fixed
				    : *f == 'v' ? &o->invert
				    : *f == 'c' ? &o->count
				    : *f == 'n' ? &o->number
				    : *f == 'i' ? &o->nocase
						: NULL;
			if (!flag)
				return -1;
			*flag = 1;
		}
	return i;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	long selected = 0;
	int i = parse_flags(&o, argc, argv), status = 0;

	if (i < 0 || i >= argc) {
		dprintf(2, "usage: grep [-Fvcni] pattern [file...]\n");
		return 2;
	}
	o.pattern = argv[i++];
	if (!o.fixed && !valid(o.pattern)) {
		dprintf(2, "grep: bad pattern '%s' (an unclosed [ or a \\ at the end)\n",
			o.pattern);
		return 2;
	}
	int files = argc - i;
	for (int k = i; k < argc || (files == 0 && k == i); k++) {
		struct text_in t;
		if (text_open(&t, "grep", files ? argv[k] : NULL) != 0) {
			status = 2;
			continue;
		}
		long err = grep_file(&o, &t, files > 1 ? argv[k] : NULL, &selected);
		text_close(&t);
		if (err < 0)
			return text_fail("grep", err) == 130 ? 130 : 2;
	}
	return status ? status : selected ? 0 : 1;
}
