/* SPDX-License-Identifier: MIT */
/*
 * Buddy frame allocator (see frame.h). Four layers, bottom up:
 *   free lists   list_push / list_remove: O(1) on 32-bit frame links;
 *   blocks       block_take splits a larger block, block_release merges
 *                with free buddies; both O(FRAME_NR_ORDERS);
 *   ranges       range_release cuts [start, end) into maximal aligned
 *                blocks, so a range costs O(log) list operations;
 *   boot map     frame_build sorts and merges the map (heapsort, in the
 *                caller's scratch), subtracts reserved from usable in one
 *                linear sweep and releases what is left.
 * Every frame carries FRAME_F_FREE while free, so a double free of any
 * frame, including one inside a free block, is caught in O(1).
 */
#include "frame.h"

#define NIL UINT32_MAX

static uint64_t order_frames(unsigned order)
{
	return (uint64_t)1 << order;
}

/* ---- free lists ---- */

static void list_push(struct frame_alloc *fa, uint64_t pfn, unsigned order)
{
	struct frame_meta *m = &fa->meta[pfn];
	uint32_t old = fa->head[order];

	m->next = old;
	m->prev = NIL;
	m->order = (uint8_t)order;
	m->flags |= FRAME_F_HEAD;
	if (old != NIL)
		fa->meta[old].prev = (uint32_t)pfn;
	fa->head[order] = (uint32_t)pfn;
	fa->nonempty |= 1u << order;
	fa->nblocks[order]++;
}

static void list_remove(struct frame_alloc *fa, uint64_t pfn)
{
	struct frame_meta *m = &fa->meta[pfn];
	unsigned order = m->order;

	if (m->prev != NIL)
		fa->meta[m->prev].next = m->next;
	else
		fa->head[order] = m->next;
	if (m->next != NIL)
		fa->meta[m->next].prev = m->prev;
	m->flags &= (uint8_t)~FRAME_F_HEAD;
	fa->nblocks[order]--;
	if (fa->head[order] == NIL)
		fa->nonempty &= ~(1u << order);
}

static bool is_free_head(const struct frame_alloc *fa, uint64_t pfn, unsigned order)
{
	const struct frame_meta *m = &fa->meta[pfn];

	return (m->flags & FRAME_F_HEAD) && m->order == order;
}

/* ---- blocks ---- */

/* Put a block whose frames are already marked free on its list, merging up. */
static void block_release(struct frame_alloc *fa, uint64_t pfn, unsigned order)
{
	while (order < FRAME_MAX_ORDER) {
		uint64_t buddy = pfn ^ order_frames(order);

		if (buddy >= fa->max_pfn || !is_free_head(fa, buddy, order))
			break;
		list_remove(fa, buddy);
		pfn &= ~order_frames(order);
		order++;
	}
	list_push(fa, pfn, order);
}

/* Take the free block at pfn (order k) off its list, keeping its first 2^order frames. */
static void block_split(struct frame_alloc *fa, uint64_t pfn, unsigned k, unsigned order)
{
	list_remove(fa, pfn);
	while (k > order) {
		k--;
		list_push(fa, pfn + order_frames(k), k);
	}
}

/* Remove a free block of exactly `order`, splitting the smallest larger one. */
static int block_take(struct frame_alloc *fa, unsigned order, uint64_t *out)
{
	uint32_t avail = fa->nonempty >> order;

	if (avail == 0)
		return FRAME_ENOMEM;
	unsigned k = order + (unsigned)__builtin_ctz(avail);
	uint64_t pfn = fa->head[k];
	block_split(fa, pfn, k, order);
	*out = pfn;
	return FRAME_OK;
}

/*
 * The same, for a block that ends by frame `limit`: the first fitting block
 * of the smallest order that has one. This walks the free lists, where
 * block_take is O(1), so it looks at no more than FRAME_BELOW_SCAN blocks
 * and reports FRAME_ENOMEM after that; only allocations with a limit (DMA
 * for devices without 64-bit addressing) pay it.
 */
static int block_take_below(struct frame_alloc *fa, unsigned order, uint64_t limit, uint64_t *out)
{
	unsigned budget = FRAME_BELOW_SCAN;

	for (unsigned k = order; k < FRAME_NR_ORDERS; k++) {
		for (uint32_t pfn = fa->head[k]; pfn != NIL && budget; pfn = fa->meta[pfn].next) {
			budget--;
			if (pfn + order_frames(order) <= limit) {
				block_split(fa, pfn, k, order);
				*out = pfn;
				return FRAME_OK;
			}
		}
	}
	return FRAME_ENOMEM;
}

/* ---- ranges of frames ---- */

/* Largest order of an aligned block starting at pfn and ending by end. */
static unsigned block_order_at(uint64_t pfn, uint64_t end)
{
	unsigned order = 0;

	while (order < FRAME_MAX_ORDER && (pfn & (order_frames(order + 1) - 1)) == 0 &&
	       order_frames(order + 1) <= end - pfn)
		order++;
	return order;
}

static void range_release(struct frame_alloc *fa, uint64_t pfn, uint64_t end)
{
	while (pfn < end) {
		unsigned order = block_order_at(pfn, end);

		block_release(fa, pfn, order);
		pfn += order_frames(order);
	}
}

static void range_set_free(struct frame_alloc *fa, uint64_t pfn, uint64_t end, bool free)
{
	for (; pfn < end; pfn++) {
		if (free)
			fa->meta[pfn].flags |= FRAME_F_FREE;
		else
			fa->meta[pfn].flags &= (uint8_t)~FRAME_F_FREE;
	}
}

/* Checks only: every frame of the run is managed and allocated. */
static int run_check_allocated(const struct frame_alloc *fa, paddr_t pa, uint64_t n,
			       uint64_t *pfn_out)
{
	uint64_t pfn = pa >> PAGE_SHIFT;

	if (!fa->built || (pa & PAGE_MASK) || n == 0)
		return FRAME_EINVAL;
	if (pfn >= fa->max_pfn || n > fa->max_pfn - pfn)
		return FRAME_ERANGE;
	for (uint64_t i = pfn; i < pfn + n; i++) {
		uint8_t flags = fa->meta[i].flags;

		if (!(flags & FRAME_F_MANAGED))
			return FRAME_ERANGE;
		if (flags & FRAME_F_FREE)
			return FRAME_EDOUBLE;
	}
	*pfn_out = pfn;
	return FRAME_OK;
}

/* ---- public allocation API ---- */

size_t frame_meta_size(uint64_t max_pfn)
{
	if (max_pfn > FRAME_MAX_PFN)
		return 0;
	return (size_t)max_pfn * sizeof(struct frame_meta);
}

int frame_init(struct frame_alloc *fa, void *meta, size_t meta_size, uint64_t max_pfn)
{
	if (!fa || !meta || max_pfn == 0 || max_pfn > FRAME_MAX_PFN)
		return FRAME_EINVAL;
	if ((uintptr_t)meta % _Alignof(struct frame_meta) || meta_size < frame_meta_size(max_pfn))
		return FRAME_EINVAL;
	fa->meta = meta;
	fa->max_pfn = max_pfn;
	for (unsigned k = 0; k < FRAME_NR_ORDERS; k++) {
		fa->head[k] = NIL;
		fa->nblocks[k] = 0;
	}
	fa->nonempty = 0;
	fa->free_frames = 0;
	fa->total_frames = 0;
	fa->built = false;
	for (uint64_t pfn = 0; pfn < max_pfn; pfn++)
		fa->meta[pfn] = (struct frame_meta){.next = NIL, .prev = NIL};
	return FRAME_OK;
}

int frame_alloc_one(struct frame_alloc *fa, paddr_t *out)
{
	return frame_alloc_run(fa, 1, 1, out);
}

int frame_free_one(struct frame_alloc *fa, paddr_t pa)
{
	return frame_free_run(fa, pa, 1);
}

/* Smallest order covering n frames and an alignment of `align` frames. */
static int run_order(uint64_t n, uint64_t align, unsigned *out)
{
	unsigned order = 0;

	if (n == 0 || align == 0 || (align & (align - 1)))
		return FRAME_EINVAL;
	if (n > order_frames(FRAME_MAX_ORDER) || align > order_frames(FRAME_MAX_ORDER))
		return FRAME_EINVAL;
	while (order_frames(order) < n || order_frames(order) < align)
		order++;
	*out = order;
	return FRAME_OK;
}

int frame_alloc_run(struct frame_alloc *fa, uint64_t nframes, uint64_t align_frames, paddr_t *out)
{
	return frame_alloc_run_below(fa, nframes, align_frames, FRAME_NO_LIMIT, out);
}

int frame_alloc_run_below(struct frame_alloc *fa, uint64_t nframes, uint64_t align_frames,
			  paddr_t limit, paddr_t *out)
{
	unsigned order;
	uint64_t pfn, limit_pfn = limit >> PAGE_SHIFT;
	int err;

	if (!fa->built || !out)
		return FRAME_EINVAL;
	err = run_order(nframes, align_frames, &order);
	if (err == FRAME_OK)
		err = limit_pfn >= fa->max_pfn ? block_take(fa, order, &pfn)
					       : block_take_below(fa, order, limit_pfn, &pfn);
	if (err != FRAME_OK)
		return err;
	range_set_free(fa, pfn, pfn + nframes, false);
	range_release(fa, pfn + nframes, pfn + order_frames(order));
	fa->free_frames -= nframes;
	*out = pfn << PAGE_SHIFT;
	return FRAME_OK;
}

int frame_free_run(struct frame_alloc *fa, paddr_t pa, uint64_t nframes)
{
	uint64_t pfn;
	int err = run_check_allocated(fa, pa, nframes, &pfn);

	if (err != FRAME_OK)
		return err;
	range_set_free(fa, pfn, pfn + nframes, true);
	range_release(fa, pfn, pfn + nframes);
	fa->free_frames += nframes;
	return FRAME_OK;
}

uint64_t frame_free_count(const struct frame_alloc *fa)
{
	return fa->free_frames;
}

uint64_t frame_total_count(const struct frame_alloc *fa)
{
	return fa->total_frames;
}

/* ---- boot: memory map to free blocks ---- */

static void range_swap(struct mem_range *a, struct mem_range *b)
{
	struct mem_range t = *a;

	*a = *b;
	*b = t;
}

static void heap_sift_down(struct mem_range *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1].start > a[child].start)
			child++;
		if (a[root].start >= a[child].start)
			return;
		range_swap(&a[root], &a[child]);
		root = child;
	}
}

/* Heapsort by start: O(n log n) worst case, in place, no recursion. */
static void ranges_sort(struct mem_range *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		heap_sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		range_swap(&a[0], &a[end]);
		heap_sift_down(a, 0, end);
	}
}

/* Sort, then merge overlapping and touching ranges. Returns the new count. */
static size_t ranges_normalize(struct mem_range *a, size_t n)
{
	size_t out = 0;

	ranges_sort(a, n);
	for (size_t i = 0; i < n; i++) {
		if (out > 0 && a[i].start <= a[out - 1].end) {
			a[out - 1].end = MAX(a[out - 1].end, a[i].end);
			continue;
		}
		a[out++] = a[i];
	}
	return out;
}

static uint64_t pfn_ceil(paddr_t addr)
{
	return (addr >> PAGE_SHIFT) + ((addr & PAGE_MASK) != 0);
}

/* Copy non-empty ranges. */
static size_t ranges_copy(const struct mem_range *in, size_t n, struct mem_range *out)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i].start < in[i].end)
			out[count++] = in[i];
	}
	return count;
}

/* Byte ranges to frame ranges clipped to max_pfn; inward or outward. */
static size_t ranges_to_pfns(struct mem_range *a, size_t n, uint64_t max_pfn, bool inward)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t start = inward ? pfn_ceil(a[i].start) : a[i].start >> PAGE_SHIFT;
		uint64_t end = inward ? a[i].end >> PAGE_SHIFT : pfn_ceil(a[i].end);

		end = MIN(end, max_pfn);
		if (start < end)
			a[count++] = (struct mem_range){start, end};
	}
	return count;
}

static void manage_range(struct frame_alloc *fa, uint64_t pfn, uint64_t end)
{
	for (uint64_t i = pfn; i < end; i++)
		fa->meta[i].flags = FRAME_F_MANAGED | FRAME_F_FREE;
	range_release(fa, pfn, end);
	fa->total_frames += end - pfn;
	fa->free_frames += end - pfn;
}

/*
 * Manage u minus r, both sorted and disjoint (frame units). The reserved
 * cursor only moves forward, so the sweep is O(nu + nr) plus the frames.
 */
static void manage_difference(struct frame_alloc *fa, const struct mem_range *u, size_t nu,
			      const struct mem_range *r, size_t nr)
{
	size_t j = 0;

	for (size_t i = 0; i < nu; i++) {
		uint64_t cur = u[i].start;

		while (j < nr && r[j].end <= cur)
			j++;
		for (size_t k = j; k < nr && r[k].start < u[i].end; k++) {
			if (r[k].start > cur)
				manage_range(fa, cur, r[k].start);
			cur = MAX(cur, r[k].end);
		}
		if (cur < u[i].end)
			manage_range(fa, cur, u[i].end);
	}
}

int frame_build(struct frame_alloc *fa, const struct mem_range *usable, size_t n_usable,
		const struct mem_range *reserved, size_t n_reserved, struct mem_range *scratch,
		size_t n_scratch)
{
	struct mem_range *u = scratch, *r;
	size_t nu, nr;

	if (!fa || !fa->meta || fa->built)
		return FRAME_EINVAL;
	if ((n_usable && !usable) || (n_reserved && !reserved) || (!scratch && n_scratch))
		return FRAME_EINVAL;
	if (n_usable > n_scratch || n_reserved > n_scratch - n_usable)
		return FRAME_EINVAL;
	/* Usable: union in bytes first, so a frame split across entries counts. */
	nu = ranges_normalize(u, ranges_copy(usable, n_usable, u));
	nu = ranges_to_pfns(u, nu, fa->max_pfn, true);
	r = u + nu;
	nr = ranges_to_pfns(r, ranges_copy(reserved, n_reserved, r), fa->max_pfn, false);
	nr = ranges_normalize(r, nr);
	manage_difference(fa, u, nu, r, nr);
	fa->built = true;
	return FRAME_OK;
}

/* ---- boot: where to put the metadata ---- */

static const struct mem_range *first_overlap(const struct mem_range *r, size_t n, uint64_t start,
					     uint64_t end)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].start < end && start < r[i].end)
			return &r[i];
	}
	return NULL;
}

/* Lowest fit inside one usable range: skip past each reserved range hit. */
static int fit_in_range(const struct mem_range *u, const struct mem_range *reserved, size_t nr,
			uint64_t size, paddr_t *out)
{
	uint64_t lo, hi = ALIGN_DOWN(u->end, PAGE_SIZE);

	if (u->start > UINT64_MAX - PAGE_MASK)
		return FRAME_ENOMEM;
	lo = MAX(ALIGN_UP(u->start, PAGE_SIZE), (uint64_t)FRAME_LOW_LIMIT);
	while (lo < hi && hi - lo >= size) {
		const struct mem_range *hit = first_overlap(reserved, nr, lo, lo + size);

		if (!hit) {
			*out = lo;
			return FRAME_OK;
		}
		if (hit->end > UINT64_MAX - PAGE_MASK)
			return FRAME_ENOMEM;
		lo = ALIGN_UP(hit->end, PAGE_SIZE);
	}
	return FRAME_ENOMEM;
}

int frame_pick_meta_region(const struct mem_range *usable, size_t n,
			   const struct mem_range *reserved, size_t nr, size_t bytes, paddr_t *out)
{
	bool found = false;
	paddr_t best = 0;

	if (!out || bytes == 0 || (n && !usable) || (nr && !reserved))
		return FRAME_EINVAL;
	if (bytes > UINT64_MAX - PAGE_MASK)
		return FRAME_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		paddr_t pa;

		if (fit_in_range(&usable[i], reserved, nr, ALIGN_UP(bytes, PAGE_SIZE), &pa) ==
			    FRAME_OK &&
		    (!found || pa < best)) {
			best = pa;
			found = true;
		}
	}
	if (!found)
		return FRAME_ENOMEM;
	*out = best;
	return FRAME_OK;
}

/* ---- invariant checker ---- */

/* Every frame of the block is managed and free; only the first is a head. */
static bool check_block(const struct frame_alloc *fa, uint64_t pfn, unsigned order)
{
	if ((pfn & (order_frames(order) - 1)) || order_frames(order) > fa->max_pfn - pfn)
		return false;
	for (uint64_t i = pfn; i < pfn + order_frames(order); i++) {
		uint8_t want = FRAME_F_MANAGED | FRAME_F_FREE | (i == pfn ? FRAME_F_HEAD : 0);

		if (fa->meta[i].flags != want)
			return false;
	}
	if (order < FRAME_MAX_ORDER) {
		uint64_t buddy = pfn ^ order_frames(order);

		if (buddy < fa->max_pfn && is_free_head(fa, buddy, order))
			return false;
	}
	return true;
}

/* Walk one list; add its frames to *frames. Bounded even if links loop. */
static bool check_list(const struct frame_alloc *fa, unsigned order, uint64_t *frames)
{
	uint32_t prev = NIL;
	uint64_t count = 0;

	for (uint32_t pfn = fa->head[order]; pfn != NIL; pfn = fa->meta[pfn].next) {
		if (pfn >= fa->max_pfn || count++ >= fa->max_pfn)
			return false;
		if (fa->meta[pfn].prev != prev || fa->meta[pfn].order != order)
			return false;
		if (!check_block(fa, pfn, order))
			return false;
		prev = pfn;
	}
	*frames += count * order_frames(order);
	return count == fa->nblocks[order] && ((fa->nonempty >> order) & 1) == (count != 0);
}

/* Per-frame totals must agree with the counters and the lists. */
static bool check_frames(const struct frame_alloc *fa)
{
	uint64_t managed = 0, free = 0, heads = 0, blocks = 0;

	for (uint64_t pfn = 0; pfn < fa->max_pfn; pfn++) {
		uint8_t flags = fa->meta[pfn].flags;

		if (!(flags & FRAME_F_MANAGED) && flags != 0)
			return false;
		managed += (flags & FRAME_F_MANAGED) != 0;
		free += (flags & FRAME_F_FREE) != 0;
		heads += (flags & FRAME_F_HEAD) != 0;
	}
	for (unsigned k = 0; k < FRAME_NR_ORDERS; k++)
		blocks += fa->nblocks[k];
	return managed == fa->total_frames && free == fa->free_frames && heads == blocks;
}

bool frame_check(const struct frame_alloc *fa)
{
	uint64_t listed = 0;

	if (!fa || !fa->meta || (fa->nonempty >> FRAME_NR_ORDERS) != 0)
		return false;
	for (unsigned k = 0; k < FRAME_NR_ORDERS; k++) {
		if (!check_list(fa, k, &listed))
			return false;
	}
	return listed == fa->free_frames && check_frames(fa);
}
