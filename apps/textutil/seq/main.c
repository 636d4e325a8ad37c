/* SPDX-License-Identifier: MIT */
/*
 * seq [first [step]] last: the integers from first (1) by step (1) up to
 * last, one a line, written a buffer at a time.
 */
#include <stdlib.h>

#include "sys/fmt.h"

#include "sys/errors.h"
#include "sys/stdio.h"

static int number(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return end != s && *end == '\0';
}

int main(int argc, char **argv)
{
	long v[3] = {1, 1, 0};
	int ok = argc >= 1 && argc <= 3;

	for (int i = 0; ok && i < argc; i++)
		ok = number(argv[i], &v[argc == 1 ? 2 : argc == 2 ? i * 2 : i]);
	if (!ok || v[1] == 0) {
		dprintf(2, "usage: seq [first [step]] last (integers; step not 0)\n");
		return 2;
	}
	static char buf[4096];
	size_t used = 0;
	for (long x = v[0]; v[1] > 0 ? x <= v[2] : x >= v[2]; x += v[1]) {
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%ld\n", x);
		if (used > sizeof(buf) - 24 && write(STDOUT_FILENO, buf, used) < 0)
			return 0; /* E_PIPE: nobody wants the rest */
		if (used > sizeof(buf) - 24)
			used = 0;
	}
	if (used)
		write(STDOUT_FILENO, buf, used);
	return 0;
}
