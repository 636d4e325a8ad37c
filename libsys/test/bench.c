/* SPDX-License-Identifier: MIT */
/* Benchmark helpers for in-guest tests (test/bench.h). */
#include "test/bench.h"

#include "sys/stdio.h"
#include "sys/sys.h"

uint64_t test_busy(void)
{
	struct kinfo k;

	sys_kinfo(&k);
	return sys_rdtsc() - k.idle_tsc;
}

void test_bench_line(const char *name, uint64_t value, unsigned n)
{
	printf("BENCH %s %lu ticks n=%u\n", name, (unsigned long)value, n);
}

uint64_t test_median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) /* insertion sort: n is small */
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}
