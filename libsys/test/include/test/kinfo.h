/* SPDX-License-Identifier: MIT */
/*
 * Leak checks for in-guest tests: the kernel's object and frame counters
 * (SYS_KINFO) before and after a loop that creates and destroys must be
 * the same. A failure names every counter that moved, as "name a->b".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "sys/syscall.h"
#include "test/test.h"

/* The counters now (zeroed first, so a failed call leaves no garbage). */
long test_kinfo(struct kinfo *k);

/*
 * How many counters differ between a and b, named in out as " name a->b";
 * with objects_only just the kernel object counts (processes, threads,
 * endpoints, notifications, memory objects, replies), not frames and pages.
 */
unsigned test_kinfo_diff(const struct kinfo *a, const struct kinfo *b, bool objects_only, char *out,
			 size_t size);

/* Fail the test, naming the counters that moved, unless a and b match. */
void test_kinfo_same(struct test_ctx *t, const char *file, int line, const struct kinfo *a,
		     const struct kinfo *b);
#define T_KINFO_SAME(a, b)                                                                         \
	do {                                                                                       \
		test_kinfo_same(t, __FILE_NAME__, __LINE__, (a), (b));                             \
		T_RETURN_IF_FAILED();                                                              \
	} while (0)

/*
 * Poll every millisecond, up to `ms`, until the counters are back at
 * `base` (what other processes still tear down settles meanwhile); false,
 * with the test failed and the counters that moved named, if they are not.
 */
bool test_kinfo_back(struct test_ctx *t, const char *file, int line, const struct kinfo *base,
		     unsigned ms);
#define T_KINFO_BACK(base, ms) test_kinfo_back(t, __FILE_NAME__, __LINE__, (base), (ms))
