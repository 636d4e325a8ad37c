/* SPDX-License-Identifier: MIT */
/* Segment selectors, IST slots and the GDT/TSS set-up of the boot CPU. */
#pragma once

#include "kernel/types.h"

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1B /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS	  0x28

#define IST_DOUBLE_FAULT  1
#define IST_NMI		  2
#define IST_MACHINE_CHECK 3

void gdt_init(void);
void gdt_set_kernel_stack(uintptr_t top);
/* Where the TSS keeps rsp0 (unaligned: the TSS is packed), for percpu_set_kernel_stack. */
void *gdt_kernel_stack_slot(void);

/* One bit per port, set = denied (the CPU's convention). */
#define IO_BITMAP_BYTES 8192
/*
 * Load a process's I/O permission bitmap into the TSS, or none (NULL): only
 * its first `bytes` (every byte after them denies), so a process holding a
 * few low ports costs a few bytes per switch, not 8 KiB.
 */
void gdt_set_io_bitmap(const uint8_t *bitmap, size_t bytes);
