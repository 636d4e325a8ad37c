/* SPDX-License-Identifier: MIT */
/* echo [-n] [words...]: the words with single spaces between them, then a newline (not with -n). */
#include <string.h>

#include "sys/stdio.h"

int main(int argc, char **argv)
{
	int i = 0, newline = 1;

	if (argc > 0 && strcmp(argv[0], "-n") == 0)
		newline = 0, i = 1;
	for (int first = i; i < argc; i++)
		printf("%s%s", i > first ? " " : "", argv[i]);
	if (newline)
		printf("\n");
	return 0;
}
