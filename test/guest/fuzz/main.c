/* SPDX-License-Identifier: MIT */
/*
 * fuzz's entry. `fuzz [N] [SEED] [FIRST]` (run=fuzz:N:SEED) is the parent:
 * first the focused regression cases (regress.c), then N random calls from
 * SEED in children it starts and watches (driver.c), numbered from FIRST
 * (default 0; give a child's number to replay it first). `fuzz child SEED INDEX` is
 * one of those children (child.c), `fuzz cycles` a helper of regress.c.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define DEFAULT_CALLS 100000
#define DEFAULT_SEED  1

int main(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "child") == 0)
		return fz_child_main(argc, argv);
	if (argc > 0 && strcmp(argv[0], "cycles") == 0)
		return fz_regress_cycles_child();
	uint64_t calls = argc > 0 ? strtoul(argv[0], NULL, 0) : DEFAULT_CALLS;
	uint64_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_SEED;
	uint64_t first = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	int failed = fz_regress_all();
	int code = fz_driver_main(calls, seed, first);
	return failed || code ? 1 : 0;
}
