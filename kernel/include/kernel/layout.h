/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual memory layout (see docs/ARCHITECTURE.md):
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (per process)
 *   0xffff800000000000 - 0xffffbfffffffffff  direct map of physical memory
 *   0xffffc00000000000 - 0xffffc0ffffffffff  device memory window (uncached)
 *   0xffffc10000000000 - 0xffffc10fffffffff  kernel stacks of threads, guard-separated
 *   0xffffc10000000000 - 0xffffc10fffffffff  kernel stacks of threads, guard pages between
 *   0xffffffff80000000 - 0xffffffffffffffff  kernel image (-mcmodel=kernel)
 */
#pragma once

#include "kernel/types.h"

#define USER_SPACE_END	  0x0000800000000000ull
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
