/* SPDX-License-Identifier: MIT */
/*
 * What in-guest benchmarks share (ftest's bench suite): the guest's executed
 * instructions so far, the BENCH line ./run bench reads, and a median.
 * Under -icount shift=0,sleep=off the TSC counts instructions but also
 * jumps over the time the guest idles while QEMU's device model works, so
 * test_busy() subtracts what the idle loop spent halted (SYS_KINFO idle_tsc).
 */
#pragma once

#include <stdint.h>

/* Guest instructions so far: the TSC without the idle loop's halts. */
uint64_t test_busy(void);
/* "BENCH <name> <value> ticks n=<n>", the line test/qemu/test_bench.py parses. */
void test_bench_line(const char *name, uint64_t value, unsigned n);
/* The median of v[0..n) (sorts v in place). */
uint64_t test_median(uint64_t *v, unsigned n);
