/* SPDX-License-Identifier: MIT */
/*
 * The syscall table, generated from SYSCALL_LIST in
 * libsys/abi/include/sys/syscall.h, so every number has exactly one handler
 * (NAME_handler). syscall_entry (arch/x86_64/syscall.asm) dispatches
 * through it: unknown numbers get E_NOSYS, and after the handler a thread
 * that should give way to a higher priority does so before returning.
 *
 * A few numbers below SYSCALL_LIGHT_COUNT are light: syscall.asm runs them
 * from syscall_light_table without building a trap_frame (see there).
 */
#include "kernel/syscall.h"

#include "kernel/clock.h"
#include "kernel/thread.h"
#include "sys/errors.h"

const syscall_fn syscall_table[SYS_COUNT] = {
#define SYSCALL_ENTRY(name, nr, nargs, sig) [nr] = name##_handler,
	SYSCALL_LIST(SYSCALL_ENTRY)
#undef SYSCALL_ENTRY
};

/* syscall.asm dispatches with these numbers. */
_Static_assert(SYS_COUNT == 49, "SYS_COUNT in arch/x86_64/syscall.asm");
_Static_assert(E_NOSYS == -10, "E_NOSYS in arch/x86_64/syscall.asm");

/* SYS_NULL and SYS_CLOCK, whose handlers need no frame and never block or wake anyone. */
static long light_null(void)
{
	return E_OK;
}

static long light_clock(void)
{
	return (long)clock_ns();
}

const syscall_light_fn syscall_light_table[SYSCALL_LIGHT_COUNT] = {
	[SYS_NULL] = light_null,
	[SYS_CLOCK] = light_clock,
};

bool syscall_table_complete(void)
{
	for (unsigned i = 0; i < SYS_COUNT; i++)
		if (!syscall_table[i])
			return false;
	return true;
}
