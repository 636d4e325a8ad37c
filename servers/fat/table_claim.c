/* SPDX-License-Identifier: MIT */
/*
 * The claim of free clusters for an append (table_extend_run): the free
 * entries right after a chain's last cluster, in the cached active FAT,
 * linked one to the next sector by sector with SSE2 vectors, the last made
 * the end mark, then the chain's old end linked to the run (table.c has the
 * entries, chains and run scans). Free space is usually all zero bytes:
 * whole vectors are tested with loads alone and linked with stores alone,
 * and sectors the mount found all zero (the cache's zero bits, cleared by
 * any change) are linked without the test. A claim that ends inside such a
 * sector notes the rest of it and keeps its line (the append cursor), so the
 * next claim after that run, while the sector's bit stands, starts there
 * without a look-up (claim_on); any other claim takes claim_after.
 */
#include "fat_impl.h"

#define ALIGN_SCAN                                                                                 \
	1024 /* table sectors table_alloc_aligned looks at (128 Ki clusters at 512 bytes) */

/* Whether four FAT32 entries are all free (their low 28 bits zero). */
static inline bool all_free(fat_v4u x)
{
	fat_v2q used = (fat_v2q)(x & (fat_v4u){0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF});
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
	const fat_v4u four = {4, 4, 4, 4}, sixteen = 4 * four;
	fat_v4u next = {val, val + 1, val + 2, val + 3};
	fat_v4u n1 = next + four, n2 = next + 2 * four, n3 = next + 3 * four;
	fat_v4u *q = (fat_v4u *)e, *stop = q + room / 16 * 4;

	/* Four running link vectors (no copy of one to add an offset per store); a pointer bound.
	 */
	for (; q < stop; q += 4) {
		fat_v4u a = q[0], b = q[1], c = q[2], d = q[3];
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
	uint32_t k = (uint32_t)(q - (fat_v4u *)e) * 4;
	for (; k + 4 <= room && all_free(*q); k += 4, q++, next += four)
		*q |= next;
	for (; k < room && (rd32(e + 4 * k) & 0x0FFFFFFF) == 0; k++)
		wr32(e + 4 * k, rd32(e + 4 * k) | (val + k));
	return k;
}

/* Whether the n FAT32 entries at e (a multiple of 4) are all zero bytes: loads only. */
static bool all_zero32(const uint8_t *e, uint32_t n)
{
	const fat_v4u *q = (const fat_v4u *)e, *stop = q + n / 16 * 4, *end = q + n / 4;
	fat_v4u acc = {0, 0, 0, 0};

	for (; q < stop; q += 4)
		acc |= q[0] | q[1] | q[2] | q[3];
	for (; q < end; q++)
		acc |= *q;
	fat_v2q any = (fat_v2q)acc;
	return !(any[0] | any[1]);
}

/*
 * n zero FAT32 entries at e (a multiple of 32: a whole sector's, 128 or 1,024) linked val,
 * val + 1, ...: stores only, eight running link vectors a step (19 instructions per 32
 * entries), no tail.
 */
static void store_sector32(uint8_t *e, uint32_t val, uint32_t n)
{
	const fat_v4u four = {4, 4, 4, 4}, step = 8 * four;
	fat_v4u n0 = {val, val + 1, val + 2, val + 3}, n1 = n0 + four, n2 = n0 + 2 * four;
	fat_v4u n3 = n0 + 3 * four, n4 = n0 + 4 * four, n5 = n0 + 5 * four, n6 = n0 + 6 * four;
	fat_v4u n7 = n0 + 7 * four;

	for (fat_v4u *q = (fat_v4u *)e, *stop = q + n / 4; q < stop; q += 8) {
		q[0] = n0;
		q[1] = n1;
		q[2] = n2;
		q[3] = n3;
		q[4] = n4;
		q[5] = n5;
		q[6] = n6;
		q[7] = n7;
		n0 += step;
		n1 += step;
		n2 += step;
		n3 += step;
		n4 += step;
		n5 += step;
		n6 += step;
		n7 += step;
	}
}

/* The n zero FAT32 entries at e (a multiple of 4) linked val, val + 1, ...: stores only. */
static void store_links32(uint8_t *e, uint32_t val, uint32_t n)
{
	const fat_v4u four = {4, 4, 4, 4};
	uint32_t whole = n / 32 * 32;

	if (whole)
		store_sector32(e, val, whole);
	fat_v4u v0 = {val + whole, val + whole + 1, val + whole + 2, val + whole + 3};
	for (fat_v4u *q = (fat_v4u *)(e + 4 * whole), *end = q + (n - whole) / 4; q < end;
	     q++, v0 += four)
		*q = v0;
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

/* Sector lba (line l) zero bytes from entry from on, after cluster end's run: the note and
 * the append cursor, where no other sector's note stands. */
static inline void note_tail(struct fat_vol *v, uint64_t lba, uint32_t from, uint32_t end,
			     const struct fat_cache_line *l)
{
	v->zero_lba = lba;
	v->zero_from = from;
	cache_zero_set(&v->cache, lba);
	v->cur_end = end;
	v->cur_line = (int32_t)(l - v->cache.lines);
}

/*
 * Sector lba, changed (its line l), zero bytes from entry from on: noted (the note moves from
 * another, whose bit is cleared unless a change cleared it already), and the run that ends
 * before that entry with cluster end becomes the append cursor.
 */
static void note_zero_tail(struct fat_vol *v, uint64_t lba, uint32_t from, uint32_t end,
			   const struct fat_cache_line *l)
{
	if (v->zero_lba != lba && cache_zero(&v->cache, v->zero_lba))
		cache_zero_clear(&v->cache, v->zero_lba);
	note_tail(v, lba, from, end, l);
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

/* FAT32 entry e (in place) set to val, its reserved top bits kept. */
static inline void set32(uint8_t *e, uint32_t val)
{
	wr32(e, (rd32(e) & 0xF0000000) | val);
}

/* Entry e (FAT16/32, in place) set to val, a FAT32 entry's reserved top bits kept. */
static void set_in_place(const struct fat_vol *v, uint8_t *e, uint32_t val)
{
	if (v->type == FAT32)
		set32(e, val);
	else
		wr16(e, (uint16_t)val);
}

/* Whether cluster last's entry (at e, in place; NULL: looked up) is an end of chain mark. */
static bool ends_chain(struct fat_vol *v, uint32_t last, const uint8_t *e)
{
	uint32_t next;

	if (!e)
		return table_next(v, last, &next) == E_OK && next == 0;
	return table_is_end(v, v->type == FAT32 ? rd32(e) & 0x0FFFFFFF : rd16(e));
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

/* Clusters a claim after `last` may take: at most max, none past the volume's last cluster. */
static uint32_t claim_limit(const struct fat_vol *v, uint32_t last, uint32_t max)
{
	uint32_t lim = fat_cluster_ok(v, last + 1) ? v->clusters - last : 0;

	return lim < max ? lim : max;
}

/* Where a claim starts: its first sector, known to hold last's end mark or to follow it. */
struct claim {
	uint64_t lba;		     /* the sector */
	struct fat_cache_line *line; /* its line */
	uint32_t width, per;	     /* bytes an entry, entries a sector */
	uint32_t lim;		     /* clusters at most */
	uint32_t in;		     /* the sector's first entry to claim */
	bool zero;		     /* whether its entries from in on are known zero bytes */
	uint8_t *at;		     /* last's entry, when in this sector (join_run) */
	uint64_t reads;		     /* the cache's reads when at was found */
};

/*
 * The run's end: the rest of its last sector (lba, from entry from on, line l) noted zero
 * bytes when it was (the append cursor), the end mark (in place; in the sector before when
 * the run stopped at a sector's start), then last's link (join_run).
 */
static long claim_end(struct fat_vol *v, uint32_t last, const struct claim *s, uint32_t n,
		      uint64_t lba, struct fat_cache_line *l, uint32_t from, bool zero, uint32_t k)
{
	long r = E_OK;

	if (zero) /* (also a sector the run filled: from is per, and the cursor stands) */
		note_zero_tail(v, lba, from, last + n, l);
	if (k)
		set_in_place(v, l->data + (from - 1) * s->width, v->eoc);
	else
		r = table_raw_set(v, last + n, v->eoc);
	return r == E_OK ? join_run(v, last, s->at, s->reads) : r;
}

/*
 * The claim from s: free entries linked sector by sector, the first sector's line marked
 * dirty once a claim in it is known (before the next look-up, which may evict it); each
 * sector after it, while the one before was claimed to its end, looked up and marked dirty
 * at once (it changes unless the run stops at its start, rare: then it is written back
 * unchanged), whether its entries are known zero read before. How many in *n.
 */
static long claim_run(struct fat_vol *v, uint32_t last, const struct claim *s, uint32_t *n)
{
	struct fat_cache_line *l = s->line;
	uint32_t per = s->per, lim = s->lim, in = s->in, room = per - in < lim ? per - in : lim;
	uint32_t k = claim_in(v, l->data + in * s->width, last + 2, room, s->zero), got = k;
	uint64_t lba = s->lba;
	bool zero = s->zero;

	*n = 0;
	if (k == 0)
		return E_OK;
	cache_line_mark_dirty(&v->cache, l);
	while (k == room && got < lim) {
		long r;
		lba++;
		in = 0;
		zero = zero_from(v, lba, per) == 0;
		r = cache_get_dirty_line(&v->cache, lba, FAT_READ_AHEAD, &l);
		if (r < 0)
			return r;
		room = per < lim - got ? per : lim - got;
		k = claim_in(v, l->data, last + 2 + got, room, zero);
		got += k;
	}
	*n = got;
	return claim_end(v, last, s, got, lba, l, in + k, zero, k);
}

/*
 * Whether the append cursor stands for a claim after `last`: the previous claim ended its
 * run there (its end mark still in place), in a sector unchanged since (its zero bit: every
 * change clears it), whose line still holds it.
 */
static bool cursor_holds(const struct fat_vol *v, uint32_t last)
{
	const struct fat_cache_line *l;

	if (last != v->cur_end || !cache_zero(&v->cache, v->zero_lba)) /* (none: zero_lba 0) */
		return false;
	l = &v->cache.lines[v->cur_line];
	return l->valid && l->lba == v->zero_lba &&
	       table_is_end(v, rd32(l->data + 4 * (v->zero_from - 1)) & 0x0FFFFFFF);
}

/*
 * The claim after the cursor's run (FAT32), the fast path of claim_run for
 * the usual append: its first sector's line, the place in it and its zero
 * entries are known (no look-up, division or test), last's entry is in it,
 * the sectors after it are looked up in turn as claim_run does; the count
 * and free space kept here too. Otherwise the same steps and order.
 */
static long claim_on(struct fat_vol *v, uint32_t last, uint32_t max, uint32_t *count)
{
	struct fat_cache *c = &v->cache;
	struct fat_cache_line *l = &c->lines[v->cur_line];
	uint32_t per = v->ss / 4, in = v->zero_from, lim = claim_limit(v, last, max), got, k;
	uint8_t *at = l->data + 4 * in - 4;
	uint64_t lba = v->zero_lba, reads = c->reads;
	bool zero = true;
	long r = E_OK;

	if (!lim)
		return E_OK;
	v->cursor_claims++;
	cache_line_mark_dirty(c, l);
	k = in < per ? claim32_zero(l->data + 4 * in, last + 2, per - in < lim ? per - in : lim)
		     : 0;
	for (got = k; got < lim && in + k == per; got += k) {
		/* Whether its zero bit stood (past the noted sector: all of it zero, or none). */
		r = cache_get_dirty_line(c, ++lba, FAT_READ_AHEAD, &l);
		if (r < 0)
			return r;
		zero = r;
		in = 0;
		k = per < lim - got ? per : lim - got;
		if (zero && k == per) /* (the usual sector: all of it) */
			store_sector32(l->data, last + 2 + got, k);
		else
			k = zero ? claim32_zero(l->data, last + 2 + got, k)
				 : claim32(l->data, last + 2 + got, k);
	}
	if (zero) /* (the cursor's note moves: its bit went when l was marked) */
		note_tail(v, lba, in + k, last + got, l);
	r = E_OK;
	if (k)
		set32(l->data + 4 * (in + k - 1), v->eoc);
	else
		r = table_raw_set(v, last + got, v->eoc);
	if (r == E_OK && c->reads == reads) /* join_run's steps, its tests known true here */
		set32(at, last + 1);
	else if (r == E_OK)
		r = table_set(v, last, last + 1);
	if (r < 0)
		return r;
	table_took(v, last + 1, got);
	*count = got;
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
	struct claim s = {.width = width, .per = per, .in = cl % per};
	long r;

	*n = 0;
	s.lim = claim_limit(v, last, max);
	s.lba = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + cl / per;
	if (!s.lim || (s.in == 0 && !ends_chain(v, last, NULL)))
		return E_OK; /* last's entry is in the sector before: looked up on its own */
	s.zero = zero_from(v, s.lba, per) <= s.in; /* (before a look-up marks it dirty) */
	r = cache_get_line(&v->cache, s.lba, FAT_READ_AHEAD, &s.line);
	if (r < 0)
		return r;
	if (s.in > 0) {
		s.at = s.line->data + (s.in - 1) * width;
		s.reads = v->cache.reads;
		if (!ends_chain(v, last, s.at))
			return E_OK;
	}
	return claim_run(v, last, &s, n);
}

/*
 * A new file's first cluster, for a first write of at least a table sector's clusters: the
 * first of a sector the mount noted all zero bytes (and no change since), from next_free's
 * sector on (at most ALIGN_SCAN sectors), so that the append's runs fill whole table sectors
 * (a 1 MiB write of 4 KiB clusters then links two sectors, not parts of three); the rest of
 * the sector is noted zero bytes after it, so the append cursor stands for the run's claim.
 * E_NOSPACE when none is noted there (the caller takes any free cluster).
 */
long table_alloc_aligned(struct fat_vol *v, uint32_t *out)
{
	uint32_t per = v->ss / 4, from = fat_cluster_ok(v, v->next_free) ? v->next_free : 2;
	uint64_t base = v->fat_start + (uint64_t)v->active_fat * v->fat_sectors;
	uint64_t sec = (from + per - 1) / per, end = sec + ALIGN_SCAN;

	if (v->type != FAT32 || v->read_only)
		return E_NOSPACE;
	end = end < v->fat_sectors ? end : v->fat_sectors;
	for (; sec < end; sec++) {
		uint64_t cl = sec * per;
		if (!fat_cluster_ok(v, (uint32_t)cl) || cl + per - 1 > (uint64_t)v->clusters + 1)
			break; /* (past the last cluster: nothing to take) */
		if (!cache_zero(&v->cache, base + sec) || base + sec == v->zero_lba)
			continue;
		struct fat_cache_line *l;
		long r = cache_get_dirty_line(&v->cache, base + sec, FAT_READ_AHEAD, &l);
		if (r < 0)
			return r;
		set32(l->data, v->eoc);
		note_zero_tail(v, base + sec, 1, (uint32_t)cl,
			       l); /* the cursor: cl's run goes on */
		table_took(v, (uint32_t)cl, 1);
		*out = (uint32_t)cl;
		return E_OK;
	}
	return E_NOSPACE;
}

long table_extend_run(struct fat_vol *v, uint32_t last, uint32_t max, uint32_t *count)
{
	uint32_t n = 0;
	long r = E_OK;

	*count = 0;
	if (v->type == FAT12 || v->read_only)
		return E_OK;
	if (cursor_holds(v, last))
		return claim_on(v, last, max, count);
	r = claim_after(v, last, max, &n);
	if (r < 0 || n == 0)
		return r;
	table_took(v, last + 1, n);
	*count = n;
	return E_OK;
}
