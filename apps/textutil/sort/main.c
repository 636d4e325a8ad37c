/* SPDX-License-Identifier: MIT */
/*
 * sort [-r] [-n] [file]: the lines of the file or stdin in byte order
 * (-n: by their leading number; -r: the other way round). A merge sort of
 * the lines held in memory.
 */
#include <stdlib.h>
#include <string.h>

#include "../text.h"
#include "sys/stdio.h"

#define SORT_LINES_MAX 200000

static int numeric, reverse;

static int compare(const char *a, const char *b)
{
	int c;

	if (numeric) {
		long x = strtol(a, NULL, 10), y = strtol(b, NULL, 10);
		c = x < y ? -1 : x > y;
		if (c == 0)
			c = strcmp(a, b);
	} else {
		c = strcmp(a, b);
	}
	return reverse ? -c : c;
}

static void merge_sort(char **v, char **tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2, i = 0, j = h, k = 0;
	merge_sort(v, tmp, h);
	merge_sort(v + h, tmp, n - h);
	while (i < h || j < n)
		tmp[k++] = j == n || (i < h && compare(v[i], v[j]) <= 0) ? v[i++] : v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Every line, each with its '\n' (one is added to a last line without). */
static long read_lines(struct text_in *t, char ***out, size_t *count)
{
	static char line[TEXT_LINE_MAX + 1];
	size_t cap = 256, n = 0;
	char **v = malloc(cap * sizeof(*v));
	long len;

	while (v && (len = text_line(t, line, TEXT_LINE_MAX)) > 0) {
		if (n == cap && (cap *= 2, (v = realloc(v, cap * sizeof(*v))) == NULL))
			break;
		if (n == SORT_LINES_MAX || (v[n] = malloc((size_t)len + 2)) == NULL)
			return dprintf(2, "sort: too many lines\n"), -1;
		memcpy(v[n], line, (size_t)len + 1);
		if (v[n][len - 1] != '\n')
			strlcat(v[n], "\n", (size_t)len + 2);
		n++;
	}
	if (!v)
		return dprintf(2, "sort: out of memory\n"), -1;
	*out = v, *count = n;
	return len;
}

int main(int argc, char **argv)
{
	struct text_in t;
	char **v;
	size_t n;
	int i = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *f = argv[i] + 1; *f; f++)
			if (*f == 'n' || *f == 'r')
				*(*f == 'n' ? &numeric : &reverse) = 1;
			else
				return dprintf(2, "usage: sort [-nr] [file]\n"), 2;
	if (argc - i > 1)
		return dprintf(2, "usage: sort [-nr] [file]\n"), 2;
	if (text_open(&t, "sort", i < argc ? argv[i] : NULL) != 0)
		return 1;
	long err = read_lines(&t, &v, &n);
	text_close(&t);
	if (err < 0)
		return err == -1 ? 1 : text_fail("sort", err);
	char **tmp = malloc((n ? n : 1) * sizeof(*tmp));
	if (!tmp)
		return dprintf(2, "sort: out of memory\n"), 1;
	merge_sort(v, tmp, n);
	for (size_t k = 0; k < n; k++)
		printf("%s", v[k]);
	return 0;
}
