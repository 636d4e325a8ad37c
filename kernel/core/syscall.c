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
 * syscall_entry jumps through syscall_entry_table by number: to the light
 * path, to the asm fastpath (arch/x86_64/fastpath.asm) for SYS_CALL,
 * SYS_REPLY_RECV and SYS_YIELD unless `fastpath=off`, or to the full entry.
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

/* Where syscall_entry (syscall.asm) jumps for each number; set once at boot. */
void *syscall_entry_table[SYS_COUNT];

void syscall_entries_init(bool ipc_fastpath)
{
	for (unsigned i = 0; i < SYS_COUNT; i++)
		syscall_entry_table[i] = i < SYSCALL_LIGHT_COUNT && syscall_light_table[i]
						 ? (void *)syscall_light
						 : (void *)syscall_full;
	if (ipc_fastpath) {
		syscall_entry_table[SYS_CALL] = (void *)fastpath_call_entry;
		syscall_entry_table[SYS_REPLY_RECV] = (void *)fastpath_reply_recv_entry;
		syscall_entry_table[SYS_YIELD] = (void *)fastpath_yield_entry;
	}
}

bool syscall_table_complete(void)
{
	for (unsigned i = 0; i < SYS_COUNT; i++)
		if (!syscall_table[i])
			return false;
	return true;
}
