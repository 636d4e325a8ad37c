/* SPDX-License-Identifier: MIT */
/*
 * The heap's large and huge tiers (layout in heap_impl.h). Bottom up:
 *   provider  grow/shrink with the held-bytes counters;
 *   bins      free blocks on doubly linked lists, four bins per power of
 *             two, and a bitmap of the non-empty ones: a request takes the
 *             first fit among a few blocks of its own bin, else the head
 *             of the next non-empty bin, whose blocks all fit;
 *   blocks    boundary tags: split on alloc, coalesce with both neighbours
 *             on free, grow in place into a free successor;
 *   arenas    regions the blocks live in; an arena that becomes empty goes
 *             back to the provider when enough other free space remains;
 *   huge      one region per allocation, found in a list on free (never by
 *             reading memory that may already be unmapped).
 */
#include "heap_impl.h"

/* ---- provider ---- */

static void *provider_grow(struct heap *h, size_t bytes)
{
	void *p = h->ops.grow(h->ops.ctx, bytes);

	if (p && (uintptr_t)p % HEAP_PROVIDER_ALIGN == 0) {
		h->st.bytes_held += bytes;
		h->st.regions_held++;
		return p;
	}
	if (p && h->ops.shrink)
		h->ops.shrink(h->ops.ctx, p, bytes);
	h->st.grow_failures++;
	return NULL;
}

static void provider_shrink(struct heap *h, void *p, size_t bytes)
{
	h->st.bytes_held -= bytes;
	h->st.regions_held--;
	h->ops.shrink(h->ops.ctx, p, bytes);
}

static void region_link(struct heap_region **head, struct heap_region *r)
{
	r->prev = NULL;
	r->next = *head;
	if (r->next)
		r->next->prev = r;
	*head = r;
}

static void region_unlink(struct heap_region **head, struct heap_region *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		*head = r->next;
	if (r->next)
		r->next->prev = r->prev;
}

/* ---- bins ---- */

static void bin_insert(struct heap *h, struct heap_free_block *f)
{
	unsigned b = heap_bin_index(tag_size(&f->tag));

	f->prev = NULL;
	f->next = h->bins[b];
	if (f->next)
		f->next->prev = f;
	h->bins[b] = f;
	h->bin_map[b / 64] |= 1ull << (b % 64);
	h->free_bytes += tag_size(&f->tag);
}

static void bin_remove(struct heap *h, struct heap_free_block *f)
{
	unsigned b = heap_bin_index(tag_size(&f->tag));

	if (f->prev)
		f->prev->next = f->next;
	else
		h->bins[b] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	if (!h->bins[b])
		h->bin_map[b / 64] &= ~(1ull << (b % 64));
	h->free_bytes -= tag_size(&f->tag);
}

/* First non-empty bin at or above `b`, or HEAP_NR_BINS. */
static unsigned bin_next(const struct heap *h, unsigned b)
{
	for (unsigned w = b / 64; w < HEAP_BIN_WORDS; w++) {
		uint64_t bits = h->bin_map[w];

		if (w == b / 64)
			bits &= ~0ull << (b % 64);
		if (bits)
			return w * 64 + (unsigned)__builtin_ctzll(bits);
	}
	return HEAP_NR_BINS;
}

static struct heap_free_block *bin_find(const struct heap *h, size_t bytes)
{
	unsigned b = heap_bin_index(bytes);
	struct heap_free_block *f = h->bins[b];

	for (unsigned i = 0; f && i < BIN_SCAN_LIMIT; f = f->next, i++) {
		if (tag_size(&f->tag) >= bytes)
			return f;
	}
	b = bin_next(h, b + 1);
	return b < HEAP_NR_BINS ? h->bins[b] : NULL;
}

/* ---- blocks ---- */

/* Make `t` fail tag_ok: an absorbed tag must never pass for a live one. */
static void tag_wipe(const struct heap *h, struct heap_tag *t)
{
	t->check = tag_check_of(h, t, t->info) ^ 1;
}

static void block_set_prev_free(const struct heap *h, struct heap_tag *t, bool prev_free)
{
	tag_set(h, t, (t->info & ~TAG_PREV_FREE) | (prev_free ? TAG_PREV_FREE : 0));
}

/* [t, t + bytes) becomes one free block; the block before it is used. */
static void block_make_free(struct heap *h, struct heap_tag *t, size_t bytes)
{
	tag_set(h, t, bytes | TAG_LARGE);
	*block_footer(t) = bytes;
	bin_insert(h, (struct heap_free_block *)t);
	block_set_prev_free(h, tag_next(t), true);
}

/* Free [t, t + bytes), merging with the block after it if that is free. */
static void block_release(struct heap *h, struct heap_tag *t, size_t bytes)
{
	struct heap_tag *next = (struct heap_tag *)((char *)t + bytes);

	if (!tag_used(next)) {
		bin_remove(h, (struct heap_free_block *)next);
		bytes += tag_size(next);
		tag_wipe(h, next);
	}
	block_make_free(h, t, bytes);
}

/* Shorten used block `t` to `bytes` if the rest can stand as a free block. */
static void block_split(struct heap *h, struct heap_tag *t, size_t bytes)
{
	size_t size = tag_size(t);

	if (size - bytes < BLOCK_MIN)
		return;
	tag_set(h, t, (t->info & ~TAG_SIZE) | bytes);
	block_release(h, tag_next(t), size - bytes);
}

/* The free block before `t`, or NULL if its footer or tag is damaged. */
static struct heap_tag *block_prev(const struct heap *h, struct heap_tag *t)
{
	uint64_t size = ((uint64_t *)t)[-1];
	struct heap_tag *prev = (struct heap_tag *)((char *)t - size);

	if (size < BLOCK_MIN || size % HEAP_ALIGN || !tag_ok(h, prev))
		return NULL;
	return !tag_used(prev) && tag_size(prev) == size ? prev : NULL;
}

/* ---- arenas ---- */

/* Arenas double from 64 KiB up to 1 MiB, so a small process stays small. */
static size_t arena_target(const struct heap *h)
{
	return HEAP_GROW_UNIT << (h->nr_arenas < ARENA_MAX_DOUBLINGS ? h->nr_arenas
								     : ARENA_MAX_DOUBLINGS);
}

/* Turn region `r` of `bytes` into an arena holding one free block. */
static void arena_adopt(struct heap *h, struct heap_region *r, size_t bytes)
{
	struct heap_tag *end = (struct heap_tag *)((char *)r + bytes) - 1;

	r->bytes = bytes;
	region_link(&h->arenas, r);
	h->nr_arenas++;
	tag_set(h, &r->tag, TAG_USED | TAG_LARGE);
	tag_set(h, end, TAG_USED | TAG_LARGE);
	block_make_free(h, (struct heap_tag *)(r + 1), bytes - ARENA_OVERHEAD);
}

static struct heap_free_block *arena_grow(struct heap *h, size_t bytes)
{
	size_t want = (bytes + ARENA_OVERHEAD + HEAP_GROW_UNIT - 1) & ~(HEAP_GROW_UNIT - 1);
	struct heap_region *r;

	if (want < arena_target(h))
		want = arena_target(h);
	r = provider_grow(h, want);
	if (!r)
		return NULL;
	arena_adopt(h, r, want);
	return (struct heap_free_block *)(r + 1);
}

static void arena_release(struct heap *h, struct heap_region *r)
{
	bin_remove(h, (struct heap_free_block *)(r + 1));
	region_unlink(&h->arenas, r);
	h->nr_arenas--;
	provider_shrink(h, r, r->bytes);
}

/* The arena that free block `t` fills entirely, or NULL. */
static struct heap_region *arena_if_empty(const struct heap *h, struct heap_tag *t)
{
	struct heap_tag *before = t - 1;

	if (tag_size(tag_next(t)) != 0 || !tag_ok(h, before) || before->info != TAG_USED)
		return NULL;
	return (struct heap_region *)((char *)t - REGION_HDR);
}

/* Give back an empty arena unless the other free blocks are too few. */
static void arena_maybe_release(struct heap *h, struct heap_tag *t)
{
	struct heap_region *r;

	if (!h->ops.shrink || !(r = arena_if_empty(h, t)))
		return;
	if (h->free_bytes - tag_size(t) >= r->bytes)
		arena_release(h, r);
}

void heap_arena_trim(struct heap *h)
{
	struct heap_region *r = h->arenas, *next;

	for (; h->ops.shrink && r; r = next) {
		next = r->next;
		if (!tag_used((struct heap_tag *)(r + 1)) && arena_if_empty(h, (void *)(r + 1)))
			arena_release(h, r);
	}
}

/* ---- the large tier's API ---- */

struct heap_tag *heap_block_alloc(struct heap *h, size_t bytes, uint64_t kind)
{
	struct heap_free_block *f = bin_find(h, bytes);
	struct heap_tag *t;

	if (!f && !(f = arena_grow(h, bytes)))
		return NULL;
	bin_remove(h, f);
	t = &f->tag;
	tag_set(h, t, tag_size(t) | kind | TAG_USED);
	block_set_prev_free(h, tag_next(t), false);
	block_split(h, t, bytes);
	return t;
}

int heap_block_free(struct heap *h, struct heap_tag *t)
{
	struct heap_tag *prev = NULL;
	size_t bytes = tag_size(t);

	if (!tag_ok(h, tag_next(t)))
		return HEAP_ECORRUPT;
	if ((t->info & TAG_PREV_FREE) && !(prev = block_prev(h, t)))
		return HEAP_ECORRUPT;
	if (prev) {
		bin_remove(h, (struct heap_free_block *)prev);
		bytes += tag_size(prev);
		tag_wipe(h, t);
		t = prev;
	}
	block_release(h, t, bytes);
	arena_maybe_release(h, t);
	return HEAP_OK;
}

bool heap_block_resize(struct heap *h, struct heap_tag *t, size_t bytes)
{
	struct heap_tag *next = tag_next(t);
	size_t size = tag_size(t);

	if (!tag_ok(h, next))
		return false;
	if (bytes > size) {
		if (tag_used(next) || size + tag_size(next) < bytes)
			return false;
		bin_remove(h, (struct heap_free_block *)next);
		size += tag_size(next);
		tag_wipe(h, next);
		tag_set(h, t, (t->info & ~TAG_SIZE) | size);
		block_set_prev_free(h, tag_next(t), false);
	}
	block_split(h, t, bytes);
	return true;
}

/* ---- huge regions ---- */

void *heap_huge_alloc(struct heap *h, size_t n)
{
	size_t bytes = (n + REGION_HDR + HEAP_GROW_UNIT - 1) & ~(HEAP_GROW_UNIT - 1);
	struct heap_region *r = provider_grow(h, bytes);

	if (!r)
		return NULL;
	r->bytes = bytes;
	region_link(&h->huge, r);
	tag_set(h, &r->tag, bytes | TAG_HUGE | TAG_USED);
	return r + 1;
}

struct heap_region *heap_huge_find(const struct heap *h, const void *p)
{
	for (struct heap_region *r = h->huge; r; r = r->next) {
		if ((const void *)(r + 1) == p)
			return r;
	}
	return NULL;
}

bool heap_in_arena(const struct heap *h, const void *p)
{
	for (struct heap_region *r = h->arenas; r; r = r->next) {
		if ((const char *)p > (const char *)r &&
		    (const char *)p < (const char *)r + r->bytes)
			return true;
	}
	return false;
}

/* Without shrink the region is not lost: it becomes an arena. */
void heap_huge_free(struct heap *h, struct heap_region *r)
{
	region_unlink(&h->huge, r);
	if (h->ops.shrink)
		provider_shrink(h, r, r->bytes);
	else
		arena_adopt(h, r, r->bytes);
}
