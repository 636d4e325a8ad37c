/* SPDX-License-Identifier: MIT */
/*
 * heap_check: walks every region the heap holds and checks each invariant
 * the allocator relies on, then compares what it counted with the bins, the
 * span lists and the counters. For tests and debug builds; O(memory held).
 *
 *   arenas  tags valid, sizes add up to the arena, TAG_PREV_FREE matches the
 *           block before, no two free blocks adjacent, footers right;
 *   spans   every carved slot has a valid small tag pointing back at its
 *           span, the live count and the free list agree with the slots;
 *   bins    each free block is in the bin its size maps to, links and
 *           bitmap consistent, and the bins hold exactly the free blocks;
 *   huge    tags valid and sizes whole grow units.
 *
 * heap_byte_at walks the same regions to pick a byte for a fault's bit flip.
 */
#include "heap_impl.h"

struct check_sum {
	uint64_t live, regions, free_blocks, partial_spans;
	size_t in_use, held, free_bytes;
};

static bool check_free_list(const struct heap_span *s, uint32_t nr_free)
{
	const char *first = (const char *)(s + 1);
	size_t slot = heap_class_size(s->cls) + sizeof(struct heap_tag);
	uint32_t n = 0;

	for (const struct heap_tag *t = s->free; t; t = *(struct heap_tag *const *)(t + 1)) {
		if (++n > nr_free || (const char *)t < first || (const char *)t >= s->bump)
			return false;
		if (((const char *)t - first) % slot || tag_used(t))
			return false;
	}
	return n == nr_free;
}

static bool check_span(const struct heap *h, const struct heap_tag *bt, struct check_sum *sum)
{
	const struct heap_span *s = (const struct heap_span *)(bt + 1);
	const char *first = (const char *)(s + 1);
	size_t slot;
	uint32_t used = 0, nr_free = 0;

	if (s->cls >= HEAP_NR_CLASSES || s->bump < first || s->bump > s->end)
		return false;
	slot = heap_class_size(s->cls) + sizeof(struct heap_tag);
	if (s->end > (const char *)tag_next(bt) || (size_t)(s->end - first) % slot)
		return false;
	for (const char *c = first; c < s->bump; c += slot) {
		const struct heap_tag *t = (const struct heap_tag *)c;

		if (!tag_ok(h, t) || tag_kind(t) != TAG_SMALL || tag_class(t) != s->cls)
			return false;
		if (tag_span(t) != s)
			return false;
		tag_used(t) ? used++ : nr_free++;
	}
	if ((size_t)(s->bump - first) % slot || used != s->live || !check_free_list(s, nr_free))
		return false;
	sum->live += used;
	sum->in_use += used * heap_class_size(s->cls);
	sum->partial_spans += !span_full(s);
	return true;
}

static bool check_block(const struct heap *h, const struct heap_tag *t, struct check_sum *sum)
{
	size_t size = tag_size(t);

	if (!tag_used(t)) {
		sum->free_blocks++;
		sum->free_bytes += size;
		return tag_kind(t) == TAG_LARGE && *block_footer(t) == size;
	}
	if (tag_kind(t) == TAG_SPAN)
		return check_span(h, t, sum);
	sum->live++;
	sum->in_use += tag_usable(t);
	return tag_kind(t) == TAG_LARGE;
}

static bool check_arena(const struct heap *h, const struct heap_region *r, struct check_sum *sum)
{
	const struct heap_tag *t = (const struct heap_tag *)(r + 1);
	const struct heap_tag *end = (const struct heap_tag *)((const char *)r + r->bytes) - 1;
	bool prev_free = false;

	if (!tag_ok(h, &r->tag) || r->tag.info != TAG_USED || r->bytes % HEAP_GROW_UNIT)
		return false;
	while (t < end) {
		size_t size = tag_size(t);

		if (!tag_ok(h, t) || size < BLOCK_MIN ||
		    size > (size_t)((const char *)end - (const char *)t))
			return false;
		if (!!(t->info & TAG_PREV_FREE) != prev_free || (prev_free && !tag_used(t)))
			return false;
		if (!check_block(h, t, sum))
			return false;
		prev_free = !tag_used(t);
		t = tag_next(t);
	}
	sum->held += r->bytes;
	sum->regions++;
	return t == end && tag_ok(h, end) && (end->info & ~TAG_PREV_FREE) == TAG_USED &&
	       !!(end->info & TAG_PREV_FREE) == prev_free;
}

static bool check_bin(const struct heap *h, unsigned b, struct check_sum *seen, uint64_t expected)
{
	const struct heap_free_block *prev = NULL;
	bool mapped = h->bin_map[b / 64] >> (b % 64) & 1;

	if (mapped != (h->bins[b] != NULL))
		return false;
	for (const struct heap_free_block *f = h->bins[b]; f; prev = f, f = f->next) {
		if (f->prev != prev || !tag_ok(h, &f->tag) || tag_used(&f->tag))
			return false;
		if (heap_bin_index(tag_size(&f->tag)) != b || ++seen->free_blocks > expected)
			return false;
		seen->free_bytes += tag_size(&f->tag);
	}
	return true;
}

static bool check_partial_lists(const struct heap *h, uint64_t expected)
{
	uint64_t n = 0;

	for (unsigned cls = 0; cls < HEAP_NR_CLASSES; cls++) {
		const struct heap_span *prev = NULL;

		for (const struct heap_span *s = h->partial[cls]; s; prev = s, s = s->next) {
			if (s->prev != prev || s->cls != cls || span_full(s) || ++n > expected)
				return false;
		}
	}
	return n == expected;
}

static bool check_huge(const struct heap *h, const struct heap_region *r, struct check_sum *sum)
{
	if (!tag_ok(h, &r->tag) || r->tag.info != (r->bytes | TAG_HUGE | TAG_USED))
		return false;
	if (r->bytes % HEAP_GROW_UNIT || (uintptr_t)r % HEAP_PROVIDER_ALIGN)
		return false;
	sum->live++;
	sum->in_use += tag_usable(&r->tag);
	sum->held += r->bytes;
	sum->regions++;
	return true;
}

static bool check_regions(const struct heap *h, struct check_sum *sum)
{
	const struct heap_region *prev = NULL;
	uint64_t arenas = 0;

	for (const struct heap_region *r = h->arenas; r; prev = r, r = r->next, arenas++) {
		if (r->prev != prev || !check_arena(h, r, sum))
			return false;
	}
	if (arenas != h->nr_arenas)
		return false;
	prev = NULL;
	for (const struct heap_region *r = h->huge; r; prev = r, r = r->next) {
		if (r->prev != prev || !check_huge(h, r, sum))
			return false;
	}
	return true;
}

bool heap_check(const struct heap *h)
{
	struct check_sum sum = {0}, bins = {0};
	const struct heap_stats *st = &h->st;

	if (!check_regions(h, &sum) || !check_partial_lists(h, sum.partial_spans))
		return false;
	for (unsigned b = 0; b < HEAP_NR_BINS; b++) {
		if (!check_bin(h, b, &bins, sum.free_blocks))
			return false;
	}
	if (bins.free_blocks != sum.free_blocks || bins.free_bytes != sum.free_bytes)
		return false;
	if (sum.free_bytes != h->free_bytes || sum.live != st->live ||
	    sum.in_use != st->bytes_in_use)
		return false;
	return sum.held == st->bytes_held && sum.regions == st->regions_held &&
	       st->allocs - st->frees == st->live;
}

static uint64_t held_bytes(const struct heap_region *r)
{
	uint64_t n = 0;

	for (; r; r = r->next)
		n += r->bytes;
	return n;
}

/* The byte `off` bytes into the regions of list r, one after the other. */
static unsigned char *byte_in(const struct heap_region *r, uint64_t off)
{
	for (; r; r = r->next) {
		if (off < r->bytes)
			return (unsigned char *)r + off;
		off -= r->bytes;
	}
	return NULL;
}

unsigned char *heap_byte_at(const struct heap *h, uint64_t r)
{
	uint64_t arenas = held_bytes(h->arenas), all = arenas + held_bytes(h->huge);

	if (all == 0)
		return NULL;
	uint64_t off = r % all;
	return off < arenas ? byte_in(h->arenas, off) : byte_in(h->huge, off - arenas);
}
