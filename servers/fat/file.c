/* SPDX-License-Identifier: MIT */
/*
 * File data: the bytes of a file's cluster chain. Reads find their clusters
 * in the chain's extent map (extent.c); writes, and reads of chains too
 * fragmented for a map, walk on from the last cluster the node reached (its
 * hint, good while the table's chain generation is the one it was found
 * under), so going on from there costs no walk from the start. Reads and
 * writes of whole clusters go around the cache in one request per run of
 * adjacent clusters (read-ahead is the run itself; a write drops cached
 * copies of what it covers); smaller pieces go through the cache, a read
 * with the rest of the cluster read ahead. A size larger than the chain is
 * E_CORRUPT for that file.
 *
 * Write order (crash consistency, see docs/ARCHITECTURE.md "Files"): new
 * clusters are taken and linked in the FAT before data goes into them and
 * before the entry's size and first cluster change; shrinking writes the
 * entry and the FAT's new end mark back first and frees the tail after, so a
 * kill leaves at worst clusters that no file names (lost, freed at the
 * next mount's repair), never a file whose chain is free. Whole clusters
 * written around the cache reach the disk at once, before the FAT links and
 * the entry (still in the cache) that make them part of the file.
 */
#include <string.h>

#include "fat_impl.h"

#define RUN_CLUSTERS_MAX 256 /* clusters in one direct transfer */

/* Cluster number `index` of n's chain is cl, as the table is now. */
static void set_hint(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t cl)
{
	n->hint_index = index;
	n->hint_cluster = cl;
	n->hint_gen = v->chain_gen;
}

/* Whether n's hint may be followed: made since the last change that took clusters from a chain. */
static bool hint_ok(const struct fat_vol *v, const struct fat_node *n, uint32_t index)
{
	return n->hint_cluster && n->hint_index <= index && n->hint_gen == v->chain_gen;
}

/*
 * Cluster number `index` of n's chain; with grow, missing clusters are added.
 * The cluster holding the file's last byte must end the chain: a chain that
 * goes on (longer than the size, or looping back) is E_CORRUPT.
 */
static long seek(struct fat_vol *v, struct fat_node *n, uint32_t index, bool grow, uint32_t *out)
{
	uint32_t cl = n->first, at = 0, next;
	uint32_t last = n->size ? (n->size - 1) / v->cluster_bytes : UINT32_MAX;
	long r;

	if (cl == 0) {
		if (!grow || n->size)
			return E_CORRUPT;
		r = table_alloc(v, 0, &cl);
		if (r < 0)
			return r;
		n->first = cl;
	}
	if (hint_ok(v, n, index)) {
		cl = n->hint_cluster;
		at = n->hint_index;
	}
	if (!fat_cluster_ok(v, cl))
		return E_CORRUPT;
	for (; at < index; at++) {
		r = table_next(v, cl, &next);
		if (r == E_OK && at == last && next)
			r = E_CORRUPT;
		if (r == E_OK && next == 0)
			r = grow && (last == UINT32_MAX || at >= last) ? table_alloc(v, cl, &next)
								       : E_CORRUPT;
		if (r < 0)
			return r;
		cl = next;
	}
	if (index == last && (r = table_next(v, cl, &next)) == E_OK && next)
		r = E_CORRUPT;
	if (index == last && r < 0)
		return r;
	set_hint(v, n, index, cl);
	*out = cl;
	return E_OK;
}

/* E_CORRUPT if cl, cluster number `index`, is the file's last (`last`) and its chain goes on. */
static long check_end(struct fat_vol *v, uint32_t index, uint32_t last, uint32_t cl)
{
	uint32_t next;
	long r;

	if (index != last)
		return E_OK;
	r = table_next(v, cl, &next);
	return r == E_OK && next ? E_CORRUPT : r;
}

/*
 * Cluster number `index` of n (*cl) and how many clusters from it on lie one
 * after the other on the disk (*count): from the chain's extent map, or, when
 * the map cannot hold the chain, by a walk from the node's hint.
 */
static long locate(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t want,
		   uint32_t last, uint32_t *cl, uint32_t *count)
{
	if (extent_hit(v, n->first, index, want, last, cl, count))
		return E_OK;
	long r = extent_find(v, n->first, index, want, last, cl, count);

	if (r != E_NOSPACE)
		return r;
	r = seek(v, n, index, false, cl);
	if (r == E_OK)
		*count = table_contiguous(v, *cl, want);
	return r;
}

/* Whole clusters from a cluster boundary straight into buf: k of them, from cl on. */
static long read_run(struct fat_vol *v, uint32_t cl, uint32_t k, uint8_t *buf, size_t *got)
{
	long r = cache_read_direct(&v->cache, fat_cluster_lba(v, cl), k * v->spc, buf);

	*got = r == E_OK ? (size_t)k * v->cluster_bytes : 0;
	return r;
}

/* Up to the end of one sector through the cache. */
static long read_piece(struct fat_vol *v, uint32_t cl, uint32_t in, uint8_t *buf, size_t left,
		       size_t *got)
{
	uint32_t sec = in / v->ss, at = in % v->ss;
	uint8_t *s;
	long r = cache_get(&v->cache, fat_cluster_lba(v, cl) + sec, v->spc - 1 - sec, &s);

	if (r < 0)
		return r;
	*got = left < v->ss - at ? left : v->ss - at;
	memcpy(buf, s + at, *got);
	return E_OK;
}

/*
 * Bytes of n from `at` into buf (at most left, inside the file, whose last
 * cluster is number `last`): whole clusters in one run around the cache, or
 * the rest of a sector through it.
 */
static long read_at(struct fat_vol *v, struct fat_node *n, uint64_t at, uint32_t last, uint8_t *buf,
		    size_t left, size_t *got)
{
	uint32_t index = (uint32_t)(at / v->cluster_bytes), in = at % v->cluster_bytes, cl, k;
	size_t whole = in == 0 ? left / v->cluster_bytes : 0;
	uint32_t want = whole < RUN_CLUSTERS_MAX ? (uint32_t)whole : RUN_CLUSTERS_MAX;
	long r = locate(v, n, index, want ? want : 1, last, &cl, &k);

	if (r < 0)
		return r;
	k = want == 0 ? 1 : k < want ? k : want;
	r = check_end(v, index + k - 1, last, cl + k - 1);
	if (r == E_OK && want)
		r = read_run(v, cl, k, buf, got);
	else if (r == E_OK)
		r = read_piece(v, cl, in, buf, left, got);
	if (r == E_OK)
		set_hint(v, n, index + k - 1, cl + k - 1);
	return r;
}

long fat_read(struct fat_vol *v, struct fat_node *n, uint64_t off, void *buf, size_t len,
	      size_t *done)
{
	*done = 0;
	if (n->attr & FAT_ATTR_DIR)
		return E_ISDIR;
	if (off >= n->size)
		return E_OK;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	uint32_t last = (n->size - 1) / v->cluster_bytes;
	for (size_t put = 0; put < len;) {
		size_t got = 0;
		long r = read_at(v, n, off + put, last, (uint8_t *)buf + put, len - put, &got);
		if (r < 0)
			return r;
		put += got;
		*done = put;
	}
	return E_OK;
}

/* Up to the end of one sector from src (NULL: zeros) at file offset `at`. */
static long write_piece(struct fat_vol *v, struct fat_node *n, uint64_t at, const uint8_t *src,
			size_t left, size_t *put)
{
	uint32_t in = at % v->cluster_bytes, sec = in / v->ss, o = in % v->ss, cl;
	uint64_t sector_start = at - o;
	uint8_t *s;
	long r = seek(v, n, (uint32_t)(at / v->cluster_bytes), true, &cl);

	if (r < 0)
		return r;
	*put = left < v->ss - o ? left : v->ss - o;
	uint64_t lba = fat_cluster_lba(v, cl) + sec;
	/* Nothing of the file lives in a sector past its size, or one this write covers. */
	if (sector_start >= n->size || *put == v->ss)
		r = cache_get_blank(&v->cache, lba, &s);
	else
		r = cache_get(&v->cache, lba, 0, &s);
	if (r < 0)
		return r;
	if (src)
		memcpy(s + o, src, *put);
	else
		memset(s + o, 0, *put);
	cache_mark_dirty(&v->cache, lba);
	return E_OK;
}

/*
 * Appending whole clusters right after the chain's last one (the node's hint,
 * index - 1, past the file's size and ending the chain): the free clusters
 * that follow it on the disk join the chain in one go, without taking one
 * cluster first. E_NOSPACE when this does not apply (place_run seeks).
 */
static long append_run(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t max,
		       uint32_t *first, uint32_t *k)
{
	uint32_t got;

	/* hint_ok for exactly index - 1 (index 0 has none: hint_index + 1 is at least 1). */
	if (!n->hint_cluster || (uint64_t)n->hint_index + 1 != index ||
	    n->hint_gen != v->chain_gen || (uint64_t)index * v->cluster_bytes < n->size)
		return E_NOSPACE;
	/* Nothing when the hint's cluster does not end the chain: then place_run seeks. */
	if (table_extend_run(v, n->hint_cluster, max, &got) < 0 || got == 0)
		return E_NOSPACE;
	*first = n->hint_cluster + 1;
	*k = got;
	set_hint(v, n, index + got - 1, *first + got - 1);
	return E_OK;
}

/*
 * The clusters of n from `index` on (at most max) that lie one after the
 * other on the disk, the first of them in *first: those the chain has, and
 * when it ends there, the free ones right after it, added in one go. (A
 * cluster taken elsewhere would lengthen the chain past the file's size;
 * seek adds that one when the next piece needs it.)
 */
static long place_run(struct fat_vol *v, struct fat_node *n, uint32_t index, uint32_t max,
		      uint32_t *first, uint32_t *k)
{
	uint32_t next, got;
	long r = append_run(v, n, index, max, first, k);

	if (r != E_NOSPACE)
		return r;
	/* A new file written a table sector's worth at once starts at such a sector's start (with
	 * 512-byte sectors: a run is at most RUN_CLUSTERS_MAX, fewer than a larger sector holds);
	 * none near (E_NOSPACE): seek takes any free cluster. */
	if (n->first == 0 && index == 0 && n->size == 0 && max >= v->ss / 4) {
		r = table_alloc_aligned(v, &n->first);
		if (r < 0 && r != E_NOSPACE)
			return r;
	}
	r = seek(v, n, index, true, first);

	if (r < 0)
		return r;
	*k = table_contiguous(v, *first, max);
	if (*k < max && table_next(v, *first + *k - 1, &next) == E_OK && next == 0 &&
	    table_extend_run(v, *first + *k - 1, max - *k, &got) == E_OK)
		*k += got;
	set_hint(v, n, index + *k - 1, *first + *k - 1);
	return E_OK;
}

/*
 * Whole clusters from a cluster boundary straight to the disk, in one run of
 * adjacent clusters. The data is on the disk before the FAT links and the
 * entry (in the cache) that make it part of the file are.
 */
static long write_run(struct fat_vol *v, struct fat_node *n, uint64_t at, const uint8_t *src,
		      size_t left, size_t *put)
{
	uint32_t max = (uint32_t)(left / v->cluster_bytes), first, k;
	long r = place_run(v, n, (uint32_t)(at / v->cluster_bytes),
			   max < RUN_CLUSTERS_MAX ? max : RUN_CLUSTERS_MAX, &first, &k);

	if (r == E_OK)
		r = cache_write_direct(&v->cache, fat_cluster_lba(v, first), k * v->spc, src);
	if (r < 0)
		return r;
	*put = (size_t)k * v->cluster_bytes;
	return E_OK;
}

/* Bytes in at off (src NULL: zeros), the entry updated after the data. */
static long put(struct fat_vol *v, struct fat_node *n, uint64_t off, const uint8_t *src, size_t len,
		size_t *done)
{
	long r = E_OK;

	*done = 0;
	while (*done < len && r == E_OK) {
		size_t got, left = len - *done;
		uint64_t at = off + *done;
		if (src && at % v->cluster_bytes == 0 && left >= v->cluster_bytes)
			r = write_run(v, n, at, src + *done, left, &got);
		else
			r = write_piece(v, n, at, src ? src + *done : NULL, left, &got);
		if (r == E_OK)
			*done += got;
		if (off + *done > n->size)
			n->size = (uint32_t)(off + *done);
	}
	n->modified = vol_now(v);
	n->accessed = n->modified.date;
	n->attr |= FAT_ATTR_ARCHIVE;
	long u = dir_update(v, n);
	return r < 0 ? r : u;
}

/* A write that first marks the volume in use, or that starts past the end (zeros up to it). */
static __attribute__((noinline)) long write_marked(struct fat_vol *v, struct fat_node *n,
						   uint64_t off, const void *buf, size_t len,
						   size_t *done)
{
	size_t zeros;
	long r = table_mark_dirty(v);

	if (r == E_OK && off > n->size)
		r = put(v, n, n->size, NULL, (size_t)(off - n->size), &zeros);
	if (r == E_OK)
		r = put(v, n, off, buf, len, done);
	return r;
}

long fat_write(struct fat_vol *v, struct fat_node *n, uint64_t off, const void *buf, size_t len,
	       size_t *done)
{
	*done = 0;
	if (n->attr & FAT_ATTR_DIR)
		return E_ISDIR;
	if (v->read_only)
		return E_RIGHTS;
	if (off > FAT_FILE_MAX || len > FAT_FILE_MAX - off)
		return E_RANGE;
	if (len == 0)
		return E_OK;
	if (!v->marked_dirty || off > n->size)
		return write_marked(v, n, off, buf, len, done);
	return put(v, n, off, buf, len, done); /* the usual write: the volume says in use already */
}

/* Cut the chain after `keep` clusters; the entry goes to disk before the tail is freed. */
static long shrink(struct fat_vol *v, struct fat_node *n, uint32_t size)
{
	uint32_t keep = (uint32_t)(((uint64_t)size + v->cluster_bytes - 1) / v->cluster_bytes);
	uint32_t tail = 0, last;
	long r = E_OK;

	if (keep == 0) {
		tail = n->first;
		n->first = 0;
	} else if (n->first) {
		r = seek(v, n, keep - 1, false, &last);
		if (r == E_OK)
			r = table_next(v, last, &tail);
		if (r == E_OK && tail)
			r = table_set(v, last, v->eoc);
	}
	n->size = size;
	n->hint_cluster = n->hint_index = 0;
	n->modified = vol_now(v);
	if (r == E_OK)
		r = dir_update(v, n);
	if (r == E_OK && tail)
		r = cache_write_back(&v->cache, 0, UINT64_MAX);
	if (r == E_OK && tail)
		r = table_free_chain(v, tail);
	return r;
}

long fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size)
{
	size_t done;
	long r;

	if (n->attr & FAT_ATTR_DIR)
		return E_ISDIR;
	if (v->read_only)
		return E_RIGHTS;
	if (size > FAT_FILE_MAX)
		return E_RANGE;
	r = table_mark_dirty(v);
	if (r == E_OK && size > n->size)
		return put(v, n, n->size, NULL, (size_t)(size - n->size), &done);
	if (r == E_OK && size < n->size)
		r = shrink(v, n, (uint32_t)size);
	return r;
}

/* fat_node_refresh's reading of the entry, out of line: the usual call needs none. */
static __attribute__((noinline)) long node_reread(struct fat_vol *v, struct fat_node *n)
{
	struct dir_entry e;
	uint8_t *s;
	long r = dir_entry_of(v, n, &s);

	if (r < 0)
		return r;
	memcpy(e.raw, s, 32);
	if (e.raw[0] == 0 || e.raw[0] == 0xE5)
		return E_NOENT;
	e.loc = n->loc;
	uint32_t parent = n->parent, first = n->first;
	uint32_t hi = n->hint_index, hc = n->hint_cluster;
	uint64_t hg = n->hint_gen;
	dir_node_from(v, parent, &e, n);
	if (n->first == first) {
		n->hint_index = hi;
		n->hint_cluster = hc;
		n->hint_gen = hg;
	}
	n->seen = v->cache.changes;
	return E_OK;
}

long fat_node_refresh(struct fat_vol *v, struct fat_node *n)
{
	if (n->is_root || n->seen == v->cache.changes)
		return E_OK; /* no byte of the volume changed since the entry was read */
	return node_reread(v, n);
}

void fat_node_current(struct fat_vol *v, struct fat_node *n)
{
	n->seen = v->cache.changes;
}

const uint64_t *fat_change_count(const struct fat_vol *v)
{
	return &v->cache.changes;
}
