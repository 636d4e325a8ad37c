/* SPDX-License-Identifier: MIT */
/*
 * wc [-l] [-w] [-c] [file...]: lines, words and bytes of each file (or
 * stdin), with a total for several; the flags pick columns (all three
 * without). One number alone is printed without padding.
 */
#include <string.h>

#include "../text.h"
#include "sys/stdio.h"

struct counts {
	unsigned long lines, words, bytes;
};

static long count(struct text_in *t, struct counts *c)
{
	char buf[1024];
	int in_word = 0;
	long n;

	while ((n = text_read(t, buf, sizeof(buf))) > 0)
		for (long i = 0; i < n; i++) {
			int space =
				buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' || buf[i] == '\r';
			c->bytes++;
			c->lines += buf[i] == '\n';
			c->words += !space && !in_word;
			in_word = !space;
		}
	return n;
}

static void show(const struct counts *c, const char *pick, const char *name)
{
	const unsigned long v[3] = {c->lines, c->words, c->bytes};
	int shown = 0;

	for (int i = 0; i < 3; i++)
		if (pick[i])
			printf(shown++ ? " %lu" : "%lu", v[i]);
	printf(name ? " %s\n" : "\n", name);
}

int main(int argc, char **argv)
{
	char pick[3] = {0};
	struct counts total = {0};
	int i = 0, status = 0, files;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *f = argv[i] + 1; *f; f++)
			if (*f == 'l' || *f == 'w' || *f == 'c')
				pick[*f == 'l' ? 0 : *f == 'w' ? 1 : 2] = 1;
			else
				return dprintf(2, "usage: wc [-lwc] [file...]\n"), 2;
	if (!pick[0] && !pick[1] && !pick[2])
		memset(pick, 1, sizeof(pick));
	files = argc - i;
	for (int k = i; k < argc || (files == 0 && k == i); k++) {
		struct text_in t;
		struct counts c = {0};
		if (text_open(&t, "wc", files ? argv[k] : NULL) != 0) {
			status = 1;
			continue;
		}
		long err = count(&t, &c);
		text_close(&t);
		if (err < 0)
			return text_fail("wc", err);
		show(&c, pick, files > 1 ? argv[k] : NULL);
		total.lines += c.lines, total.words += c.words, total.bytes += c.bytes;
	}
	if (files > 1)
		show(&total, pick, "total");
	return status;
}
