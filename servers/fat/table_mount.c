/* SPDX-License-Identifier: MIT */
/*
 * The table at mount and sync: the free clusters counted (FSInfo's count is
 * rewritten at sync, never believed) and the FAT16/FAT32 clean-shutdown bit
 * in entry 1. Mount reads the bit (cleared: repair, repair.c, and copy the
 * first FAT over the others); the first change clears it in the cache
 * (table_mark_dirty); sync writes FSInfo and everything else, then sets the
 * bit and writes its sector last, to the other copies first
 * (table_mark_clean). Entries are read and written through table.c. A
 * sector that is one run of links is noted as it is counted
 * (table_note_links: the run scans pass over it later) and holds nothing
 * free, so its free count is skipped.
 */
#include "fat_impl.h"

#define FAT16_CLEAN 0x8000u
#define FAT32_CLEAN 0x08000000u

/* Lane counts (fat_v4u, fat_impl.h, holds the entries). */
typedef int32_t fat_v4s __attribute__((vector_size(16)));

#define COUNT_VECS    8		       /* vectors per loop step of free_in32 */
#define COUNT_ENTRIES (4 * COUNT_VECS) /* its entries per step */

/* Free ones of the n FAT32 entries at p: COUNT_ENTRIES per loop step, a count per lane; and
 * whether all n are zero bytes (*zero). */
static uint32_t free_in32(const uint8_t *p, uint32_t n, bool *zero)
{
	const fat_v4u mask = {0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF}, none = {0, 0, 0, 0};
	fat_v4s lanes = {0, 0, 0, 0}; /* minus the free entries seen in each lane */
	fat_v4u any = none;	      /* every bit set anywhere */
	uint32_t i = 0, free, rest = 0;

	for (; i + COUNT_ENTRIES <= n; i += COUNT_ENTRIES) {
		const fat_v4u *q = (const fat_v4u *)(p + 4 * i);
#pragma GCC unroll 8
		for (uint32_t k = 0; k < COUNT_VECS; k++) {
			lanes += (q[k] & mask) == none; /* -1 where free */
			any |= q[k];
		}
	}
	free = (uint32_t) - (lanes[0] + lanes[1] + lanes[2] + lanes[3]);
	for (; i < n; i++) {
		free += (rd32(p + 4 * i) & 0x0FFFFFFF) == 0;
		rest |= rd32(p + 4 * i);
	}
	*zero = !(any[0] | any[1] | any[2] | any[3] | rest);
	return free;
}

/* The first free one of FAT32 entries k .. n - 1 at p, four at a time (n if none). */
static uint32_t first_free32(const uint8_t *p, uint32_t k, uint32_t n)
{
	const fat_v4u mask = {0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF, 0x0FFFFFFF}, none = {0, 0, 0, 0};

	for (; k + 4 <= n; k += 4) {
		fat_v2q any = (fat_v2q)((*(const fat_v4u *)(p + 4 * k) & mask) == none);
		if (any[0] | any[1])
			break;
	}
	while (k < n && (rd32(p + 4 * k) & 0x0FFFFFFF) != 0)
		k++;
	return k;
}

/* The first free one of FAT16 entries k .. n - 1 at p (n if none). */
static uint32_t first_free16(const uint8_t *p, uint32_t k, uint32_t n)
{
	while (k < n && rd16(p + 2 * k) != 0)
		k++;
	return k;
}

/* Free entries in one sector of the active FAT (FAT16/32: whole entries per sector). */
static long count_sector(struct fat_vol *v, uint32_t sec, uint32_t *cl)
{
	unsigned width = v->type / 8, per = v->ss / width;
	uint8_t *p;
	long r = cache_get(&v->cache, v->fat_start + (uint64_t)v->active_fat * v->fat_sectors + sec,
			   FAT_READ_AHEAD, &p);

	if (r < 0)
		return r;
	uint32_t n = v->clusters + 2 - *cl < per ? v->clusters + 2 - *cl : per, free = 0;
	uint32_t i = *cl < 2 ? 2 - *cl : 0; /* entries 0 and 1 are no clusters */
	if (table_note_links(v, sec, p)) {  /* one run of links: nothing free in it */
		*cl += n;
		return E_OK;
	}
	if (!v->next_free) { /* the first free cluster, once */
		uint32_t k = width == 4 ? first_free32(p, i, n) : first_free16(p, i, n);
		v->next_free = k < n ? *cl + k : 0;
	}
	bool zero = false;
	if (width == 4)
		free = free_in32(p + 4 * i, n - i, &zero);
	else
		for (; i < n; i++)
			free += rd16(p + 2 * i) == 0;
	if (zero && free == per) /* the whole sector zero bytes: noted */
		table_note_zero(v, sec);
	v->free_count += free;
	*cl += n;
	return E_OK;
}

static long count_free(struct fat_vol *v)
{
	v->free_count = 0;
	v->next_free = 0;
	if (v->type != FAT12) {
		uint32_t cl = 0;
		table_watch_links(v);
		for (uint32_t sec = 0; sec < v->fat_sectors && cl < v->clusters + 2; sec++) {
			long r = count_sector(v, sec, &cl);
			if (r < 0)
				return r;
		}
		return E_OK;
	}
	for (uint32_t cl = 2; cl - 2 < v->clusters; cl++) {
		uint32_t x;
		long r = table_raw_get(v, cl, &x);
		if (r < 0)
			return r;
		if (x == 0) {
			v->free_count++;
			if (!v->next_free)
				v->next_free = cl;
		}
	}
	return E_OK;
}

static uint32_t clean_bit(const struct fat_vol *v)
{
	return v->type == FAT16 ? FAT16_CLEAN : v->type == FAT32 ? FAT32_CLEAN : 0;
}

/* table_mark_dirty when it has something to do, or may have. */
long table_mark_dirty_slow(struct fat_vol *v)
{
	uint32_t x;
	long r;

	if (v->read_only)
		return E_RIGHTS;
	if (v->marked_dirty || !clean_bit(v))
		return E_OK;
	r = table_raw_get(v, 1, &x);
	if (r == E_OK)
		r = table_raw_set(v, 1, x & ~clean_bit(v));
	if (r == E_OK)
		v->marked_dirty = true;
	return r;
}

static long write_fsinfo(struct fat_vol *v)
{
	uint8_t *s;
	long r;

	if (v->type != FAT32 || !v->fsinfo_sector)
		return E_OK;
	r = cache_get(&v->cache, v->fsinfo_sector, 0, &s);
	if (r < 0)
		return r;
	if (rd32(s) != 0x41615252 || rd32(s + 484) != 0x61417272)
		return E_OK; /* not an FSInfo sector: leave it alone */
	if (rd32(s + 488) != v->free_count || rd32(s + 492) != v->next_free) {
		wr32(s + 488, v->free_count);
		wr32(s + 492, v->next_free ? v->next_free : 0xFFFFFFFF);
		cache_mark_dirty(&v->cache, v->fsinfo_sector);
	}
	return E_OK;
}

/*
 * The volume marked clean on the disk only once everything else is there:
 * all dirty sectors first (the clean bit's sector, if dirty, still saying
 * "in use"), then that sector alone, to the other FAT copies before the
 * first. A kill before the first copy's write leaves it saying "in use",
 * which the next mount repairs (and copies to the others); so the first copy
 * says "clean" only when every copy holds the same.
 */
long table_mark_clean(struct fat_vol *v)
{
	uint32_t x;
	long r = write_fsinfo(v);

	if (r < 0 || !v->marked_dirty)
		return r;
	r = cache_write_back(&v->cache, 0, UINT64_MAX);
	if (r == E_OK)
		r = table_raw_get(v, 1, &x);
	if (r < 0)
		return r;
	r = table_raw_set(v, 1, x | clean_bit(v));
	if (r == E_OK) /* entry 1 lies in the table's first sector */
		r = cache_commit(&v->cache,
				 v->fat_start + (uint64_t)v->active_fat * v->fat_sectors);
	if (r == E_OK)
		v->marked_dirty = false;
	else /* still in use: no later write-back may carry the clean bit */
		table_raw_set(v, 1, x & ~clean_bit(v));
	return r;
}

long table_mount(struct fat_vol *v)
{
	uint32_t x;
	long r = table_raw_get(v, 1, &x);

	if (r < 0)
		return r;
	v->was_dirty = clean_bit(v) && !(x & clean_bit(v));
	if (v->mirror && v->nfats > 1)
		cache_set_mirror(&v->cache, v->fat_start, v->fat_sectors, v->nfats - 1,
				 clean_bit(v) != 0);
	if (v->was_dirty && !v->read_only) {
		/* Ours to make clean again: repair what a kill left, mark clean at sync. */
		v->marked_dirty = true;
		r = repair_lost_clusters(v);
		if (r < 0)
			v->repaired = 0; /* damage found: nothing freed, fsck's job */
		/* A kill between a sector's write to the first FAT and to the others left the
		 * first newer: it is the one read, and the others become equal to it (unless
		 * the walk met damage: then the other copies may be what fsck needs). */
		r = r == E_OK ? cache_mirror_all(&v->cache) : E_OK;
		if (r < 0)
			return r;
	}
	return count_free(v);
}
