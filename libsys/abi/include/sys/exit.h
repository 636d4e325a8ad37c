/* SPDX-License-Identifier: MIT */
/*
 * Exit codes the kernel chooses for a process that did not exit by itself,
 * shared by the kernel and user space. They are negative and far below the
 * error codes of sys/errors.h, so a parent that waits can tell them apart.
 */
#pragma once

#define EXIT_KILLED  (-1000) /* SYS_PROCESS_KILL, or never started */
#define EXIT_FAULTED (-2000) /* minus the exception vector: a ring-3 fault */

/* The exit code of a process that took exception `vector` (14: page fault). */
#define EXIT_FAULT_CODE(vector) (EXIT_FAULTED - (vector))
