/* SPDX-License-Identifier: MIT */
/*
 * Stopping the machine: QEMU's isa-debug-exit device (port 0xF4) turns the
 * value written into QEMU's exit status; on real hardware the write does
 * nothing and the CPU halts.
 */
#include "arch/cpu.h"
#include "kernel/panic.h"

#define DEBUG_EXIT_PORT 0xF4

NORETURN void kernel_exit(uint32_t code)
{
	irq_disable();
	outl(DEBUG_EXIT_PORT, code);
	cpu_halt_forever();
}
