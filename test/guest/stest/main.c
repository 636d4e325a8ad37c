/* SPDX-License-Identifier: MIT */
/*
 * stest's runner: walks the `stests` section every STEST adds a pointer to
 * and runs, in order, the tests of the groups named on the command line
 * (all of them without arguments). The run succeeds only if at least one
 * test ran and every test run passed.
 */
#include <string.h>

#include "stest.h"
#include "sys/stdio.h"

extern const struct stest *const __start_stests[], *const __stop_stests[];

static bool selected(const struct stest *s, int argc, char **argv)
{
	if (argc == 0)
		return true;
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], s->group) == 0 || strcmp(argv[i], s->name) == 0)
			return true;
	return false;
}

static bool run_one(const struct stest *s)
{
	struct st_ctx ctx = {0};
	uint64_t start = sys_clock();

	s->fn(&ctx);
	if (ctx.failed)
		printf("STEST %s FAIL: %s\n", s->name, ctx.what);
	else
		printf("STEST %s PASS (%lu ms)\n", s->name,
		       (unsigned long)((sys_clock() - start) / MS));
	return !ctx.failed;
}

int main(int argc, char **argv)
{
	unsigned passed = 0, failed = 0;

	for (const struct stest *const *p = __start_stests; p < __stop_stests; p++) {
		if (!selected(*p, argc, argv))
			continue;
		if (run_one(*p))
			passed++;
		else
			failed++;
	}
	printf("STEST SUMMARY %u passed, %u failed, %u run\n", passed, failed, passed + failed);
	return failed == 0 && passed > 0 ? 0 : 1;
}
