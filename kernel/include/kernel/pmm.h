/* SPDX-License-Identifier: MIT */
/*
 * The kernel's physical memory: one buddy frame allocator (kernel/mm/frame.c)
 * built from the multiboot2 memory map, behind a lock. Before paging_init the
 * page-table frames come from a small boot pool below 4 GiB instead.
 */
#pragma once

#include "kernel/types.h"

struct boot_info;

/* Build the allocator; excludes low memory, the kernel, modules and the boot info. */
void pmm_init(const struct boot_info *bi, paddr_t info_start, paddr_t info_end);

int pmm_alloc(paddr_t *out);
void pmm_free(paddr_t pa);
int pmm_alloc_run(uint64_t nframes, uint64_t align_frames, paddr_t *out);
void pmm_free_run(paddr_t pa, uint64_t nframes);
/* A run whose frames all lie below `limit` (PMM_NO_LIMIT: anywhere); free it as any run. */
#define PMM_NO_LIMIT UINT64_MAX
int pmm_alloc_run_below(uint64_t nframes, uint64_t align_frames, paddr_t limit, paddr_t *out);
uint64_t pmm_free_count(void);
uint64_t pmm_total_count(void);
bool pmm_check(void);
/* Whether the page at `pa` touches RAM or ACPI memory of the memory map
 * (kernel image included); device memory never does. */
bool pmm_is_ram(paddr_t pa);

/* Table frames for paging_init: the boot pool until pmm_boot_pool_done(). */
int pmm_alloc_boot_or_frame(paddr_t *out);
void pmm_boot_pool_done(void);
