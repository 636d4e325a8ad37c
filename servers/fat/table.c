/* SPDX-License-Identifier: MIT */
/*
 * The file allocation table: entries of 12, 16 or 28 bits, read and written
 * in the active copy only (the first, unless a FAT32 volume turns mirroring
 * off); the cache writes each of its written-back sectors to the other copies
 * too (cache_set_mirror), so the copies are equal at every sync. A link is
 * checked before it is followed: free (0), bad (…7) or out-of-range values
 * inside a chain are damage (E_CORRUPT). Here: entries, chains and the run
 * scans; the mount's free count and the clean bit are in table_mount.c, the
 * claim of free runs for appends in table_claim.c. Whole sectors that are
 * one run of links (each cluster's entry naming the next) are noted as the
 * mount's count and the run scans meet them (the cache's watch bits, cleared
 * by any change to the sector), and the run scan passes over a noted sector
 * without reading it: a file laid out in one run is mapped at a few
 * instructions per table sector instead of about two per entry.
 */
#include <string.h>

#include "fat_impl.h"

uint64_t table_entry_offset(const struct fat_vol *v, uint32_t cl)
{
	switch (v->type) {
	case FAT12:
		return cl + cl / 2;
	case FAT16:
		return (uint64_t)cl * 2;
	default:
		return (uint64_t)cl * 4;
	}
}

static long byte_ptr(struct fat_vol *v, uint32_t copy, uint64_t off, uint8_t **p, uint64_t *lba)
{
	uint8_t *d;
	*lba = v->fat_start + (uint64_t)copy * v->fat_sectors + off / v->ss;
	long r = cache_get(&v->cache, *lba, FAT_READ_AHEAD, &d);
	if (r == E_OK)
		*p = d + off % v->ss;
	return r;
}

/* Read `n` bytes (2 or 4) at off of copy; a FAT12 entry may straddle two sectors. */
static long read_bytes(struct fat_vol *v, uint32_t copy, uint64_t off, unsigned n, uint32_t *val)
{
	uint8_t *p = NULL;
	uint64_t lba;
	uint32_t x = 0;
	long r;

	if (off % v->ss + n <= v->ss) {
		r = byte_ptr(v, copy, off, &p, &lba);
		if (r == E_OK)
			*val = n == 4 ? rd32(p) : rd16(p);
		return r;
	}
	for (unsigned i = 0; i < n; i++) {
		r = byte_ptr(v, copy, off + i, &p, &lba);
		if (r < 0)
			return r;
		x |= (uint32_t)*p << (8 * i);
	}
	*val = x;
	return E_OK;
}

static long write_bytes(struct fat_vol *v, uint32_t copy, uint64_t off, unsigned n, uint32_t val,
			uint32_t keep)
{
	if (off % v->ss + n <= v->ss) { /* the entry in one sector: one look-up */
		uint8_t *p = NULL;
		uint64_t lba;
		long r = byte_ptr(v, copy, off, &p, &lba);
		if (r < 0)
			return r;
		if (n == 4)
			wr32(p, (rd32(p) & keep) | (val & ~keep));
		else
			wr16(p, (uint16_t)((rd16(p) & keep) | (val & ~keep)));
		cache_mark_dirty(&v->cache, lba);
		return E_OK;
	}
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = NULL, k = (uint8_t)(keep >> (8 * i));
		uint64_t lba;
		long r = byte_ptr(v, copy, off + i, &p, &lba);
		if (r < 0)
			return r;
		*p = (uint8_t)((*p & k) | ((uint8_t)(val >> (8 * i)) & ~k));
		cache_mark_dirty(&v->cache, lba);
	}
	return E_OK;
}

long table_raw_get(struct fat_vol *v, uint32_t cl, uint32_t *val)
{
	uint64_t off = table_entry_offset(v, cl);
	uint32_t x = 0;
	long r = read_bytes(v, v->active_fat, off, v->type == FAT32 ? 4 : 2, &x);

	if (r < 0)
		return r;
	if (v->type == FAT12)
		x = cl & 1 ? (x >> 4) & 0xFFF : x & 0xFFF;
	else if (v->type == FAT32)
		x &= 0x0FFFFFFF;
	*val = x;
	return E_OK;
}

long table_raw_set(struct fat_vol *v, uint32_t cl, uint32_t val)
{
	uint64_t off = table_entry_offset(v, cl);
	uint32_t keep = 0;
	unsigned n = v->type == FAT32 ? 4 : 2;

	if (v->type == FAT12) {
		keep = cl & 1 ? 0x000F : 0xF000;
		val = cl & 1 ? val << 4 : val & 0xFFF;
	} else if (v->type == FAT32) {
		keep = 0xF0000000; /* the top four bits are reserved */
	}
	return write_bytes(v, v->active_fat, off, n, val, keep); /* the cache mirrors it */
}

long table_get(struct fat_vol *v, uint32_t cl, uint32_t *val)
{
	if (!fat_cluster_ok(v, cl))
		return E_CORRUPT;
	return table_raw_get(v, cl, val);
}

long table_set(struct fat_vol *v, uint32_t cl, uint32_t val)
{
	if (!fat_cluster_ok(v, cl) || v->read_only)
		return v->read_only ? E_RIGHTS : E_CORRUPT;
	if (!fat_cluster_ok(v, val))
		v->chain_gen++; /* freed or cut: a chain may have lost clusters (extent.c) */
	return table_raw_set(v, cl, val);
}

long table_next(struct fat_vol *v, uint32_t cl, uint32_t *next)
{
	uint32_t x;
	long r = table_get(v, cl, &x);

	if (r < 0)
		return r;
	if (table_is_end(v, x)) {
		*next = 0;
		return E_OK;
	}
	if (!fat_cluster_ok(v, x))
		return E_CORRUPT; /* free, bad, reserved or past the end inside a chain */
	*next = x;
	return E_OK;
}

/* Two FAT32 entries at p as one 64-bit word, the first in the low half. */
static inline uint64_t rd_pair(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* FAT32 entries at p that hold want + step * k (k-th), at most max, two per step. */
static uint32_t pairs_matching(const uint8_t *p, uint32_t want, uint32_t step, uint32_t max)
{
	const uint64_t mask = 0x0FFFFFFF0FFFFFFFull, next = (uint64_t)(2 * step) * 0x100000001ull;
	uint64_t expect = want | (uint64_t)(want + step) << 32;
	uint32_t n = 0;

	for (; n + 3 < max; n += 4, expect += 2 * next) /* four entries per step */
		if (((rd_pair(p + 4 * n) & mask) ^ expect) |
		    ((rd_pair(p + 4 * n + 8) & mask) ^ (expect + next)))
			break;
	for (; n + 1 < max && (rd_pair(p + 4 * n) & mask) == expect; n += 2)
		expect += next;
	for (; n < max && (rd32(p + 4 * n) & 0x0FFFFFFF) == want + step * n; n++)
		;
	return n;
}

#define VECS	    8	       /* vectors compared per loop step */
#define VEC_ENTRIES (4 * VECS) /* entries per loop step */

/*
 * FAT32 entries at p that hold want + step * k (k-th), at most max:
 * VEC_ENTRIES per loop step, each vector XORed with the values it should
 * hold, the results ORed and masked (the top four bits are reserved) before
 * one test; the rest two and one at a time. Inlined into each caller, so a
 * constant step folds (for step 0 the XORs go).
 */
static inline __attribute__((always_inline)) uint32_t
vectors_matching(const uint8_t *p, uint32_t want, uint32_t step, uint32_t max)
{
	const fat_v4u mask = {0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF};
	const uint32_t ahead = VEC_ENTRIES * step;
	fat_v4u e[VECS];
	uint32_t n = 0;

#pragma GCC unroll 8
	for (uint32_t k = 0; k < VECS; k++)
		e[k] = (fat_v4u){want, want + step, want + 2 * step, want + 3 * step} +
		       4 * k * step;
	for (; n + VEC_ENTRIES <= max; n += VEC_ENTRIES) {
		const fat_v4u *q = (const fat_v4u *)(p + 4 * n);
		fat_v4u d = q[0] ^ e[0];
#pragma GCC unroll 8
		for (uint32_t k = 1; k < VECS; k++)
			d |= q[k] ^ e[k];
		fat_v2q any = (fat_v2q)(d & mask);
		if (any[0] | any[1])
			break;
#pragma GCC unroll 8
		for (uint32_t k = 0; k < VECS; k++)
			e[k] += ahead;
	}
	return n == max ? n : n + pairs_matching(p + 4 * n, want + step * n, step, max - n);
}

/* Eight FAT16 entries as one vector. */
typedef uint16_t fat_v8h __attribute__((vector_size(16), aligned(2), may_alias));

#define VEC16_ENTRIES (8 * 4) /* FAT16 entries per loop step: four vectors */

/*
 * FAT16 entries at p that hold want + step * k (k-th), at most max:
 * VEC16_ENTRIES per loop step as for FAT32 (no bits reserved), the rest one
 * at a time. Values past max are never compared, so the lanes' 16 bits hold
 * every value that is.
 */
static inline __attribute__((always_inline)) uint32_t
halves_matching(const uint8_t *p, uint32_t want, uint32_t step, uint32_t max)
{
	const uint16_t ahead = (uint16_t)(VEC16_ENTRIES * step);
	fat_v8h e[4];
	uint32_t n = 0;

#pragma GCC unroll 4
	for (uint32_t k = 0; k < 4; k++)
		for (uint32_t j = 0; j < 8; j++)
			e[k][j] = (uint16_t)(want + (8 * k + j) * step);
	for (; n + VEC16_ENTRIES <= max; n += VEC16_ENTRIES) {
		const fat_v8h *q = (const fat_v8h *)(p + 2 * n);
		fat_v2q any =
			(fat_v2q)((q[0] ^ e[0]) | (q[1] ^ e[1]) | (q[2] ^ e[2]) | (q[3] ^ e[3]));
		if (any[0] | any[1])
			break;
#pragma GCC unroll 4
		for (uint32_t k = 0; k < 4; k++)
			e[k] += ahead;
	}
	for (; n < max && rd16(p + 2 * n) == want + step * n; n++)
		;
	return n;
}

#define LINK_VECS    32		     /* vectors per loop step of links_matching */
#define LINK_ENTRIES (4 * LINK_VECS) /* its entries per step: a 512-byte sector's */

/*
 * FAT32 entries at p that hold want, want + 1, ... (links to the next
 * cluster), in whole steps of LINK_ENTRIES, at most max: each vector less the
 * step's base (want + n in every lane) XORed with its lanes' distances from
 * it (constants), the results ORed and masked (the top four bits are
 * reserved; the low 28 bits of a difference depend on the low 28 bits
 * alone) before one test, and the base moved once per step: four
 * instructions per four entries.
 */
static uint32_t link_steps(const uint8_t *p, uint32_t want, uint32_t max)
{
	const fat_v4u mask = {0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF};
	const fat_v4u ahead = {LINK_ENTRIES, LINK_ENTRIES, LINK_ENTRIES, LINK_ENTRIES};
	fat_v4u base = {want, want, want, want};
	uint32_t n = 0;

	for (; n + LINK_ENTRIES <= max; n += LINK_ENTRIES, base += ahead) {
		const fat_v4u *q = (const fat_v4u *)(p + 4 * n);
		fat_v4u d = (q[0] - base) ^ (fat_v4u) { 0, 1, 2, 3 };
#pragma GCC unroll 32
		for (uint32_t k = 1; k < LINK_VECS; k++)
			d |= (q[k] - base) ^ ((fat_v4u){0, 1, 2, 3} + 4 * k);
		fat_v2q any = (fat_v2q)(d & mask);
		if (any[0] | any[1])
			break;
	}
	return n;
}

/* The same to the last entry that matches: whole steps, then the rest as vectors_matching does. */
static uint32_t links_matching(const uint8_t *p, uint32_t want, uint32_t max)
{
	uint32_t n = link_steps(p, want, max);

	return n == max ? n : n + vectors_matching(p + 4 * n, want + n, 1, max - n);
}

/*
 * FAT12: whether *cl links to the next cluster on the disk (then *cl
 * moves there), one entry at a time (they straddle bytes and sectors).
 */
static uint32_t scan_link12(struct fat_vol *v, uint32_t *cl)
{
	uint32_t next;

	if (table_next(v, *cl, &next) < 0 || next != *cl + 1)
		return 0;
	*cl = next;
	return 1;
}

/*
 * FAT16/32: entries from cl's on that link each cluster to the next, at
 * most max, none past the last cluster's (whose link can only be past the
 * end), scanned in place sector by sector: one cache look-up each, the first
 * maybe from its middle, the next ones whole. A whole sector found to be
 * links only is noted (the cache's watch bit, table_note_links), and one
 * noted and unchanged since is passed over without a look-up or a compare.
 */
static uint32_t links_in_place(struct fat_vol *v, uint32_t cl, uint32_t max)
{
	uint32_t width = v->type == FAT32 ? 4 : 2, per = v->ss / width, k = 0, in = cl % per;
	uint32_t end = v->clusters + 1 - cl < max ? v->clusters + 1 - cl : max;
	uint64_t lba = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + cl / per;

	for (; k < end; lba++, in = 0) {
		uint32_t room, n;
		uint8_t *p;
		if (in == 0) { /* noted sectors from here on: passed over together */
			uint32_t noted =
				(uint32_t)cache_watched_run(&v->cache, lba, (end - k) / per);
			k += noted * per;
			lba += noted;
			if (k == end)
				break;
		}
		room = per - in < end - k ? per - in : end - k;
		if (cache_get(&v->cache, lba, FAT_READ_AHEAD, &p) < 0)
			break;
		p += in * width;
		n = width == 4 ? links_matching(p, cl + k + 1, room)
			       : halves_matching(p, cl + k + 1, 1, room);
		if (n == per)
			cache_watch_set(&v->cache, lba);
		k += n;
		if (n < room)
			break;
	}
	return k;
}

/*
 * Whether sector sec of the active FAT (its entries at p) links each of its
 * clusters to the next, every one of them a cluster of the volume.
 */
static bool sector_links(const struct fat_vol *v, uint32_t sec, const uint8_t *p)
{
	uint32_t width = v->type == FAT32 ? 4 : 2, per = v->ss / width, first = sec * per;

	if (first < 2 || first + per - 1 > v->clusters)
		return false; /* the reserved entries, or a link past the last cluster */
	if (width == 4)
		return (rd32(p) & 0x0FFFFFFF) == first + 1 && link_steps(p, first + 1, per) == per;
	return rd16(p) == first + 1 && halves_matching(p, first + 1, 1, per) == per;
}

uint32_t table_noted_links(struct fat_vol *v, uint32_t cl, uint32_t max)
{
	uint32_t per = v->ss / (v->type == FAT32 ? 4 : 2);

	if (v->type == FAT12 || cl % per || !fat_cluster_ok(v, cl))
		return 0;
	uint64_t lba = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + cl / per;
	return (uint32_t)cache_watched_run(&v->cache, lba, max / per) * per;
}

void table_watch_links(struct fat_vol *v)
{
	v->zero_lba = 0; /* (no sector of the table: its reserved sectors come first) */
	if (v->type != FAT12)
		cache_watch(&v->cache, v->fat_start + (uint64_t)v->active_fat * v->fat_sectors,
			    v->fat_sectors); /* (without memory, nothing is noted) */
}

bool table_note_links(struct fat_vol *v, uint32_t sec, const uint8_t *p)
{
	if (!sector_links(v, sec, p))
		return false;
	cache_watch_set(&v->cache, v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + sec);
	return true;
}

uint32_t table_contiguous(struct fat_vol *v, uint32_t cl, uint32_t max)
{
	uint32_t k = 1;

	if (max <= 1 || !fat_cluster_ok(v, cl))
		return 1;
	if (v->type != FAT12)
		return 1 + links_in_place(v, cl, max - 1);
	while (k < max && scan_link12(v, &cl) > 0)
		k++;
	return k;
}

long table_alloc(struct fat_vol *v, uint32_t prev, uint32_t *out)
{
	uint32_t start = fat_cluster_ok(v, v->next_free) ? v->next_free : 2;

	if (v->read_only)
		return E_RIGHTS;
	for (uint32_t i = 0; i < v->clusters; i++) {
		uint32_t cl = 2 + (start - 2 + i) % v->clusters, x;
		long r = table_raw_get(v, cl, &x);
		if (r < 0)
			return r;
		if (x != 0)
			continue;
		r = table_raw_set(v, cl, v->eoc);
		if (r == E_OK && prev)
			r = table_set(v, prev, cl);
		if (r < 0)
			return r;
		table_took(v, cl, 1);
		*out = cl;
		return E_OK;
	}
	return E_NOSPACE;
}

long table_free_chain(struct fat_vol *v, uint32_t cl)
{
	for (uint32_t steps = 0; cl && steps < v->clusters; steps++) {
		uint32_t next;
		long r = table_next(v, cl, &next);
		if (r < 0)
			return r;
		r = table_set(v, cl, 0);
		if (r < 0)
			return r;
		v->free_count++;
		cl = next;
	}
	return E_OK;
}
