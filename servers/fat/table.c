/* SPDX-License-Identifier: MIT */
/*
 * The file allocation table: entries of 12, 16 or 28 bits, read and written
 * in the active copy only (the first, unless a FAT32 volume turns mirroring
 * off); the cache writes each of its written-back sectors to the other copies
 * too (cache_set_mirror), so the copies are equal at every sync. A link is
 * checked before it is followed: free (0), bad (…7) or out-of-range values
 * inside a chain are damage (E_CORRUPT). Here: entries, chains, the run scans
 * and the claim of free runs; the mount's free count and the clean bit are in
 * table_mount.c. Whole sectors that are one run of links (each cluster's
 * entry naming the next) are noted as the mount's count and the run scans
 * meet them (the cache's watch bits, cleared by any change to the sector),
 * and the run scan passes over a noted sector without reading it: a file
 * laid out in one run is mapped at a few instructions per table sector
 * instead of about two per entry.
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

static bool is_end(const struct fat_vol *v, uint32_t x)
{
	return x >= (v->eoc & ~7u);
}

long table_next(struct fat_vol *v, uint32_t cl, uint32_t *next)
{
	uint32_t x;
	long r = table_get(v, cl, &x);

	if (r < 0)
		return r;
	if (is_end(v, x)) {
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

/* Four FAT32 entries as one vector: unaligned, and read through any type. */
typedef uint32_t fat_v4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef uint64_t fat_v2q __attribute__((vector_size(16)));

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
		v->free_count -= v->free_count ? 1 : 0;
		v->next_free = cl + 1;
		*out = cl;
		return E_OK;
	}
	return E_NOSPACE;
}

/* Four FAT32 entries as one SSE2 value (x86-64 has SSE2; a loaded sector is 4-byte aligned). */
typedef uint32_t v4u __attribute__((vector_size(16), aligned(4), may_alias));
typedef uint64_t v2q __attribute__((vector_size(16)));

/* Whether four FAT32 entries are all free (their low 28 bits zero). */
static inline bool all_free(v4u x)
{
	v2q used = (v2q)(x & (v4u){0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF});
	return !(used[0] | used[1]);
}

/*
 * FAT32 entries at e that are free, from the first on (at most room), each
 * linked to the next cluster as it is found (the first to val, then val + 1,
 * ...): how many. The scan for free entries and the links are one pass over
 * the sector, sixteen entries per step (a 64-byte block tested at once), then
 * four, then one. A free entry's low 28 bits are zero, so x | next links it
 * and keeps its reserved top bits.
 */
static uint32_t claim32_each(uint8_t *e, uint32_t val, uint32_t room)
{
	const v4u four = {4, 4, 4, 4}, sixteen = 4 * four;
	v4u next = {val, val + 1, val + 2, val + 3};
	v4u n1 = next + four, n2 = next + 2 * four, n3 = next + 3 * four;
	v4u *q = (v4u *)e, *stop = q + room / 16 * 4;

	/* Four running link vectors (no copy of one to add an offset per store); a pointer bound.
	 */
	for (; q < stop; q += 4) {
		v4u a = q[0], b = q[1], c = q[2], d = q[3];
		if (!all_free(a | b | c | d))
			break;
		q[0] = a | next;
		q[1] = b | n1;
		q[2] = c | n2;
		q[3] = d | n3;
		next += sixteen;
		n1 += sixteen;
		n2 += sixteen;
		n3 += sixteen;
	}
	uint32_t k = (uint32_t)(q - (v4u *)e) * 4;
	for (; k + 4 <= room && all_free(*q); k += 4, q++, next += four)
		*q |= next;
	for (; k < room && (rd32(e + 4 * k) & 0x0FFFFFFF) == 0; k++)
		wr32(e + 4 * k, rd32(e + 4 * k) | (val + k));
	return k;
}

/* Whether the n FAT32 entries at e (a multiple of 4) are all zero bytes: loads only. */
static bool all_zero32(const uint8_t *e, uint32_t n)
{
	const v4u *q = (const v4u *)e, *stop = q + n / 16 * 4, *end = q + n / 4;
	v4u acc = {0, 0, 0, 0};

	for (; q < stop; q += 4)
		acc |= q[0] | q[1] | q[2] | q[3];
	for (; q < end; q++)
		acc |= *q;
	v2q any = (v2q)acc;
	return !(any[0] | any[1]);
}

/* The n zero FAT32 entries at e (a multiple of 4) linked val, val + 1, ...: stores only. */
static void store_links32(uint8_t *e, uint32_t val, uint32_t n)
{
	const v4u four = {4, 4, 4, 4}, sixteen = 4 * four;
	v4u n0 = {val, val + 1, val + 2, val + 3};
	v4u n1 = n0 + four, n2 = n1 + four, n3 = n2 + four;
	v4u *q = (v4u *)e, *stop = q + n / 16 * 4, *end = q + n / 4;

	for (; q < stop; q += 4) {
		q[0] = n0;
		q[1] = n1;
		q[2] = n2;
		q[3] = n3;
		n0 += sixteen;
		n1 += sixteen;
		n2 += sixteen;
		n3 += sixteen;
	}
	for (; q < end; q++, n0 += four)
		*q = n0;
}

/*
 * claim32_each's answer and links. The usual free space is all zero bytes
 * (reserved bits clear), so the entries in whole vectors are tested first
 * with loads alone and, when all are zero, written with stores alone (about
 * 1.4 instructions per entry against about 2 for the pass that tests and
 * links each block), the last three at most one at a time; a vector with a
 * bit set sends the whole sector through claim32_each from its start.
 */
static uint32_t claim32(uint8_t *e, uint32_t val, uint32_t room)
{
	uint32_t k = room / 4 * 4;

	if (k == 0 || !all_zero32(e, k))
		return claim32_each(e, val, room);
	store_links32(e, val, k);
	for (; k < room && (rd32(e + 4 * k) & 0x0FFFFFFF) == 0; k++)
		wr32(e + 4 * k, rd32(e + 4 * k) | (val + k));
	return k;
}

/* The room entries at e, known to be zero bytes, linked val, val + 1, ...: stores only. */
static uint32_t claim32_zero(uint8_t *e, uint32_t val, uint32_t room)
{
	uint32_t k = room / 4 * 4;

	store_links32(e, val, k);
	for (; k < room; k++)
		wr32(e + 4 * k, val + k);
	return k;
}

void table_note_zero(struct fat_vol *v, uint32_t sec)
{
	uint64_t lba = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + sec;

	if (v->type != FAT32 || v->ss % 16)
		return;
	if (lba == v->zero_lba)
		v->zero_lba = 0; /* the bit now says all of it */
	cache_zero_set(&v->cache, lba);
}

/* The first entry of sector lba from which its entries are known to be zero bytes (per: none). */
static uint32_t zero_from(const struct fat_vol *v, uint64_t lba, uint32_t per)
{
	if (!cache_zero(&v->cache, lba))
		return per;
	return lba == v->zero_lba ? v->zero_from : 0;
}

/* Sector lba, changed, zero bytes from entry from on: noted (the note moves from another). */
static void note_zero_tail(struct fat_vol *v, uint64_t lba, uint32_t from)
{
	if (v->zero_lba && v->zero_lba != lba)
		cache_zero_clear(&v->cache, v->zero_lba);
	v->zero_lba = lba;
	v->zero_from = from;
	cache_zero_set(&v->cache, lba);
}

/* The same for FAT16 entries, one at a time. */
static uint32_t claim16(uint8_t *e, uint32_t val, uint32_t room)
{
	uint32_t k = 0;

	for (; k < room && rd16(e + 2 * k) == 0; k++)
		wr16(e + 2 * k, (uint16_t)(val + k));
	return k;
}

/* The free entries from p linked val, val + 1, ... (at most room; known zero bytes: all). */
static uint32_t claim_in(const struct fat_vol *v, uint8_t *p, uint32_t val, uint32_t room,
			 bool zero)
{
	if (v->type != FAT32)
		return claim16(p, val, room);
	return zero ? claim32_zero(p, val, room) : claim32(p, val, room);
}

/* Entry e (FAT16/32, in place) set to val, a FAT32 entry's reserved top bits kept. */
static void set_in_place(const struct fat_vol *v, uint8_t *e, uint32_t val)
{
	if (v->type == FAT32)
		wr32(e, (rd32(e) & 0xF0000000) | val);
	else
		wr16(e, (uint16_t)val);
}

/* Whether cluster last's entry (at e, in place; NULL: looked up) is an end of chain mark. */
static bool ends_chain(struct fat_vol *v, uint32_t last, const uint8_t *e)
{
	uint32_t next;

	if (!e)
		return table_next(v, last, &next) == E_OK && next == 0;
	return is_end(v, v->type == FAT32 ? rd32(e) & 0x0FFFFFFF : rd16(e));
}

/*
 * The run of n clusters after `last`, claimed, joins last's chain: last's
 * entry links to it, after the run's links and end mark. In place when that
 * entry lay in the run's first sector (at), whose line is still cached and
 * dirty when no device read came since (a read is the only way a line is
 * evicted or written back: reads_then); looked up otherwise.
 */
static long join_run(struct fat_vol *v, uint32_t last, uint8_t *at, uint64_t reads_then)
{
	if (!at || v->cache.reads != reads_then || !fat_cluster_ok(v, last))
		return table_set(v, last, last + 1); /* (which refuses a last that is no cluster) */
	set_in_place(v, at, last + 1);
	return E_OK;
}

/*
 * The free clusters right after `last` (at most max, none past the volume's
 * last cluster but one) linked one to the next in the cached first FAT,
 * sector by sector (one cache look-up each; the sector and the place in it
 * moved on, not worked out again; entries noted as zero bytes linked without
 * a test, and what is left of such a sector noted), stopping at the first taken one; the last
 * of them ends the run, then last links to the first (join_run). How many in
 * *n (FAT16/32); none when last does not end its chain (its entry read with
 * the first sector, in place).
 */
static long claim_after(struct fat_vol *v, uint32_t last, uint32_t max, uint32_t *n)
{
	uint32_t width = v->type == FAT32 ? 4 : 2, per = v->ss / width, cl = last + 1;
	uint32_t in = cl % per, lim = fat_cluster_ok(v, cl) ? v->clusters + 1 - cl : 0;
	uint64_t lba = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + cl / per;
	uint8_t *end = NULL;  /* the entry of the run's last cluster, while in this sector */
	uint8_t *link = NULL; /* last's entry, when in the run's first sector */
	struct fat_cache_line *first = NULL; /* the run's first sector's line */
	uint64_t reads = v->cache.reads;
	long r = E_OK;

	*n = 0;
	lim = lim < max ? lim : max;
	if (lim && in == 0 && !ends_chain(v, last, NULL))
		return E_OK; /* last's entry is in the sector before: looked up on its own */
	for (; *n < lim; lba++, in = 0) {
		uint32_t room = per - in < lim - *n ? per - in : lim - *n, k;
		bool zero = zero_from(v, lba, per) <= in; /* (before a look-up marks it dirty) */
		uint8_t *p;
		/* A sector after the first is changed unless the run stops at its start (rare: then
		 * it is written back unchanged); one look-up marks it. The first is marked by its
		 * line once a claim in it is known, before the next look-up. */
		r = *n ? cache_get_dirty(&v->cache, lba, FAT_READ_AHEAD, &p)
		       : cache_get_line(&v->cache, lba, FAT_READ_AHEAD, &first);
		if (r < 0)
			return r;
		if (*n == 0)
			p = first->data;
		if (*n == 0 && in > 0) {
			link = p + (in - 1) * width;
			reads = v->cache.reads;
			if (!ends_chain(v, last, link))
				return E_OK;
		}
		p += in * width;
		k = claim_in(v, p, cl + *n + 1, room, zero);
		end = k ? p + (k - 1) * width : NULL;
		if (k && *n == 0)
			cache_line_mark_dirty(&v->cache, first);
		if (zero && in + k < per) /* the rest of the sector is still zero bytes */
			note_zero_tail(v, lba, in + k);
		*n += k;
		if (k < room)
			break;
	}
	if (*n && end)
		set_in_place(v, end, v->eoc);
	else if (*n) /* the run stopped at the start of a sector: its end is in the one before */
		r = table_raw_set(v, last + *n, v->eoc);
	return r == E_OK && *n ? join_run(v, last, link, reads) : r;
}

long table_extend_run(struct fat_vol *v, uint32_t last, uint32_t max, uint32_t *count)
{
	uint32_t n = 0;
	long r = v->type == FAT12 || v->read_only ? E_OK : claim_after(v, last, max, &n);

	*count = 0;
	if (r < 0 || n == 0)
		return r;
	v->free_count -= v->free_count >= n ? n : v->free_count;
	v->next_free = last + 1 + n;
	*count = n;
	return E_OK;
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
