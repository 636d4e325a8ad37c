/* SPDX-License-Identifier: MIT */
/*
 * Physical frame allocator: a binary buddy allocator over 4 KiB page frames.
 *
 * Layered bottom up:
 *   1. per-frame metadata (struct frame_meta) in a caller-provided array,
 *      never inside the frames themselves;
 *   2. one doubly linked free list per order, each holding naturally aligned
 *      blocks of 2^order frames (links are 32-bit frame numbers);
 *   3. block take/release with splitting and buddy merging;
 *   4. frame_build, which turns a boot memory map (usable and reserved
 *      ranges: any alignment, unsorted, overlapping) into free blocks.
 *
 * Pure C with no asm, no globals and no libc, so the same file builds into
 * the freestanding kernel and into host unit tests. Not thread-safe: the
 * kernel wraps every call in its own lock.
 *
 * Boot sequence for the kernel:
 *   bytes = frame_meta_size(max_pfn);
 *   frame_pick_meta_region(usable, nu, reserved, nr, bytes, &pa);
 *   add [pa, pa + bytes) to reserved; map it;
 *   frame_init(&fa, meta_va, bytes, max_pfn);
 *   frame_build(&fa, usable, nu, reserved, nr + 1, scratch, nu + nr + 1);
 * `reserved` must include the map's non-usable entries (reserved wins over
 * usable), the kernel image, modules, boot info and the metadata itself.
 * The allocator hands out frame 0 and low memory if they are usable; a
 * kernel that does not want them reserves them.
 */
#pragma once

#include "kernel/types.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes: 0 on success, negative on failure. */
#define FRAME_OK      0
#define FRAME_ENOMEM  (-1) /* no free block large enough */
#define FRAME_EINVAL  (-2) /* bad argument: unaligned, zero length, bad order, bad state */
#define FRAME_EDOUBLE (-3) /* freeing a frame that is already free */
#define FRAME_ERANGE  (-4) /* frame not managed: outside max_pfn, a hole, or reserved */

/* Orders 0..FRAME_MAX_ORDER: the largest block is 2^18 frames (1 GiB). */
#define FRAME_MAX_ORDER 18
#define FRAME_NR_ORDERS (FRAME_MAX_ORDER + 1)

/* frame_pick_meta_region never returns memory below this address. */
#define FRAME_LOW_LIMIT 0x100000u

/* Frame numbers are 32-bit in the metadata: at most 2^32 - 1 frames (16 TiB). */
#define FRAME_MAX_PFN ((uint64_t)UINT32_MAX)

/* Per-frame state bits in frame_meta.flags. */
#define FRAME_F_MANAGED 0x1 /* usable and not reserved */
#define FRAME_F_FREE	0x2 /* free (head or interior of a free block) */
#define FRAME_F_HEAD	0x4 /* first frame of a free block, on list `order` */

/* 12 bytes per frame. `next`/`prev` and `order` are meaningful only on heads. */
struct frame_meta {
	uint32_t next;
	uint32_t prev;
	uint8_t order;
	uint8_t flags;
	uint16_t unused;
};

/* Defined here so the kernel can keep a static instance; treat as opaque. */
struct frame_alloc {
	struct frame_meta *meta;	   /* meta[pfn] for pfn < max_pfn */
	uint64_t max_pfn;		   /* frames [0, max_pfn) are described */
	uint32_t head[FRAME_NR_ORDERS];	   /* first block of each free list */
	uint64_t nblocks[FRAME_NR_ORDERS]; /* blocks on each free list */
	uint32_t nonempty;		   /* bit k set: list k is not empty */
	uint64_t free_frames;
	uint64_t total_frames;
	bool built;
};

/* Bytes of metadata needed to describe frames [0, max_pfn). O(1). */
size_t frame_meta_size(uint64_t max_pfn);

/*
 * Point the allocator at `meta` (4-byte aligned, at least
 * frame_meta_size(max_pfn) bytes) and mark every frame unmanaged.
 * O(max_pfn). Returns FRAME_EINVAL on a small or misaligned buffer or
 * max_pfn > FRAME_MAX_PFN.
 */
int frame_init(struct frame_alloc *fa, void *meta, size_t meta_size, uint64_t max_pfn);

/*
 * Hand the frames of the memory map to the allocator, once, after
 * frame_init. A frame is managed if it lies wholly inside the union of the
 * `usable` ranges (partial frames are rounded inward) and touches no
 * `reserved` range (rounded outward). Frames at or above max_pfn are
 * ignored. `scratch` must hold n_usable + n_reserved entries; its contents
 * are overwritten. O(frames + n log n) for n map entries.
 */
int frame_build(struct frame_alloc *fa, const struct mem_range *usable, size_t n_usable,
		const struct mem_range *reserved, size_t n_reserved, struct mem_range *scratch,
		size_t n_scratch);

/* One frame. O(FRAME_NR_ORDERS). FRAME_ENOMEM when nothing is free. */
int frame_alloc_one(struct frame_alloc *fa, paddr_t *out);

/*
 * Free one allocated frame. O(FRAME_NR_ORDERS). Any allocated frame may be
 * freed on its own, including one frame of a run. On error (FRAME_EINVAL,
 * FRAME_ERANGE, FRAME_EDOUBLE) nothing changes.
 */
int frame_free_one(struct frame_alloc *fa, paddr_t pa);

/*
 * `nframes` physically contiguous frames starting at a multiple of
 * `align_frames` frames (a power of two). Takes the smallest free buddy block
 * covering both and returns its unused tail to the pool.
 * O(nframes + FRAME_NR_ORDERS^2). FRAME_EINVAL if nframes or align_frames is 0,
 * align is not a power of two, or either exceeds 2^FRAME_MAX_ORDER.
 */
int frame_alloc_run(struct frame_alloc *fa, uint64_t nframes, uint64_t align_frames, paddr_t *out);

/*
 * frame_alloc_run for frames that all lie below the physical address
 * `limit` (devices that address only 32 bits: limit = 4 GiB). A limit at
 * or past the managed frames (FRAME_NO_LIMIT) is frame_alloc_run itself;
 * a lower one walks the free lists, smallest order first, looking at no
 * more than FRAME_BELOW_SCAN free blocks (a bound on the time the caller's
 * lock is held). FRAME_ENOMEM when none of those fits below the limit.
 */
#define FRAME_NO_LIMIT	 UINT64_MAX
#define FRAME_BELOW_SCAN 4096u
int frame_alloc_run_below(struct frame_alloc *fa, uint64_t nframes, uint64_t align_frames,
			  paddr_t limit, paddr_t *out);

/*
 * Free `nframes` allocated frames starting at `pa`: a whole run, part of
 * one, or several adjacent allocations. Every frame is checked first; on
 * error nothing changes. O(nframes + FRAME_NR_ORDERS^2).
 */
int frame_free_run(struct frame_alloc *fa, paddr_t pa, uint64_t nframes);

/* Free frames and managed frames (usable minus reserved). O(1). */
uint64_t frame_free_count(const struct frame_alloc *fa);
uint64_t frame_total_count(const struct frame_alloc *fa);

/*
 * Find the lowest page-aligned address at or above FRAME_LOW_LIMIT where
 * `bytes` (rounded up to a page) fit inside a single usable range without
 * touching any reserved range. Inputs need no sorting.
 * O(n * nr^2) in map entries, with no scratch memory. FRAME_ENOMEM if none fits.
 */
int frame_pick_meta_region(const struct mem_range *usable, size_t n,
			   const struct mem_range *reserved, size_t nr, size_t bytes, paddr_t *out);

/*
 * Invariant checker for tests and debug builds, O(max_pfn): lists well
 * linked, blocks aligned, inside max_pfn, wholly free and managed, not
 * overlapping, no free buddy left unmerged, counters exact.
 */
bool frame_check(const struct frame_alloc *fa);
