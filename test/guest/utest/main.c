/* SPDX-License-Identifier: MIT */
/*
 * utest's entry: with no arguments (as init runs it) the test runner, which
 * walks the registration table (the `utests` section every UTEST adds a
 * pointer to), runs each test once in order and prints one line per test
 * and the summary; with a role as argv[0] one of the child roles (roles.c).
 * The run succeeds only if every registered test ran and passed.
 */
#include "sys/stdio.h"
#include "utest.h"

extern const struct utest *const __start_utests[], *const __stop_utests[];

static bool run_one(const struct utest *u)
{
	struct ut_ctx ctx = {0};

	u->fn(&ctx);
	if (ctx.failed)
		printf("UTEST %s FAIL: %s\n", u->name, ctx.what);
	else
		printf("UTEST %s PASS\n", u->name);
	return !ctx.failed;
}

static int run_all(void)
{
	unsigned passed = 0, failed = 0, registered = 0;
	uint64_t start = sys_clock();

	for (const struct utest *const *p = __start_utests; p < __stop_utests; p++) {
		registered++;
		if (run_one(*p))
			passed++;
		else
			failed++;
	}
	ut_note("run took", ut_elapsed(start) / MS, "ms");
	printf("UTEST SUMMARY %u passed, %u failed, %u registered\n", passed, failed, registered);
	return failed == 0 && registered > 0 && passed == registered ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc > 0)
		return ut_role_main(argc, argv);
	return run_all();
}
