/* SPDX-License-Identifier: MIT */
/*
 * Self-tests that need x86 instructions: unclaimed and spurious interrupt
 * vectors are counted and survived, and the CPU features the kernel relies
 * on are switched on.
 */
#include "arch/cpu.h"
#include "arch/trap.h"
#include "test/test.h"

#define CR4_PGE (1ull << 7)
#define CR0_WP	(1ull << 16)

TEST(x86, irq_unclaimed, "an interrupt nobody claimed is counted, not fatal")
{
	uint64_t before = trap_unclaimed_count();

	__asm__ volatile("int $0x70");
	__asm__ volatile("int $0x71");
	T_ASSERT(trap_unclaimed_count() == before + 2);
}

TEST(x86, irq_spurious, "a spurious LAPIC or PIC interrupt is counted and needs no EOI")
{
	uint64_t before = trap_spurious_count();

	__asm__ volatile("int $0xff");
	__asm__ volatile("int $0xe7");
	T_ASSERT(trap_spurious_count() == before + 2);
}

TEST(x86, cpu_features, "NX, write protection and global pages are on")
{
	T_ASSERT(rdmsr(MSR_EFER) & EFER_NXE);
	T_ASSERT(read_cr0() & CR0_WP);
	T_ASSERT(read_cr4() & CR4_PGE);
}
