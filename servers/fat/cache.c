/* SPDX-License-Identifier: MIT */
/*
 * The FAT engine's block cache: a fixed set of sector-sized lines, found by
 * a hash of the sector number, kept in a list by last use (so the least
 * recently used line is found without a scan), written back (when a dirty
 * line must be evicted, or at cache_write_back, every dirty line goes, runs
 * of adjacent sectors as one request, through the device's own buffer when it
 * lends one; a run in the mirrored range, the first FAT, goes again from the
 * same bytes to each other copy). Large transfers go around it
 * (cache_read_direct, cache_write_direct) straight between the device and the caller's buffer;
 * the lowest and highest sector ever cached let them skip the lines without a scan when
 * they cannot overlap (the usual case), and otherwise dirty lines are written first (read) or
 * dropped (write). A miss can bring further sectors in
 * the same request (read-ahead: the file layer asks for the rest of a contiguous extent). A range
 * of sectors can be watched (the active FAT: cache_watch; the bits in cache_watch.c): a bit per
 * sector that a caller sets once it has checked the sector's bytes and that every change to them
 * clears (a line marked dirty or blank, a write around the cache over it, a mirror line refreshed),
 * so the caller need not check again while the bit stands. Every sector number is checked against
 * the volume's size here, the one place that talks to the device, so nothing outside the volume is
 * touched.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_impl.h"

#define CACHE_RUN_BYTES (256u << 10) /* one request through the bounce buffer: a write-back run */
#define CACHE_FILL_MAX	128	     /* sectors one miss reads (read-ahead) */

/* Sectors in one request through a bounce buffer of `bytes`: at least 1. */
static uint32_t run_sectors(const struct fat_blockdev *dev, size_t bytes)
{
	uint32_t n = bytes / dev->sector_size < CACHE_RUN_BYTES / dev->sector_size
			     ? (uint32_t)(bytes / dev->sector_size)
			     : CACHE_RUN_BYTES / dev->sector_size;

	if (dev->max_sectors && dev->max_sectors < n)
		n = dev->max_sectors;
	return n ? n : 1;
}

/*
 * Each cache's change count starts where no other cache of this process
 * started (2^40 apart), so a node read under one mount never matches a
 * count of another (fat_node_refresh).
 */
static uint64_t next_changes_start(void)
{
	static uint64_t caches;

	return (++caches << 40) | 1;
}

long cache_init(struct fat_cache *c, struct fat_blockdev *dev, uint64_t base, uint64_t limit,
		uint32_t bytes, uint8_t *io, size_t io_bytes)
{
	memset(c, 0, sizeof(*c));
	c->changes = next_changes_start();
	c->dev = dev;
	c->base = base;
	c->limit = limit;
	c->ss = dev->sector_size;
	c->lo = UINT64_MAX;
	c->nlines = bytes / c->ss < 64 ? 64 : bytes / c->ss;
	c->nbuckets = c->nlines;
	c->own_bounce = !io || io_bytes < c->ss;
	c->run_max = run_sectors(dev, c->own_bounce ? CACHE_RUN_BYTES : io_bytes);
	c->lines = calloc(c->nlines, sizeof(*c->lines));
	c->buckets = malloc(c->nbuckets * sizeof(*c->buckets));
	c->mem = malloc((size_t)c->nlines * c->ss);
	c->bounce = c->own_bounce ? malloc((size_t)c->run_max * c->ss) : io;
	c->sorted = malloc(c->nlines * sizeof(*c->sorted));
	if (!c->lines || !c->buckets || !c->mem || !c->bounce || !c->sorted) {
		cache_free(c);
		return E_NOMEM;
	}
	for (uint32_t i = 0; i < c->nbuckets; i++)
		c->buckets[i] = -1;
	for (uint32_t i = 0; i < c->nlines; i++) {
		c->lines[i] =
			(struct fat_cache_line){.data = c->mem + (size_t)i * c->ss,
						.next = -1,
						.newer = (int32_t)i - 1,
						.older = i + 1 < c->nlines ? (int32_t)i + 1 : -1};
	}
	c->newest = 0;
	c->oldest = (int32_t)c->nlines - 1;
	return E_OK;
}

void cache_free(struct fat_cache *c)
{
	free(c->lines);
	free(c->buckets);
	free(c->mem);
	if (c->own_bounce)
		free(c->bounce);
	free(c->sorted);
	free(c->watch);
	free(c->zero);
	c->watch = c->zero = NULL;
	c->watch_n = 0;
	c->lines = NULL;
	c->buckets = NULL;
	c->mem = c->bounce = NULL;
	c->sorted = NULL;
}

/* ---- the use order: a doubly linked list of line numbers, newest first ---- */

static void order_unlink(struct fat_cache *c, struct fat_cache_line *l)
{
	if (l->newer >= 0)
		c->lines[l->newer].older = l->older;
	else
		c->newest = l->older;
	if (l->older >= 0)
		c->lines[l->older].newer = l->newer;
	else
		c->oldest = l->newer;
}

/* l becomes the newest line (just used), or the oldest (emptied: taken first). */
static void order_put(struct fat_cache *c, struct fat_cache_line *l, bool newest)
{
	int32_t self = (int32_t)(l - c->lines);

	order_unlink(c, l);
	if (newest) {
		l->newer = -1;
		l->older = c->newest;
		if (c->newest >= 0)
			c->lines[c->newest].newer = self;
		c->newest = self;
		if (c->oldest < 0)
			c->oldest = self;
	} else {
		l->older = -1;
		l->newer = c->oldest;
		if (c->oldest >= 0)
			c->lines[c->oldest].older = self;
		c->oldest = self;
		if (c->newest < 0)
			c->newest = self;
	}
}

/* ---- watched sectors: the bits of those a change touches cleared (the bits: cache_watch.c) ----
 */

static void unwatch_range(struct fat_cache *c, uint64_t lba, uint64_t n)
{
	uint64_t end = c->watch_lo + c->watch_n;

	for (uint64_t at = lba > c->watch_lo ? lba : c->watch_lo; at < lba + n && at < end; at++)
		cache_unwatch_one(c, at);
}

/* Whether some of sectors [lba, lba + n) are watched (not the usual case: a table sector). */
static inline bool watched(const struct fat_cache *c, uint64_t lba, uint64_t n)
{
	return lba - c->watch_lo < c->watch_n || (lba < c->watch_lo && lba + n > c->watch_lo);
}

/* The bits of sectors [lba, lba + n) that are watched cleared (a write around the cache). */
static inline void unwatch(struct fat_cache *c, uint64_t lba, uint64_t n)
{
	if (watched(c, lba, n))
		unwatch_range(c, lba, n);
}

static inline __attribute__((always_inline)) void set_dirty(struct fat_cache *c,
							    struct fat_cache_line *l, bool dirty)
{
	if (dirty) { /* (it was, or is about to be, written: a change) */
		cache_line_mark_dirty(c, l);
		return;
	}
	c->ndirty -= l->dirty;
	l->dirty = false;
}

static uint32_t bucket_of(const struct fat_cache *c, uint64_t lba)
{
	return (uint32_t)((lba * 0x9E3779B97F4A7C15ull) >> 32) % c->nbuckets;
}

static struct fat_cache_line *find(struct fat_cache *c, uint64_t lba)
{
	for (int32_t i = c->buckets[bucket_of(c, lba)]; i >= 0; i = c->lines[i].next)
		if (c->lines[i].lba == lba)
			return &c->lines[i];
	return NULL;
}

static void unhash(struct fat_cache *c, struct fat_cache_line *l)
{
	int32_t *p = &c->buckets[bucket_of(c, l->lba)];
	int32_t self = (int32_t)(l - c->lines);

	while (*p >= 0 && *p != self)
		p = &c->lines[*p].next;
	if (*p == self)
		*p = l->next;
	l->valid = false;
	set_dirty(c, l, false);
	order_put(c, l, false);
}

/* A device write of sectors already checked against the volume's size. */
static inline long dev_write_checked(struct fat_cache *c, uint64_t lba, uint32_t n, const void *buf)
{
	c->writes++;
	c->changes++; /* what the disk holds changes too (a write around the cache) */
	return c->dev->write(c->dev->ctx, c->base + lba, n, buf);
}

static long dev_write(struct fat_cache *c, uint64_t lba, uint32_t n, const void *buf)
{
	if (lba >= c->limit || n > c->limit - lba)
		return E_RANGE;
	return dev_write_checked(c, lba, n, buf);
}

static long dev_read(struct fat_cache *c, uint64_t lba, uint32_t n, void *buf)
{
	if (lba >= c->limit || n > c->limit - lba)
		return E_RANGE;
	c->reads++;
	return c->dev->read(c->dev->ctx, c->base + lba, n, buf);
}

/* The least recently used line, written back if dirty and taken out of the hash. */
static long evict(struct fat_cache *c, struct fat_cache_line **out)
{
	struct fat_cache_line *best = &c->lines[c->oldest];

	if (best->valid && best->dirty) {
		/* Write every dirty line now, in sorted runs, rather than this one alone. */
		long r = cache_write_back(c, 0, UINT64_MAX);
		if (r < 0)
			return r;
	}
	if (best->valid)
		unhash(c, best);
	*out = best;
	return E_OK;
}

static struct fat_cache_line *install(struct fat_cache *c, struct fat_cache_line *l, uint64_t lba)
{
	uint32_t b = bucket_of(c, lba);

	l->lba = lba;
	c->lo = lba < c->lo ? lba : c->lo;
	c->hi = lba > c->hi ? lba : c->hi;
	l->valid = true;
	set_dirty(c, l, false);
	order_put(c, l, true);
	l->next = c->buckets[b];
	c->buckets[b] = (int32_t)(l - c->lines);
	return l;
}

/*
 * Read lba and up to `ahead` following sectors that are not cached, in one
 * request. The lines are taken first (an eviction may write dirty lines
 * through the bounce buffer), then the read fills the bounce buffer.
 */
static long fill(struct fat_cache *c, uint64_t lba, uint32_t ahead, struct fat_cache_line **out)
{
	struct fat_cache_line *got[CACHE_FILL_MAX];
	uint32_t n = 1;
	long r = E_OK;

	if (lba >= c->limit)
		return E_RANGE;
	while (n <= ahead && n < c->run_max && n < CACHE_FILL_MAX && n < c->nlines / 2 &&
	       lba + n < c->limit && !find(c, lba + n))
		n++;
	for (uint32_t i = 0; i < n && r == E_OK; i++) {
		r = evict(c, &got[i]);
		if (r == E_OK)
			install(c, got[i], lba + i);
		else
			n = i;
	}
	if (r == E_OK)
		r = dev_read(c, lba, n, c->bounce);
	for (uint32_t i = 0; i < n; i++) {
		if (r == E_OK)
			memcpy(got[i]->data, c->bounce + (size_t)i * c->ss, c->ss);
		else
			unhash(c, got[i]);
	}
	if (r < 0)
		return r;
	*out = got[0];
	order_put(c, got[0], true);
	return E_OK;
}

/* The line of lba, found or filled, made the newest: the body of the three look-ups below. */
static inline __attribute__((always_inline)) long
get_line(struct fat_cache *c, uint64_t lba, uint32_t ahead, struct fat_cache_line **out)
{
	struct fat_cache_line *l = find(c, lba);

	if (!l) {
		long r = fill(c, lba, ahead, &l);
		if (r < 0)
			return r;
	}
	order_put(c, l, true);
	*out = l;
	return E_OK;
}

long cache_get(struct fat_cache *c, uint64_t lba, uint32_t ahead, uint8_t **data)
{
	struct fat_cache_line *l;
	long r = get_line(c, lba, ahead, &l);

	if (r == E_OK)
		*data = l->data;
	return r;
}

long cache_get_dirty(struct fat_cache *c, uint64_t lba, uint32_t ahead, uint8_t **data)
{
	struct fat_cache_line *l;
	long r = get_line(c, lba, ahead, &l);

	if (r == E_OK) {
		set_dirty(c, l, true);
		*data = l->data;
	}
	return r;
}

long cache_get_line(struct fat_cache *c, uint64_t lba, uint32_t ahead, struct fat_cache_line **line)
{
	return get_line(c, lba, ahead, line);
}

/* set_dirty(c, l, true) that tells whether l's sector's zero bit stood (1) before. */
static inline long mark_dirty_zero(struct fat_cache *c, struct fat_cache_line *l)
{
	long zero = cache_zero(c, l->lba);

	cache_line_mark_dirty(c, l);
	return zero;
}

/* cache_get_dirty_line's miss: the line filled (the newest), then marked dirty. */
static __attribute__((noinline)) long get_dirty_filled(struct fat_cache *c, uint64_t lba,
						       uint32_t ahead, struct fat_cache_line **line)
{
	long r = fill(c, lba, ahead, line);

	return r < 0 ? r : mark_dirty_zero(c, *line);
}

/* (A hit keeps its place in the use order: the claim's sectors are used once each, in the
 * order the read-ahead brought them in; a miss's fill makes the line the newest. The hit
 * calls nothing, so it needs no frame.) */
long cache_get_dirty_line(struct fat_cache *c, uint64_t lba, uint32_t ahead,
			  struct fat_cache_line **line)
{
	struct fat_cache_line *l = find(c, lba);

	if (!l)
		return get_dirty_filled(c, lba, ahead, line);
	*line = l;
	return mark_dirty_zero(c, l);
}

long cache_get_blank(struct fat_cache *c, uint64_t lba, uint8_t **data)
{
	struct fat_cache_line *l = find(c, lba);

	if (lba >= c->limit)
		return E_RANGE;
	if (!l) {
		long r = evict(c, &l);
		if (r < 0)
			return r;
		install(c, l, lba);
	}
	memset(l->data, 0, c->ss);
	set_dirty(c, l, true);
	order_put(c, l, true);
	*data = l->data;
	return E_OK;
}

void cache_mark_dirty(struct fat_cache *c, uint64_t lba)
{
	struct fat_cache_line *l = find(c, lba);

	if (l)
		set_dirty(c, l, true);
}

/* Sort lines by sector number (Shell sort: no qsort in libsys, and n is small). */
static void sort_by_lba(struct fat_cache_line **d, uint32_t n)
{
	for (uint32_t gap = n / 2; gap > 0; gap /= 2)
		for (uint32_t i = gap; i < n; i++)
			for (uint32_t j = i; j >= gap && d[j - gap]->lba > d[j]->lba; j -= gap) {
				struct fat_cache_line *t = d[j];
				d[j] = d[j - gap];
				d[j - gap] = t;
			}
}

/* Whether a line in [lo, hi) may be cached: outside every sector ever installed, none is. */
static bool may_hold(const struct fat_cache *c, uint64_t lo, uint64_t hi)
{
	return lo <= c->hi && hi > c->lo;
}

/* Cached copies of n sectors from lba take the bytes the disk gets from buf (none should be). */
static void refresh_cached(struct fat_cache *c, uint64_t lba, uint32_t n, const uint8_t *buf)
{
	for (uint32_t i = 0; may_hold(c, lba, lba + n) && i < n; i++) {
		struct fat_cache_line *l = find(c, lba + i);
		if (l) {
			cache_unwatch_one(c, lba + i);
			memcpy(l->data, buf + (size_t)i * c->ss, c->ss);
			set_dirty(c, l, false);
		}
	}
}

/*
 * The part of the n sectors from lba in buf that lies in the mirrored range, to every copy;
 * the range's first sector only with `first` when it is held (cache_set_mirror).
 */
static long write_mirrors(struct fat_cache *c, uint64_t lba, uint32_t n, const uint8_t *buf,
			  bool first)
{
	uint64_t end = c->mirror_lo + c->mirror_len, from_lo = c->mirror_lo;
	uint64_t lo, hi = lba + n < end ? lba + n : end;

	if (c->mirror_hold && !first)
		from_lo++;
	lo = lba > from_lo ? lba : from_lo;

	for (uint32_t k = 1; k <= c->mirror_copies && lo < hi; k++) {
		uint64_t at = lo + k * c->mirror_len;
		const uint8_t *from = buf + (size_t)(lo - lba) * c->ss;
		refresh_cached(c, at, (uint32_t)(hi - lo), from);
		long r = dev_write(c, at, (uint32_t)(hi - lo), from);
		if (r < 0)
			return r;
	}
	return E_OK;
}

/* Write sorted dirty lines [i, j) that are adjacent as one request (and their mirrors). */
static long write_run(struct fat_cache *c, struct fat_cache_line **d, uint32_t i, uint32_t j)
{
	for (uint32_t k = i; k < j; k++)
		memcpy(c->bounce + (size_t)(k - i) * c->ss, d[k]->data, c->ss);
	long r = dev_write(c, d[i]->lba, j - i, c->bounce);
	if (r == E_OK)
		r = write_mirrors(c, d[i]->lba, j - i, c->bounce, false);
	if (r < 0)
		return r;
	for (uint32_t k = i; k < j; k++)
		set_dirty(c, d[k], false);
	return E_OK;
}

long cache_write_back(struct fat_cache *c, uint64_t lo, uint64_t hi)
{
	struct fat_cache_line **d = c->sorted;
	uint32_t n = 0, seen = 0;
	long r = E_OK;

	if (!c->ndirty || !may_hold(c, lo, hi))
		return E_OK; /* the large transfers' common case: no scan */
	for (uint32_t i = 0; i < c->nlines && seen < c->ndirty; i++) {
		struct fat_cache_line *l = &c->lines[i];
		seen += l->dirty;
		if (l->dirty && l->lba >= lo && l->lba < hi)
			d[n++] = l;
	}
	sort_by_lba(d, n);
	for (uint32_t i = 0, j; i < n && r == E_OK; i = j) {
		for (j = i + 1; j < n && j - i < c->run_max && d[j]->lba == d[j - 1]->lba + 1; j++)
			;
		r = write_run(c, d, i, j);
	}
	return r;
}

long cache_commit(struct fat_cache *c, uint64_t lba)
{
	struct fat_cache_line *l = find(c, lba);
	long r;

	if (!l || !l->dirty)
		return E_OK;
	memcpy(c->bounce, l->data, c->ss);
	r = write_mirrors(c, lba, 1, c->bounce, true);
	if (r == E_OK)
		r = dev_write(c, lba, 1, c->bounce);
	if (r == E_OK)
		set_dirty(c, l, false);
	return r;
}

void cache_set_mirror(struct fat_cache *c, uint64_t lo, uint64_t len, uint32_t copies, bool hold)
{
	c->mirror_lo = lo;
	c->mirror_len = len;
	c->mirror_copies = len ? copies : 0;
	c->mirror_hold = hold;
}

long cache_mirror_all(struct fat_cache *c)
{
	uint64_t lo = c->mirror_lo, len = c->mirror_len;
	long r = c->mirror_copies ? cache_write_back(c, lo, lo + len) : E_OK;

	for (uint64_t done = 0; r == E_OK && c->mirror_copies && done < len;) {
		uint32_t n = len - done < c->run_max ? (uint32_t)(len - done) : c->run_max;
		r = dev_read(c, lo + done, n, c->bounce);
		if (r == E_OK)
			r = write_mirrors(c, lo + done, n, c->bounce, true);
		done += n;
	}
	return r;
}

/* count sectors from lba straight between the device and buf, max_sectors per request. */
static long direct(struct fat_cache *c, uint64_t lba, uint32_t count, uint8_t *buf, bool write)
{
	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done;
		if (c->dev->max_sectors && n > c->dev->max_sectors)
			n = c->dev->max_sectors;
		long r = write ? dev_write(c, lba + done, n, buf + (size_t)done * c->ss)
			       : dev_read(c, lba + done, n, buf + (size_t)done * c->ss);
		if (r < 0)
			return r;
		done += n;
	}
	return E_OK;
}

long cache_read_direct(struct fat_cache *c, uint64_t lba, uint32_t count, void *buf)
{
	long r = c->ndirty && may_hold(c, lba, lba + count) ? cache_write_back(c, lba, lba + count)
							    : E_OK;

	if (r == E_OK && (!c->dev->max_sectors || count <= c->dev->max_sectors))
		return dev_read(c, lba, count, buf); /* the usual case: one request */
	return r < 0 ? r : direct(c, lba, count, buf, false);
}

/*
 * A write around the cache that is not the usual one: over watched sectors (their bits cleared)
 * or cached lines (those go, dirty ones too: this write supersedes them), or larger than one
 * device request.
 */
static __attribute__((noinline)) long write_direct_other(struct fat_cache *c, uint64_t lba,
							 uint32_t count, const void *buf)
{
	/* (every other device write is of lines marked dirty, or mirrors) */
	unwatch(c, lba, count);
	for (uint32_t i = 0; may_hold(c, lba, lba + count) && i < c->nlines; i++)
		if (c->lines[i].valid && c->lines[i].lba >= lba && c->lines[i].lba - lba < count)
			unhash(c, &c->lines[i]);
	return direct(c, lba, count, (uint8_t *)buf, true);
}

/*
 * The range is checked once, here. The usual write (no watched sector, no line can overlap it,
 * one device request takes it) goes to the device at once: no loop, no second check.
 */
long cache_write_direct(struct fat_cache *c, uint64_t lba, uint32_t count, const void *buf)
{
	if (lba >= c->limit || count > c->limit - lba)
		return E_RANGE;
	if (watched(c, lba, count) || may_hold(c, lba, lba + count) ||
	    (c->dev->max_sectors && count > c->dev->max_sectors))
		return write_direct_other(c, lba, count, buf);
	return dev_write_checked(c, lba, count, buf);
}
