/* SPDX-License-Identifier: MIT */
/*
 * Kernel object allocator: power-of-two size classes from 16 to 2048 bytes,
 * each carved out of 4 KiB slab pages.
 *
 * Layered on a page provider (struct slab_page_ops): in the kernel, the
 * frame allocator plus the direct map; in host tests, aligned_alloc. Each
 * slab page starts with a 64-byte header (magic, owning heap, class, live
 * count, a bitmap of free slots), so slab_free finds it by rounding the
 * pointer down to 4 KiB and can tell a live object from anything else.
 * Free objects are never written to, so a stray write to freed memory
 * cannot corrupt the allocator.
 *
 * Pure C, no asm, no globals, no libc. No locking: the kernel wraps calls.
 * Objects are aligned to their size up to 64 bytes (16-byte objects are
 * 16-aligned; 64 bytes and larger are 64-aligned).
 */
#pragma once

#include "kernel/types.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLAB_OK	     0
#define SLAB_EINVAL  (-1) /* not an object of this heap: bad magic, header, misaligned */
#define SLAB_EDOUBLE (-2) /* the object is already free */

#define SLAB_PAGE_SIZE	4096u
#define SLAB_HDR_SIZE	64u
#define SLAB_MIN_SHIFT	4 /* smallest class: 16 bytes */
#define SLAB_NR_CLASSES 8 /* 16, 32, ..., 2048 */
#define SLAB_MAX_SIZE	((size_t)1 << (SLAB_MIN_SHIFT + SLAB_NR_CLASSES - 1))

/* Page provider. alloc_page returns a 4 KiB-aligned 4 KiB page or NULL. */
struct slab_page_ops {
	void *(*alloc_page)(void *ctx);
	void (*free_page)(void *ctx, void *page);
	void *ctx;
};

struct slab_page; /* header at the start of each slab page (slab.c) */

struct slab_class {
	struct slab_page *partial; /* some slots live, some free */
	struct slab_page *full;	   /* every slot live */
	struct slab_page *spare;   /* at most one empty page kept cached */
	uint64_t live, allocs, frees, pages;
};

/* Defined here so the kernel can keep a static instance; treat as opaque. */
struct slab_heap {
	struct slab_page_ops ops;
	struct slab_class classes[SLAB_NR_CLASSES];
	uint64_t invalid_frees; /* slab_free calls rejected */
	uint64_t page_failures; /* provider returned NULL or a misaligned page */
};

struct slab_class_stats {
	uint32_t size;		/* object size of the class */
	uint32_t objs_per_page; /* slots in one slab page */
	uint64_t live, allocs, frees, pages;
};

struct slab_stats {
	struct slab_class_stats classes[SLAB_NR_CLASSES];
	uint64_t live, allocs, frees, pages; /* sums over the classes */
	uint64_t invalid_frees, page_failures;
};

/* Empty heap on `ops` (copied). SLAB_EINVAL if a callback is missing. O(1). */
int slab_init(struct slab_heap *h, const struct slab_page_ops *ops);

/*
 * An object of at least `size` bytes, or NULL when size is 0 or above
 * SLAB_MAX_SIZE or the provider has no page. O(1).
 */
void *slab_alloc(struct slab_heap *h, size_t size);

/*
 * Free a live object. NULL is a no-op. Anything else that is not a live
 * object of this heap is rejected with SLAB_EINVAL or SLAB_EDOUBLE, counted
 * in invalid_frees, and leaves the heap unchanged. `p` must point into
 * readable memory (a page this heap could own). O(1).
 */
int slab_free(struct slab_heap *h, void *p);

/* Return the cached empty pages to the provider. O(SLAB_NR_CLASSES). */
void slab_shrink(struct slab_heap *h);

/* Snapshot of the leak counters. O(SLAB_NR_CLASSES). */
void slab_stats(const struct slab_heap *h, struct slab_stats *out);

/* Invariant checker for tests and debug builds: O(pages held). */
bool slab_check(const struct slab_heap *h);
