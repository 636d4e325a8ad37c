/* SPDX-License-Identifier: MIT */
/* head [-n N] [file]: the first N lines (10) of the file or stdin. */
#include <stdlib.h>
#include <string.h>

#include "../text.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	static char line[TEXT_LINE_MAX];
	struct text_in t;
	long lines = 10, n = 0;
	int i = 0;

	if (argc >= 2 && strcmp(argv[0], "-n") == 0)
		lines = atoi(argv[1]), i = 2;
	if (lines < 0 || argc - i > 1)
		return dprintf(2, "usage: head [-n N] [file]\n"), 2;
	if (text_open(&t, "head", i < argc ? argv[i] : NULL) != 0)
		return 1;
	while (lines > 0 && (n = text_line(&t, line, sizeof(line))) > 0) {
		printf("%s", line);
		lines -= line[n - 1] == '\n';
	}
	text_close(&t);
	return n < 0 ? text_fail("head", n) : 0;
}
