/* SPDX-License-Identifier: MIT */
/*
 * unit-fat_scan's cases set up one at a time (test_fat_scan.c has the
 * random ones): table_alloc_aligned's choice of a new file's first cluster,
 * and the append cursor when the cache line it remembers is no longer its
 * sector's (taken for another table sector before the claim) or is taken
 * during the claim (the first sector's line evicted by a later look-up's
 * fill): either way the claim must link the right entries and no others.
 */
#include <string.h>

#include "check.h"
#include "test_fat_scan.h"

/*
 * table_alloc_aligned: a new file's first cluster at the start of the first table sector from
 * next_free's on that the mount noted all zero; not the noted tail of a claim's sector (zero
 * from some entry on only); E_NOSPACE when no sector is noted.
 */
void test_aligned(void)
{
	static struct fat_vol v;
	uint32_t ss = 512, per = ss / 4, got = 0, cl = 0;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	vol_init(&v, FAT32, ss, 20 * per);
	memset(disk + ss, 0, (size_t)v.fat_sectors * ss);
	for (uint32_t c = 0; c < 3 * per + 5; c++) /* sectors 0-2 used, 3 in part, 4 on zero */
		wr32(disk + ss + 4 * c, c < 2 ? 0x0FFFFFF8 : v.eoc);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_mount(&v), E_OK);
	v.next_free = 3 * per + 5;
	CHECK_EQ(table_alloc_aligned(&v, &cl), E_OK);
	CHECK_EQ(cl, 4 * per); /* not in sector 3, whose first five entries are taken */
	CHECK_EQ(table_next(&v, cl, &got), E_OK);
	CHECK_EQ(got, 0); /* a chain of one */
	CHECK_EQ(v.next_free, 4 * per + 1);
	CHECK_EQ(table_extend_run(&v, cl, per - 1, &got), E_OK); /* the sector, to its end */
	CHECK_EQ(got, per - 1);
	CHECK_EQ(v.zero_from, per); /* the cursor stands for the next sector's claim */
	CHECK_EQ(table_extend_run(&v, cl + per - 1, 2 * per, &got), E_OK);
	CHECK_EQ(got, 2 * per);
	for (uint32_t c = cl, next = 0; c < cl + 3 * per - 1; c++) {
		CHECK_EQ(table_next(&v, c, &next), E_OK);
		if (next != c + 1) {
			CHECK_EQ(next, c + 1);
			break;
		}
	}
	CHECK_EQ(table_alloc_aligned(&v, &cl), E_OK);
	CHECK_EQ(cl, 7 * per); /* past the sectors the run filled */
	CHECK_EQ(table_extend_run(&v, cl, 10, &got), E_OK);
	CHECK(got == 10 && v.zero_from == 11); /* sector 7: zero from entry 11 on, noted */
	v.next_free = 7 * per;
	CHECK_EQ(table_alloc_aligned(&v, &cl), E_OK);
	CHECK_EQ(cl, 8 * per); /* not sector 7 again: its bit says only its tail is zero */
	for (uint32_t sec = 9; sec < v.fat_sectors; sec++) /* no sector left noted */
		cache_zero_clear(&v.cache, v.fat_start + sec);
	CHECK_EQ(table_alloc_aligned(&v, &cl), E_NOSPACE);
	cache_free(&v.cache);
}

#define PER 128u /* FAT32 entries in a 512-byte sector */

static struct fat_vol cv;
static uint32_t css = 512;

/*
 * A volume whose chain `a` (one cluster, 8 entries before sector 3) has been appended to by
 * 20 clusters: the run ends at entry 12 of sector 3, a sector the mount noted all zero, so
 * the append cursor stands (cur_end, cur_line) with the tail noted zero from entry 13.
 * Cluster 20 * PER + 12 ends a one-cluster chain of its own.
 */
static uint32_t cursor_volume(void)
{
	static struct fat_blockdev dev = {&css,	      512, DISK_BYTES / 512, 128, disk_read,
					  disk_write, NULL};
	uint32_t a = 3 * PER - 8, got = 0;

	vol_init(&cv, FAT32, css, 40 * PER);
	memset(disk + css, 0, (size_t)cv.fat_sectors * css);
	wr32(disk + css, 0x0FFFFFF8);
	wr32(disk + css + 4, 0x0FFFFFFF);
	wr32(disk + css + 4 * a, cv.eoc);
	wr32(disk + css + 4 * (20 * PER + 12), cv.eoc);
	CHECK_EQ(cache_init(&cv.cache, &dev, 0, DISK_BYTES / css, 64 * css, NULL, 0), E_OK);
	CHECK_EQ(table_mount(&cv), E_OK);
	CHECK_EQ(table_extend_run(&cv, a, 20, &got), E_OK);
	CHECK_EQ(got, 20);
	CHECK(cv.cur_end == 3 * PER + 12 && cv.zero_from == 13); /* the cursor stands */
	return 3 * PER + 12;
}

/* Data sectors past the table read until line `l` is the cache's oldest (the next miss takes it).
 */
static void age_line(int32_t l)
{
	uint8_t *p = NULL;

	for (uint64_t s = 1 + cv.fat_sectors; cv.cache.oldest != l && s < 3 * cv.cache.nlines; s++)
		CHECK_EQ(cache_get(&cv.cache, s, 0, &p), E_OK);
	CHECK_EQ(cv.cache.oldest, l);
}

/* Sector lba dropped from the cache (written around it with its own bytes): the next get misses. */
static void drop_sector(uint64_t lba)
{
	static uint8_t copy[512];

	CHECK_EQ(cache_write_back(&cv.cache, 0, UINT64_MAX), E_OK);
	memcpy(copy, disk + lba * css, css);
	CHECK_EQ(cache_write_direct(&cv.cache, lba, 1, copy), E_OK);
}

/* The chain from `from` links each cluster to the next for n clusters, then ends. */
static void check_run(uint32_t from, uint32_t n)
{
	uint32_t next = 0;

	for (uint32_t c = from; c < from + n; c++) {
		CHECK_EQ(table_next(&cv, c, &next), E_OK);
		if (next != c + 1) {
			CHECK_EQ(next, c + 1);
			return;
		}
	}
	CHECK_EQ(table_next(&cv, from + n, &next), E_OK);
	CHECK_EQ(next, 0); /* the end mark */
}

void test_cursor_lines(void)
{
	uint32_t end = cursor_volume(), got = 0, next = 1;
	int32_t l = cv.cur_line;
	uint8_t *p = NULL;

	/* The cursor's line taken for sector 20, whose entry 12 is an end mark too. */
	drop_sector(1 + 20);
	age_line(l);
	CHECK_EQ(cache_get(&cv.cache, 1 + 20, 0, &p), E_OK);
	CHECK_EQ(cv.cache.lines[l].lba, 1 + 20);
	CHECK_EQ(table_extend_run(&cv, end, 5, &got), E_OK);
	CHECK_EQ(got, 5);
	check_run(3 * PER - 8, 25);
	CHECK_EQ(table_next(&cv, 20 * PER + 12, &next), E_OK);
	CHECK_EQ(next, 0); /* sector 20's chain untouched */
	CHECK_EQ(table_raw_get(&cv, 20 * PER + 13, &next), E_OK);
	CHECK_EQ(next, 0); /* and still free after it */
	cache_free(&cv.cache);

	/* The cursor's line evicted by the fill of the claim's next sector, before the link to the
	 * run is made in it. */
	end = cursor_volume();
	l = cv.cur_line;
	drop_sector(1 + 4);
	age_line(l);
	uint64_t claims = cv.cursor_claims;
	CHECK_EQ(table_extend_run(&cv, end, PER, &got), E_OK);
	CHECK(cv.cursor_claims == claims + 1 && got == PER); /* through the cursor */
	CHECK(cv.cache.lines[l].lba != 1 + 3);		     /* its line went during the claim */
	check_run(3 * PER - 8, 20 + PER);
	cache_free(&cv.cache);
}
