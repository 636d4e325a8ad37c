/* SPDX-License-Identifier: MIT */
/*
 * The kernel's self-tests, written with the shared test framework
 * (libsys/common/include/test/test.h: TEST(suite, name, "what"), T_ASSERT).
 * `ktest=all` or `ktest=suite,suite.name` on the command line runs them after
 * boot, with the framework's output, and exits QEMU with the verdict.
 */
#pragma once

/* Run the tests the command line selects and exit QEMU; returns if none selected. */
void ktest_run_selected(void);
/* Deliberate faults selected with `kcrash=<kind>`, for the fault-dump tests. */
void ktest_crash_selected(void);
