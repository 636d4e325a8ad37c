/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: a set of physical pages that can be mapped into one or
 * more address spaces (shared memory, program images, stacks, IPC buffers).
 * Pages are allocated and zeroed at creation and freed when the last handle
 * and the last mapping are gone.
 */
#pragma once

#include "kernel/object.h"

#define MOBJ_MAX_PAGES (256u * 1024) /* 1 GiB */

struct account;

struct mobj {
	struct kobj obj;
	uint64_t npages;
	paddr_t *pages;
	struct account *acct; /* charged for the pages; NULL: the kernel's own */
	bool device;	      /* device memory: mapped uncached, never freed */
	bool write_combining; /* device memory mapped write-combining (DEVMEM_WC) */
	bool exclusive;	      /* DEVMEM_EXCLUSIVE: on the list of claimed device pages */
	struct mobj *exclusive_next;
	uint64_t borrowed; /* the first `borrowed` pages are not ours: never freed */
};

/* `acct` (may be NULL) is charged for the pages, or the call fails with E_QUOTA. */
int mobj_create(uint64_t size, struct account *acct, struct mobj **out);
/* The same with SYS_MOBJ_CREATE flags: MOBJ_CONTIGUOUS, MOBJ_BELOW_4G (for DMA). */
int mobj_create_flags(uint64_t size, struct account *acct, uint32_t flags, struct mobj **out);
/*
 * Device memory [phys, phys + size); refused (E_RANGE) if any of it is RAM.
 * Flags DEVMEM_WC (mapped write-combining) and DEVMEM_EXCLUSIVE (E_BUSY
 * while another exclusive object over any of its pages lives).
 */
int mobj_create_device(paddr_t phys, uint64_t size, uint32_t flags, struct mobj **out);
/* A boot module's memory [phys, phys + size), shared in place (phys page-aligned). */
int mobj_create_boot(paddr_t phys, uint64_t size, struct mobj **out);
/* The kernel memory the object itself takes (charged to its creator). */
uint64_t mobj_meta_bytes(const struct mobj *m);
/* Kernel access to the bytes of page `index`. */
void *mobj_page(struct mobj *m, uint64_t index);
