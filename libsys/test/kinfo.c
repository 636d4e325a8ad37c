/* SPDX-License-Identifier: MIT */
/* The leak checks of test/kinfo.h that fail a test (the comparison itself: kinfo_diff.c). */
#include "test/kinfo.h"

#include "sys/sys.h"
#include "sys/units.h"

void test_kinfo_same(struct test_ctx *t, const char *file, int line, const struct kinfo *a,
		     const struct kinfo *b)
{
	char moved[160];

	test_kinfo_diff(a, b, false, moved, sizeof(moved));
	if (moved[0])
		test_fail(t, file, line, "kernel counters moved:%s", moved);
}

bool test_kinfo_back(struct test_ctx *t, const char *file, int line, const struct kinfo *base,
		     unsigned ms)
{
	struct kinfo now;
	char moved[160] = "";

	for (unsigned i = 0; i <= ms; i++) {
		test_kinfo(&now);
		test_kinfo_diff(base, &now, false, moved, sizeof(moved));
		if (!moved[0])
			return true;
		sys_sleep(MS);
	}
	test_fail(t, file, line, "kernel counters did not come back:%s", moved);
	return false;
}
