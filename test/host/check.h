/* SPDX-License-Identifier: MIT */
/*
 * A tiny test framework for the host unit tests. CHECK records a failure with
 * file and line and carries on; each test program ends with check_summary(),
 * which prints "N passed, M failed" and returns the process exit status.
 */
#pragma once

#include <stdio.h>

/* One pair per program, however many of its files check: weak definitions in each file that
 * includes this merge into one at link (static ones would leave a second file's failures out of
 * check_summary's count and the exit status). */
__attribute__((weak)) int check_passed, check_failed;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long check_a_ = (unsigned long long)(a);                             \
		unsigned long long check_b_ = (unsigned long long)(b);                             \
		if (check_a_ == check_b_) {                                                        \
			check_passed++;                                                            \
		} else {                                                                           \
			check_failed++;                                                            \
			fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (0x%llx != 0x%llx)\n",   \
				__FILE__, __LINE__, #a, #b, check_a_, check_b_);                   \
		}                                                                                  \
	} while (0)

static inline int check_summary(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
	return check_failed == 0 && check_passed > 0 ? 0 : 1;
}
