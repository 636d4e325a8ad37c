/* SPDX-License-Identifier: MIT */
/*
 * Slab allocator (see slab.h). Three layers, bottom up:
 *   slab page    a 64-byte header then equal slots; a 256-bit map marks
 *                free slots, so taking one is a find-first-set over four
 *                words and a free can check the slot is really live;
 *   page lists   per class, doubly linked lists of partial and full pages
 *                plus one cached empty page, so alloc and free are O(1);
 *   heap         size to class, counters, and the page provider.
 */
#include "slab.h"

#define SLAB_MAGIC     0x51ab5eedu
#define SLAB_MAP_WORDS 4

struct slab_page {
	uint32_t magic;
	uint8_t class_idx;
	uint8_t unused;
	uint16_t in_use;
	struct slab_page *next;
	struct slab_page *prev;
	struct slab_heap *heap;
	uint64_t free_map[SLAB_MAP_WORDS]; /* bit i set: slot i is free */
};

_Static_assert(sizeof(struct slab_page) == SLAB_HDR_SIZE, "slab header is one 64-byte line");
_Static_assert((SLAB_PAGE_SIZE - SLAB_HDR_SIZE) >> SLAB_MIN_SHIFT <= SLAB_MAP_WORDS * 64,
	       "free map covers every slot of the smallest class");

static size_t class_size(unsigned ci)
{
	return (size_t)1 << (SLAB_MIN_SHIFT + ci);
}

static unsigned class_slots(unsigned ci)
{
	return (unsigned)((SLAB_PAGE_SIZE - SLAB_HDR_SIZE) / class_size(ci));
}

static bool class_of(size_t size, unsigned *out)
{
	unsigned ci = 0;

	if (size == 0 || size > SLAB_MAX_SIZE)
		return false;
	while (class_size(ci) < size)
		ci++;
	*out = ci;
	return true;
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* ---- one slab page ---- */

static void page_init(struct slab_page *pg, struct slab_heap *h, unsigned ci)
{
	unsigned slots = class_slots(ci);

	*pg = (struct slab_page){.magic = SLAB_MAGIC, .class_idx = (uint8_t)ci, .heap = h};
	for (unsigned w = 0; w < SLAB_MAP_WORDS; w++) {
		unsigned first = w * 64;

		if (slots >= first + 64)
			pg->free_map[w] = ~(uint64_t)0;
		else if (slots > first)
			pg->free_map[w] = ((uint64_t)1 << (slots - first)) - 1;
	}
}

static void *page_slot(struct slab_page *pg, unsigned idx)
{
	return (char *)pg + SLAB_HDR_SIZE + (size_t)idx * class_size(pg->class_idx);
}

/* Take the lowest free slot; the caller knows one exists. */
static void *page_take(struct slab_page *pg)
{
	for (unsigned w = 0; w < SLAB_MAP_WORDS; w++) {
		uint64_t word = pg->free_map[w];

		if (word) {
			pg->free_map[w] = word & (word - 1);
			pg->in_use++;
			return page_slot(pg, w * 64 + (unsigned)__builtin_ctzll(word));
		}
	}
	return NULL;
}

static bool page_slot_free(const struct slab_page *pg, unsigned idx)
{
	return (pg->free_map[idx / 64] >> (idx % 64)) & 1;
}

static void page_put(struct slab_page *pg, unsigned idx)
{
	pg->free_map[idx / 64] |= (uint64_t)1 << (idx % 64);
	pg->in_use--;
}

/* ---- page lists ---- */

static void list_push(struct slab_page **head, struct slab_page *pg)
{
	pg->prev = NULL;
	pg->next = *head;
	if (*head)
		(*head)->prev = pg;
	*head = pg;
}

static void list_remove(struct slab_page **head, struct slab_page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		*head = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = pg->prev = NULL;
}

/* ---- pages from and to the provider ---- */

static struct slab_page *page_new(struct slab_heap *h, unsigned ci)
{
	void *p = h->ops.alloc_page(h->ops.ctx);

	if (!p || ((uintptr_t)p & (SLAB_PAGE_SIZE - 1))) {
		if (p)
			h->ops.free_page(h->ops.ctx, p);
		h->page_failures++;
		return NULL;
	}
	page_init(p, h, ci);
	h->classes[ci].pages++;
	return p;
}

static void page_destroy(struct slab_heap *h, struct slab_page *pg)
{
	h->classes[pg->class_idx].pages--;
	pg->magic = 0; /* a stale free into a reused page is not taken for live */
	h->ops.free_page(h->ops.ctx, pg);
}

/* A page with a free slot on the partial list: the spare, or a new one. */
static struct slab_page *class_refill(struct slab_heap *h, unsigned ci)
{
	struct slab_class *c = &h->classes[ci];
	struct slab_page *pg = c->spare;

	if (pg)
		c->spare = NULL;
	else
		pg = page_new(h, ci);
	if (pg)
		list_push(&c->partial, pg);
	return pg;
}

/* ---- heap ---- */

int slab_init(struct slab_heap *h, const struct slab_page_ops *ops)
{
	if (!h || !ops || !ops->alloc_page || !ops->free_page)
		return SLAB_EINVAL;
	*h = (struct slab_heap){.ops = *ops};
	return SLAB_OK;
}

void *slab_alloc(struct slab_heap *h, size_t size)
{
	struct slab_class *c;
	struct slab_page *pg;
	unsigned ci;
	void *obj;

	if (!class_of(size, &ci))
		return NULL;
	c = &h->classes[ci];
	pg = c->partial ? c->partial : class_refill(h, ci);
	if (!pg)
		return NULL;
	obj = page_take(pg);
	if (pg->in_use == class_slots(ci)) {
		list_remove(&c->partial, pg);
		list_push(&c->full, pg);
	}
	c->live++;
	c->allocs++;
	return obj;
}

/* Checks only: p is a live slot of a page of this heap. */
static int free_lookup(const struct slab_heap *h, void *p, struct slab_page **pg_out,
		       unsigned *idx_out)
{
	uintptr_t addr = (uintptr_t)p;
	struct slab_page *pg = (struct slab_page *)(addr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));
	uintptr_t off = addr - (uintptr_t)pg;
	size_t size;

	if (pg->magic != SLAB_MAGIC || pg->heap != h || pg->class_idx >= SLAB_NR_CLASSES)
		return SLAB_EINVAL;
	size = class_size(pg->class_idx);
	if (off < SLAB_HDR_SIZE || (off - SLAB_HDR_SIZE) % size != 0)
		return SLAB_EINVAL;
	if ((off - SLAB_HDR_SIZE) / size >= class_slots(pg->class_idx))
		return SLAB_EINVAL;
	*idx_out = (unsigned)((off - SLAB_HDR_SIZE) / size);
	*pg_out = pg;
	return page_slot_free(pg, *idx_out) ? SLAB_EDOUBLE : SLAB_OK;
}

/* The last object of pg went: keep it as the spare or give it back. */
static void class_page_emptied(struct slab_heap *h, struct slab_page *pg, bool was_full)
{
	struct slab_class *c = &h->classes[pg->class_idx];

	list_remove(was_full ? &c->full : &c->partial, pg);
	if (!c->spare)
		c->spare = pg;
	else
		page_destroy(h, pg);
}

int slab_free(struct slab_heap *h, void *p)
{
	struct slab_page *pg;
	struct slab_class *c;
	unsigned idx;
	bool was_full;
	int err;

	if (!p)
		return SLAB_OK;
	err = free_lookup(h, p, &pg, &idx);
	if (err != SLAB_OK) {
		h->invalid_frees++;
		return err;
	}
	c = &h->classes[pg->class_idx];
	was_full = pg->in_use == class_slots(pg->class_idx);
	page_put(pg, idx);
	c->live--;
	c->frees++;
	if (pg->in_use == 0) {
		class_page_emptied(h, pg, was_full);
	} else if (was_full) {
		list_remove(&c->full, pg);
		list_push(&c->partial, pg);
	}
	return SLAB_OK;
}

void slab_shrink(struct slab_heap *h)
{
	for (unsigned ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		struct slab_page *pg = h->classes[ci].spare;

		if (pg) {
			h->classes[ci].spare = NULL;
			page_destroy(h, pg);
		}
	}
}

void slab_stats(const struct slab_heap *h, struct slab_stats *out)
{
	*out = (struct slab_stats){.invalid_frees = h->invalid_frees,
				   .page_failures = h->page_failures};
	for (unsigned ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		const struct slab_class *c = &h->classes[ci];

		out->classes[ci] = (struct slab_class_stats){
			.size = (uint32_t)class_size(ci),
			.objs_per_page = class_slots(ci),
			.live = c->live,
			.allocs = c->allocs,
			.frees = c->frees,
			.pages = c->pages,
		};
		out->live += c->live;
		out->allocs += c->allocs;
		out->frees += c->frees;
		out->pages += c->pages;
	}
}

/* ---- invariant checker ---- */

/* Header sane and free map consistent with in_use and the slot count. */
static bool check_page(const struct slab_heap *h, const struct slab_page *pg, unsigned ci)
{
	unsigned slots = class_slots(ci), free = 0;

	if (((uintptr_t)pg & (SLAB_PAGE_SIZE - 1)) || pg->magic != SLAB_MAGIC)
		return false;
	if (pg->heap != h || pg->class_idx != ci || pg->in_use > slots)
		return false;
	for (unsigned w = 0; w < SLAB_MAP_WORDS; w++)
		free += popcount64(pg->free_map[w]);
	for (unsigned idx = slots; idx < SLAB_MAP_WORDS * 64; idx++) {
		if (page_slot_free(pg, idx))
			return false;
	}
	return free == slots - pg->in_use;
}

/* Walk a list whose pages must have in_use in [lo, hi]; count pages and objects. */
static bool check_list(const struct slab_heap *h, const struct slab_page *head, unsigned ci,
		       unsigned lo, unsigned hi, uint64_t *pages, uint64_t *live)
{
	const struct slab_page *prev = NULL;

	for (const struct slab_page *pg = head; pg; pg = pg->next) {
		if (*pages >= h->classes[ci].pages || pg->prev != prev)
			return false;
		if (!check_page(h, pg, ci) || pg->in_use < lo || pg->in_use > hi)
			return false;
		(*pages)++;
		*live += pg->in_use;
		prev = pg;
	}
	return true;
}

static bool check_class(const struct slab_heap *h, unsigned ci)
{
	const struct slab_class *c = &h->classes[ci];
	unsigned slots = class_slots(ci);
	uint64_t pages = 0, live = 0;

	if (!check_list(h, c->partial, ci, 1, slots - 1, &pages, &live) ||
	    !check_list(h, c->full, ci, slots, slots, &pages, &live))
		return false;
	if (c->spare) {
		if (!check_page(h, c->spare, ci) || c->spare->in_use != 0 || c->spare->next ||
		    c->spare->prev)
			return false;
		pages++;
	}
	return pages == c->pages && live == c->live && c->allocs - c->frees == c->live;
}

bool slab_check(const struct slab_heap *h)
{
	for (unsigned ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		if (!check_class(h, ci))
			return false;
	}
	return true;
}
