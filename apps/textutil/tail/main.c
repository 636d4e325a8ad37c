/* SPDX-License-Identifier: MIT */
/* tail [-n N] [file]: the last N lines (10) of the file or stdin, kept in a ring as they pass. */
#include <stdlib.h>
#include <string.h>

#include "../text.h"
#include "sys/stdio.h"

#define TAIL_MAX 100000

int main(int argc, char **argv)
{
	static char line[TEXT_LINE_MAX];
	struct text_in t;
	long keep = 10, n, seen = 0;
	int i = 0;

	if (argc >= 2 && strcmp(argv[0], "-n") == 0)
		keep = atoi(argv[1]), i = 2;
	if (keep < 0 || keep > TAIL_MAX || argc - i > 1)
		return dprintf(2, "usage: tail [-n N (at most %d)] [file]\n", TAIL_MAX), 2;
	char **ring = calloc((size_t)keep + 1, sizeof(char *));
	if (!ring || text_open(&t, "tail", i < argc ? argv[i] : NULL) != 0)
		return 1;
	while (keep > 0 && (n = text_line(&t, line, sizeof(line))) > 0) {
		char **slot = &ring[seen++ % keep];
		free(*slot);
		if ((*slot = malloc((size_t)n + 1)) == NULL)
			return dprintf(2, "tail: out of memory\n"), 1;
		memcpy(*slot, line, (size_t)n + 1);
	}
	text_close(&t);
	if (keep > 0 && n < 0)
		return text_fail("tail", n);
	for (long k = seen > keep ? seen - keep : 0; k < seen; k++)
		printf("%s", ring[k % keep]);
	return 0;
}
