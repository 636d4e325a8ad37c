/* SPDX-License-Identifier: MIT */
/*
 * Deliberate kernel faults, selected with `kcrash=<kind>` on the command line,
 * so the system tests can check that each one gives a full, symbolised dump
 * and the failure exit code: pagefault, stack (overflow into the guard page,
 * caught as a double fault on its IST stack), divzero, panic.
 */
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define CRASH_ADDR 0xffffc0ffdead0000ull /* inside the device window, never mapped */

__attribute__((noinline)) void ktest_crash_pagefault(void)
{
	*(volatile uint64_t *)CRASH_ADDR = 1;
}

/* Recurses until the guard page stops it; the bound only keeps the compiler honest. */
__attribute__((noinline)) uint64_t ktest_crash_stack(uint64_t depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth > (1ull << 40))
		return 0;
	return ktest_crash_stack(depth + 1) + pad[0];
}

__attribute__((noinline)) int ktest_crash_divzero(volatile int divisor)
{
	return 100 / divisor;
}

void ktest_crash_selected(void)
{
	char kind[32];

	if (!cmdline_get("kcrash", kind, sizeof(kind)))
		return;
	klog("kcrash: triggering '%s' on purpose\n", kind);
	if (cmdline_list_has("kcrash", "pagefault"))
		ktest_crash_pagefault();
	else if (cmdline_list_has("kcrash", "stack"))
		ktest_crash_stack(0);
	else if (cmdline_list_has("kcrash", "divzero"))
		ktest_crash_divzero(0);
	else if (cmdline_list_has("kcrash", "panic"))
		panic("kcrash: deliberate panic");
	panic("kcrash: unknown kind '%s' (pagefault, stack, divzero, panic)", kind);
}
