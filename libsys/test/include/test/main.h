/* SPDX-License-Identifier: MIT */
/*
 * The user-space side of the test framework (test/test.h; link test_dep):
 * the port that prints through the kernel's debug console and reads
 * sys_clock, and the entry a test program's main calls.
 */
#pragma once

#include "test/test.h"

/*
 * Run the tests argv selects (argc 0: all) as `program`, with the
 * framework's output; the program's exit code (0: the run passed).
 */
int test_main(const char *program, int argc, char **argv);
