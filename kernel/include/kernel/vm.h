/* SPDX-License-Identifier: MIT */
/*
 * Virtual memory: the kernel's own page tables (built once by paging_init:
 * W^X kernel image, direct map, guard pages under kernel stacks, a window
 * for uncached device memory) and address spaces for user processes.
 */
#pragma once

#include "arch/pagetable.h"
#include "kernel/types.h"

struct boot_info;

/* Rights for vm_map: PT_WRITE, PT_EXEC, PT_USER, PT_UNCACHED (arch/pagetable.h). */

struct vm_space {
	paddr_t pml4;
	uint64_t pages_mapped;
	uint64_t tables; /* user page tables below the top one (charged to the process) */
};

/* Build and switch to the kernel page tables. */
void paging_init(const struct boot_info *bi);

/* Map device memory uncached into the kernel's device window (never unmapped). */
void *vm_map_mmio(paddr_t pa, size_t size);
/*
 * The same for one page, mapped at most once however often it is asked for
 * (the kernel's own view of a device's MSI mask bits). NULL when the table
 * of such pages (128) is full or no table frame is left.
 */
void *vm_map_mmio_page(paddr_t pa);
/* Reach physical memory read-only: the direct map if it covers it, else the device window. */
const void *vm_map_phys(paddr_t pa, size_t size);
bool vm_direct_map_covers(paddr_t pa, size_t size);

/* Address spaces: the kernel half is shared, the user half is private. */
int vm_space_create(struct vm_space *vs);
void vm_space_destroy(struct vm_space *vs);
int vm_map(struct vm_space *vs, vaddr_t va, paddr_t pa, unsigned rights);
int vm_unmap(struct vm_space *vs, vaddr_t va, paddr_t *out_pa);
int vm_lookup(struct vm_space *vs, vaddr_t va, paddr_t *out_pa, unsigned *out_rights);
void vm_space_activate(struct vm_space *vs);
/* Free the kernel page table covering `va` if nothing is mapped in it any more. */
void vm_kernel_prune(vaddr_t va);
struct vm_space *vm_kernel_space(void);

/* Kernel page-table frames in use, for leak checks. */
uint64_t vm_table_count(void);
