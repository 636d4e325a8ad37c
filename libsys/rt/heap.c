/* SPDX-License-Identifier: MIT */
/*
 * The heap's API and its small tier (see sys/heap.h, layout in heap_impl.h).
 *
 *   small tier  a request up to HEAP_SMALL_MAX maps to one of 20 classes
 *               (16-byte steps to 128, then four classes per power of two);
 *               each class has a list of spans with a free slot. A slot is
 *               taken from the span's free list or, if that is empty, from
 *               its never-used tail, so a new span costs O(1). A span that
 *               empties goes back to the large tier unless it is the class's
 *               last one.
 *   API         checks the tag behind every pointer it is given, dispatches
 *               by tier, and keeps the counters.
 */
#include "heap_impl.h"

#include <string.h>

/* ---- small tier ---- */

static unsigned small_class(size_t n)
{
	size_t m = n ? n - 1 : 0;
	unsigned fl;

	if (m < 128)
		return (unsigned)(m >> 4);
	fl = heap_log2(m);
	return 8 + (fl - 7) * 4 + (unsigned)((m >> (fl - 2)) & 3);
}

static void span_push(struct heap *h, struct heap_span *s)
{
	s->prev = NULL;
	s->next = h->partial[s->cls];
	if (s->next)
		s->next->prev = s;
	h->partial[s->cls] = s;
}

static void span_unlink(struct heap *h, struct heap_span *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static struct heap_span *span_new(struct heap *h, unsigned cls)
{
	size_t bytes = heap_span_bytes(cls);
	size_t slot = heap_class_size(cls) + sizeof(struct heap_tag);
	struct heap_tag *t = heap_block_alloc(h, bytes, TAG_SPAN);
	struct heap_span *s;

	if (!t)
		return NULL;
	s = (struct heap_span *)(t + 1);
	s->free = NULL;
	s->bump = (char *)(s + 1);
	s->end = s->bump + (bytes - sizeof(*t) - SPAN_HDR) / slot * slot;
	s->live = 0;
	s->cls = cls;
	span_push(h, s);
	return s;
}

static void span_release(struct heap *h, struct heap_span *s)
{
	span_unlink(h, s);
	heap_block_free(h, (struct heap_tag *)s - 1);
}

static void *small_alloc(struct heap *h, unsigned cls)
{
	struct heap_span *s = h->partial[cls];
	struct heap_tag *t;

	if (!s && !(s = span_new(h, cls)))
		return NULL;
	if (s->free) {
		t = s->free;
		s->free = *(struct heap_tag **)(t + 1);
	} else {
		t = (struct heap_tag *)s->bump;
		s->bump += heap_class_size(cls) + sizeof(*t);
	}
	s->live++;
	if (span_full(s))
		span_unlink(h, s);
	tag_set(h, t, (uint64_t)((char *)t - (char *)s) << 32 | cls << 8 | TAG_SMALL | TAG_USED);
	return t + 1;
}

static void small_free(struct heap *h, struct heap_tag *t)
{
	struct heap_span *s = tag_span(t);
	bool was_full = span_full(s);

	tag_set(h, t, t->info & ~TAG_USED);
	*(struct heap_tag **)(t + 1) = s->free;
	s->free = t;
	if (was_full)
		span_push(h, s);
	if (--s->live == 0 && (h->partial[s->cls] != s || s->next))
		span_release(h, s);
}

/* ---- tiers ---- */

static size_t large_bytes(size_t n)
{
	size_t bytes = ((n + HEAP_ALIGN - 1) & ~(size_t)(HEAP_ALIGN - 1)) + sizeof(struct heap_tag);

	return bytes < BLOCK_MIN ? BLOCK_MIN : bytes;
}

static void *big_alloc(struct heap *h, size_t n)
{
	struct heap_tag *t;

	if (n > HEAP_HUGE_MIN)
		return n <= HEAP_MAX_ALLOC ? heap_huge_alloc(h, n) : NULL;
	t = heap_block_alloc(h, large_bytes(n), TAG_LARGE);
	return t ? t + 1 : NULL;
}

static int tier_free(struct heap *h, struct heap_tag *t)
{
	switch (tag_kind(t)) {
	case TAG_SMALL:
		small_free(h, t);
		return HEAP_OK;
	case TAG_HUGE:
		heap_huge_free(h, (struct heap_region *)(t + 1) - 1);
		return HEAP_OK;
	default:
		return heap_block_free(h, t);
	}
}

static bool tier_resize(struct heap *h, struct heap_tag *t, size_t n)
{
	switch (tag_kind(t)) {
	case TAG_SMALL:
		return n <= heap_class_size(tag_class(t));
	case TAG_HUGE:
		return n <= tag_usable(t) && n > tag_usable(t) / 2;
	default:
		return n <= HEAP_HUGE_MIN && heap_block_resize(h, t, large_bytes(n));
	}
}

/*
 * The tag of the live allocation at `p`, or NULL with *err set. A pointer
 * at the offset huge allocations have is looked up in the huge list first,
 * and its tag is read only if it lies in an arena: a freed huge region may
 * be unmapped already.
 */
static ALWAYS_INLINE struct heap_tag *heap_lookup(const struct heap *h, const void *p, int *err)
{
	struct heap_region *r;
	struct heap_tag *t;

	*err = HEAP_EINVAL;
	if ((uintptr_t)p % HEAP_ALIGN || (uintptr_t)p < HEAP_PROVIDER_ALIGN)
		return NULL;
	if ((uintptr_t)p % HEAP_PROVIDER_ALIGN == REGION_HDR) {
		if ((r = heap_huge_find(h, p)))
			return &r->tag;
		if (!heap_in_arena(h, p))
			return NULL;
	}
	t = (struct heap_tag *)p - 1;
	if (!tag_ok(h, t))
		return NULL;
	if (!tag_used(t)) {
		*err = HEAP_EDOUBLE;
		return NULL;
	}
	if (tag_kind(t) == TAG_SMALL || (tag_kind(t) == TAG_LARGE && tag_size(t) >= BLOCK_MIN))
		return t;
	return NULL;
}

static int heap_refuse(struct heap *h, int err)
{
	h->st.invalid_frees++;
	return err;
}

/* ---- API ---- */

int heap_init(struct heap *h, const struct heap_ops *ops)
{
	uint64_t seed;

	if (!h || !ops || !ops->grow)
		return HEAP_EINVAL;
	memset(h, 0, sizeof(*h));
	h->ops = *ops;
	seed = (uintptr_t)h ^ 0x6a09e667f3bcc909ull;
	seed = (seed ^ seed >> 31) * 0xbf58476d1ce4e5b9ull;
	h->secret = seed ^ seed >> 29;
	return HEAP_OK;
}

static void count_alloc(struct heap *h, size_t usable)
{
	h->st.allocs++;
	h->st.live++;
	h->st.bytes_in_use += usable;
}

void *heap_alloc(struct heap *h, size_t n)
{
	unsigned cls;
	void *p;

	if (n <= HEAP_SMALL_MAX) {
		cls = small_class(n);
		if ((p = small_alloc(h, cls)))
			count_alloc(h, heap_class_size(cls));
	} else if ((p = big_alloc(h, n))) {
		count_alloc(h, tag_usable((struct heap_tag *)p - 1));
	}
	return p;
}

void *heap_calloc(struct heap *h, size_t n, size_t m)
{
	size_t bytes;
	void *p;

	if (__builtin_mul_overflow(n, m, &bytes))
		return NULL;
	p = heap_alloc(h, bytes);
	if (p)
		memset(p, 0, bytes);
	return p;
}

int heap_free(struct heap *h, void *p)
{
	struct heap_tag *t;
	size_t usable;
	int err;

	if (!p)
		return HEAP_OK;
	if (!(t = heap_lookup(h, p, &err)))
		return heap_refuse(h, err);
	usable = tag_usable(t);
	if ((err = tier_free(h, t)))
		return heap_refuse(h, err);
	h->st.frees++;
	h->st.live--;
	h->st.bytes_in_use -= usable;
	return HEAP_OK;
}

void *heap_realloc(struct heap *h, void *p, size_t n)
{
	struct heap_tag *t;
	size_t old;
	void *q;
	int err;

	if (!p)
		return heap_alloc(h, n);
	if (!n) {
		heap_free(h, p);
		return NULL;
	}
	if (!(t = heap_lookup(h, p, &err))) {
		heap_refuse(h, err);
		return NULL;
	}
	old = tag_usable(t);
	if (tier_resize(h, t, n)) {
		h->st.bytes_in_use = h->st.bytes_in_use - old + tag_usable(t);
		return p;
	}
	if (!(q = heap_alloc(h, n)))
		return NULL;
	memcpy(q, p, old < n ? old : n);
	heap_free(h, p);
	return q;
}

size_t heap_usable_size(const struct heap *h, const void *p)
{
	struct heap_tag *t;
	int err;

	t = heap_lookup(h, p, &err);
	return t ? tag_usable(t) : 0;
}

void heap_trim(struct heap *h)
{
	for (unsigned cls = 0; cls < HEAP_NR_CLASSES; cls++) {
		struct heap_span *s = h->partial[cls], *next;

		for (; s; s = next) {
			next = s->next;
			if (s->live == 0)
				span_release(h, s);
		}
	}
	heap_arena_trim(h);
}

void heap_stats(const struct heap *h, struct heap_stats *out)
{
	*out = h->st;
}
