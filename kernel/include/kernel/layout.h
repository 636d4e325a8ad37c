/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual memory layout (see docs/ARCHITECTURE.md):
 *
 *   0x0000000000000000 - 0x00007fffffffefff  user space (per process)
 *   0x00007ffffffff000 - 0x00007fffffffffff  never mapped (see USER_SPACE_END)
 *   0xffff800000000000 - 0xffffbfffffffffff  direct map of physical memory
 *   0xffffc00000000000 - 0xffffc0ffffffffff  device memory window (uncached)
 *   0xffffc10000000000 - 0xffffc10fffffffff  kernel stacks of threads, guard-separated
 *   0xffffc10000000000 - 0xffffc10fffffffff  kernel stacks of threads, guard pages between
 *   0xffffffff80000000 - 0xffffffffffffffff  kernel image (-mcmodel=kernel)
 */
#pragma once

#include "kernel/types.h"

/*
 * User space ends one page below the canonical limit 2^47: with the last page
 * never mapped, no user instruction can end at 2^47, so a SYSCALL can never
 * leave a non-canonical return address. (IRETQ to one faults in ring 0 on
 * Intel CPUs after SWAPGS, the CVE-2012-0217 class; SYSRET likewise.)
 */
#define USER_SPACE_END	  0x00007ffffffff000ull
#define KERNEL_SPACE_BASE 0xffff800000000000ull
#define DIRECT_MAP_BASE	  0xffff800000000000ull
#define DIRECT_MAP_SIZE	  0x0000400000000000ull /* 64 TiB */
#define MMIO_WINDOW_BASE  0xffffc00000000000ull
#define MMIO_WINDOW_SIZE  0x0000010000000000ull /* 1 TiB */
#define KSTACK_AREA_BASE  0xffffc10000000000ull
#define KSTACK_AREA_SIZE  0x0000001000000000ull /* 64 GiB */
#define KERNEL_VMA	  0xffffffff80000000ull

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(pa + DIRECT_MAP_BASE);
}

static inline paddr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}

/* Linker-script symbols bounding the kernel image and its sections. */
extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];
extern char __ksyms_start[], __ksyms_end[];
