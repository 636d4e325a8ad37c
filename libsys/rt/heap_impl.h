/* SPDX-License-Identifier: MIT */
/*
 * Internals of the heap (sys/heap.h), shared by heap.c (the API and the
 * small tier), heap_block.c (the large and huge tiers) and heap_check.c.
 *
 * Memory layout. Every grow gives a region with a 48-byte header:
 *
 *   arena   [region hdr | start tag][block][block]...[end tag]
 *   huge    [region hdr | tag][user bytes ...]
 *
 * A block of an arena is [tag][body]; the tag holds the block size (a
 * multiple of 16) and flags. A free block keeps its bin links at the start
 * of the body and its size in the last 8 bytes (the footer), so the next
 * block can find it when it is freed (TAG_PREV_FREE). The start and end
 * tags are used blocks of size 0, so coalescing stops at the arena edges.
 *
 * A span is a used block (TAG_SPAN) whose body is a span header followed by
 * equal slots [tag][object] of one size class. A small object's tag holds
 * its class and its offset from the span header.
 */
#pragma once

#include "sys/heap.h"

struct heap_tag {
	uint64_t info;	/* size or class, and the flags below */
	uint64_t check; /* tag_check_of(heap, tag address, info) */
};

#define TAG_USED      0x1ull
#define TAG_PREV_FREE 0x2ull /* large tier: the block before this one is free */
#define TAG_KIND      0xcull
#define TAG_LARGE     0x0ull /* a block of an arena (free, user, or sentinel) */
#define TAG_SMALL     0x4ull /* a slot of a span */
#define TAG_HUGE      0x8ull /* the allocation of a huge region */
#define TAG_SPAN      0xcull /* an arena block carved into small slots */
#define TAG_SIZE      (~0xfull)

#define ALWAYS_INLINE inline __attribute__((always_inline)) /* for the hot paths */

#define BLOCK_MIN	    64u /* tag, two links, footer, rounded to 16 */
#define SPAN_MAX_BYTES	    ((size_t)16 << 10)
#define SPAN_MIN_BYTES	    ((size_t)4 << 10)
#define BIN_SCAN_LIMIT	    8 /* first-fit steps in the exact bin before going up */
#define ARENA_MAX_DOUBLINGS 4 /* arena sizes: 64 KiB << 0..4 */

struct heap_free_block {
	struct heap_tag tag;
	struct heap_free_block *next, *prev;
};

struct heap_region {
	struct heap_region *next, *prev;
	size_t bytes;
	uint64_t reserved;
	struct heap_tag tag; /* arena: start sentinel; huge: the allocation's tag */
};

struct heap_span {
	struct heap_span *next, *prev; /* in heap.partial[cls] while a slot is free */
	struct heap_tag *free;	       /* freed slots; the link is in the object */
	char *bump, *end;	       /* slots from bump to end were never used */
	uint32_t live, cls;
};

#define REGION_HDR     sizeof(struct heap_region)
#define ARENA_OVERHEAD (REGION_HDR + sizeof(struct heap_tag))
#define SPAN_HDR       sizeof(struct heap_span)

_Static_assert(sizeof(struct heap_tag) == HEAP_ALIGN, "a tag keeps the payload aligned");
_Static_assert(REGION_HDR % HEAP_ALIGN == 0 && SPAN_HDR % HEAP_ALIGN == 0, "aligned headers");
_Static_assert(sizeof(struct heap_free_block) + 8 <= BLOCK_MIN, "free block fits the minimum");

static inline uint64_t tag_check_of(const struct heap *h, const struct heap_tag *t, uint64_t info)
{
	return (info ^ (uintptr_t)t ^ h->secret) * 0x9e3779b97f4a7c15ull;
}

static inline void tag_set(const struct heap *h, struct heap_tag *t, uint64_t info)
{
	t->info = info;
	t->check = tag_check_of(h, t, info);
}

static inline bool tag_ok(const struct heap *h, const struct heap_tag *t)
{
	return t->check == tag_check_of(h, t, t->info);
}

static inline size_t tag_size(const struct heap_tag *t)
{
	return t->info & TAG_SIZE;
}

static inline uint64_t tag_kind(const struct heap_tag *t)
{
	return t->info & TAG_KIND;
}

static inline bool tag_used(const struct heap_tag *t)
{
	return t->info & TAG_USED;
}

static inline struct heap_tag *tag_next(const struct heap_tag *t)
{
	return (struct heap_tag *)((char *)t + tag_size(t));
}

static inline uint64_t *block_footer(const struct heap_tag *t)
{
	return (uint64_t *)((char *)t + tag_size(t)) - 1;
}

static inline unsigned tag_class(const struct heap_tag *t)
{
	return (unsigned)(t->info >> 8) & 0xff;
}

static inline struct heap_span *tag_span(const struct heap_tag *t)
{
	return (struct heap_span *)((char *)t - (t->info >> 32));
}

static inline unsigned heap_log2(size_t x)
{
	return 63u - (unsigned)__builtin_clzll(x);
}

/* Bin of a free block of `size` bytes: four bins per power of two. */
static inline unsigned heap_bin_index(size_t size)
{
	unsigned fl = heap_log2(size);

	return (fl - 6) * 4 + (unsigned)((size >> (fl - 2)) & 3);
}

/* Object size of a small class. */
static inline size_t heap_class_size(unsigned cls)
{
	static const uint16_t sizes[HEAP_NR_CLASSES] = {
		16,  32,  48,  64,  80,	 96,  112, 128, 160, 192,
		224, 256, 320, 384, 448, 512, 640, 768, 896, 1024,
	};

	return sizes[cls];
}

/* Bytes the caller may use behind a live allocation's tag. */
static inline size_t tag_usable(const struct heap_tag *t)
{
	switch (tag_kind(t)) {
	case TAG_SMALL:
		return heap_class_size(tag_class(t));
	case TAG_HUGE:
		return tag_size(t) - REGION_HDR;
	default:
		return tag_size(t) - sizeof(*t);
	}
}

static inline bool span_full(const struct heap_span *s)
{
	return !s->free && s->bump == s->end;
}

static inline size_t heap_span_bytes(unsigned cls)
{
	size_t bytes = (heap_class_size(cls) + sizeof(struct heap_tag)) * 64;

	return bytes < SPAN_MIN_BYTES	? SPAN_MIN_BYTES
	       : bytes > SPAN_MAX_BYTES ? SPAN_MAX_BYTES
					: bytes;
}

/* heap_block.c: the large and huge tiers. */
struct heap_tag *heap_block_alloc(struct heap *h, size_t bytes, uint64_t kind);
int heap_block_free(struct heap *h, struct heap_tag *t);
bool heap_block_resize(struct heap *h, struct heap_tag *t, size_t bytes);
void *heap_huge_alloc(struct heap *h, size_t n);
struct heap_region *heap_huge_find(const struct heap *h, const void *p);
bool heap_in_arena(const struct heap *h, const void *p);
void heap_huge_free(struct heap *h, struct heap_region *r);
void heap_arena_trim(struct heap *h);
