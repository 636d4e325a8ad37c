/* SPDX-License-Identifier: MIT */
/*
 * panic() and the symbolised backtrace used by it and by the exception dump.
 * A second panic while one is being reported (for example a fault inside the
 * backtrace walk) stops at once instead of recursing.
 */
#include "kernel/panic.h"

#include <stdarg.h>

#include "arch/cpu.h"
#include "kernel/ksyms.h"
#include "kernel/layout.h"
#include "kernel/printk.h"

#define BACKTRACE_MAX_FRAMES 32

static volatile int panic_depth;

static void print_frame(int depth, uintptr_t addr)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		kprintf("  #%d 0x%016lx %s+0x%lx\n", depth, (unsigned long)addr, name,
			(unsigned long)off);
	else
		kprintf("  #%d 0x%016lx ?\n", depth, (unsigned long)addr);
}

static bool frame_pointer_ok(uintptr_t rbp)
{
	return rbp >= KERNEL_SPACE_BASE && (rbp & 7) == 0 && rbp < UINTPTR_MAX - 16;
}

void backtrace_print(uintptr_t rip, uintptr_t rbp)
{
	int depth = 0;

	kprintf("backtrace:\n");
	print_frame(depth++, rip);
	while (depth < BACKTRACE_MAX_FRAMES && frame_pointer_ok(rbp)) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t ret = frame[1];
		if (ret < KERNEL_SPACE_BASE)
			break;
		/* A return address points after the call; -1 names the caller's line. */
		print_frame(depth++, ret - 1);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void panic_enter(void)
{
	irq_disable();
	if (panic_depth++ > 0) {
		kprintf("\nPANIC: fault while reporting a panic, stopping\n");
		kernel_exit(KEXIT_FAILURE);
	}
}

NORETURN void panic(const char *fmt, ...)
{
	va_list ap;

	panic_enter();
	kprintf("\nPANIC: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_print((uintptr_t)__builtin_return_address(0), read_frame_pointer());
	kernel_exit(KEXIT_FAILURE);
}
