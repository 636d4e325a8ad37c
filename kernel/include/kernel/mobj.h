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

struct mobj {
	struct kobj obj;
	uint64_t npages;
	paddr_t *pages;
};

int mobj_create(uint64_t size, struct mobj **out);
/* Create from existing physical memory (boot modules); the pages are copied. */
int mobj_create_from(const void *src, uint64_t size, struct mobj **out);
/* Kernel access to the bytes of page `index`. */
void *mobj_page(struct mobj *m, uint64_t index);
