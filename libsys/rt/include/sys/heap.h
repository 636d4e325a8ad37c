/* SPDX-License-Identifier: MIT */
/*
 * General-purpose heap for one address space: each process keeps its own
 * instance. Memory comes from a provider (struct heap_ops): in a process,
 * memory objects mapped into its address space; in host tests, the host
 * allocator. Three tiers, all handing out 16-byte-aligned pointers:
 *
 *   small  up to HEAP_SMALL_MAX bytes: 20 size classes carved from spans,
 *          per-span free lists; alloc and free are O(1);
 *   large  up to HEAP_HUGE_MIN bytes: blocks with boundary tags in arenas,
 *          segregated free lists (good fit, O(1) with a bitmap), neighbours
 *          coalesced on free, realloc grows in place into a free neighbour;
 *   huge   above HEAP_HUGE_MIN: a region of its own from grow, handed back
 *          with shrink on free.
 *
 * Every allocation sits behind a 16-byte tag holding its size or class and
 * a check word (the tag mixed with its address and a per-heap secret), so
 * heap_free recognises pointers it never returned and double frees, refuses
 * them with an error, and changes nothing. heap_free reads the 16 bytes
 * before the pointer it is given, so that memory must be readable; the one
 * exception is a huge allocation already freed, which is recognised from
 * the heap's own lists (its memory may be unmapped).
 *
 * No locking: a multi-threaded process wraps the calls in its own lock.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_OK	      0
#define HEAP_EINVAL   (-1) /* not a live allocation of this heap */
#define HEAP_EDOUBLE  (-2) /* the allocation was already freed */
#define HEAP_ECORRUPT (-3) /* a neighbour's tag is damaged: the block is kept, not freed */

#define HEAP_ALIGN	    16u
#define HEAP_GROW_UNIT	    ((size_t)64 << 10) /* grow and shrink sizes are multiples of this */
#define HEAP_PROVIDER_ALIGN 4096u	       /* grow must return memory aligned to this */
#define HEAP_SMALL_MAX	    1024u
#define HEAP_HUGE_MIN	    ((size_t)128 << 10) /* larger requests get a region of their own */
#define HEAP_MAX_ALLOC	    ((size_t)1 << 46)
#define HEAP_NR_CLASSES	    20
#define HEAP_NR_BINS	    168
#define HEAP_BIN_WORDS	    ((HEAP_NR_BINS + 63) / 64)

/*
 * Memory provider. grow returns `bytes` (a multiple of HEAP_GROW_UNIT) of
 * writable memory aligned to HEAP_PROVIDER_ALIGN, or NULL. shrink takes
 * back exactly what one grow call returned; it may be NULL, in which case
 * the heap reuses freed regions itself and never gives memory back.
 */
struct heap_ops {
	void *(*grow)(void *ctx, size_t bytes);
	void (*shrink)(void *ctx, void *p, size_t bytes);
	void *ctx;
};

struct heap_stats {
	size_t bytes_in_use;	/* sum of heap_usable_size over live allocations */
	size_t bytes_held;	/* obtained from grow and not yet given back */
	uint64_t regions_held;	/* grow calls not yet matched by a shrink */
	uint64_t live;		/* allocations not yet freed */
	uint64_t allocs, frees; /* successful calls; a realloc that moves counts as both */
	uint64_t invalid_frees; /* heap_free/heap_realloc calls refused */
	uint64_t grow_failures; /* grow returned NULL or misaligned memory */
};

struct heap_span;	/* a block carved into small objects (heap_impl.h) */
struct heap_free_block; /* a free block of the large tier */
struct heap_region;	/* one grow: an arena or a huge allocation */

/* Defined here so a process can keep a static instance; treat as opaque. */
struct heap {
	struct heap_ops ops;
	uint64_t secret;
	struct heap_span *partial[HEAP_NR_CLASSES]; /* spans with a free slot */
	struct heap_free_block *bins[HEAP_NR_BINS];
	uint64_t bin_map[HEAP_BIN_WORDS]; /* bit set: bin not empty */
	size_t free_bytes;		  /* in the large tier's bins */
	struct heap_region *arenas, *huge;
	uint64_t nr_arenas;
	struct heap_stats st;
};

/*
 * A byte of one of the regions the heap holds (arenas and huge
 * allocations, headers included), picked by `r`; NULL when it holds none.
 * For fault injection's bit flips (proto/svc.h SVC_FI_FLIP). O(regions).
 */
unsigned char *heap_byte_at(const struct heap *h, uint64_t r);

/* Empty heap on `ops` (copied). HEAP_EINVAL if grow is missing. O(1). */
int heap_init(struct heap *h, const struct heap_ops *ops);

/* At least `n` bytes (n == 0 gives a minimal allocation), or NULL. */
void *heap_alloc(struct heap *h, size_t n);

/* n * m zeroed bytes, or NULL (also when n * m overflows). */
void *heap_calloc(struct heap *h, size_t n, size_t m);

/*
 * Resize to `n` bytes, keeping the contents up to the smaller size. In place
 * when it fits (including growing into a free neighbour), else moved. NULL
 * `p` allocates; n == 0 frees `p` and returns NULL. On failure NULL, and
 * `p` is untouched. An invalid `p` is counted like an invalid free.
 */
void *heap_realloc(struct heap *h, void *p, size_t n);

/*
 * Free `p`. NULL is a no-op. Anything that is not a live allocation of this
 * heap is refused (HEAP_EINVAL, HEAP_EDOUBLE, HEAP_ECORRUPT), counted in
 * invalid_frees, and leaves the heap unchanged.
 */
int heap_free(struct heap *h, void *p);

/* Bytes usable at `p` (>= the size asked for), or 0 if `p` is not live. */
size_t heap_usable_size(const struct heap *h, const void *p);

/* Give cached empty spans and empty arenas back to the provider. */
void heap_trim(struct heap *h);

/* Snapshot of the counters. O(1). */
void heap_stats(const struct heap *h, struct heap_stats *out);

/* Invariant walker for tests and debug builds: O(memory held). */
bool heap_check(const struct heap *h);
