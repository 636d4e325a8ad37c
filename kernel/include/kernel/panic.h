/* SPDX-License-Identifier: MIT */
/*
 * Fatal kernel errors. panic() prints its message and a symbolised backtrace
 * on the console, then stops the machine: under QEMU it exits through
 * isa-debug-exit with KEXIT_FAILURE, on real hardware it halts.
 */
#pragma once

#include "kernel/types.h"

/* Values written to isa-debug-exit; QEMU exits with (value << 1) | 1. */
#define KEXIT_SUCCESS 0x10 /* QEMU exit status 33 */
#define KEXIT_FAILURE 0x11 /* QEMU exit status 35 */

NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
NORETURN void kernel_exit(uint32_t code);
/* Start reporting a fatal error; a second fatal error meanwhile stops at once. */
void panic_enter(void);

/* Print "backtrace:" and one line per frame, following saved frame pointers. */
void backtrace_print(uintptr_t rip, uintptr_t rbp);

#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (unlikely(!(cond)))                                                             \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);          \
	} while (0)
