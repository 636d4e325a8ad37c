/* SPDX-License-Identifier: MIT */
/*
 * Host test of the table's run scan (table.c, table_contiguous): on random
 * FAT16 and FAT32 tables in memory (runs of links to the next cluster broken
 * by free entries, end marks, bad marks and jumps; FAT32 entries with
 * reserved top bits set), every answer is compared with a walk of one entry
 * at a time (table_get), from random clusters (also 0, 1 and past the last)
 * with random caps, and with 512- and 4096-byte sectors so runs cross
 * sector ends at every place in a vector step; and one run end to end, with
 * and without reserved bits, cut by a free entry or a link that skips one.
 * The noted sectors (table_note_links, the cache's watch bits): the same
 * comparisons with every whole run sector noted as the mount notes them and
 * entries changed through table_set between the queries; a noted sector is
 * passed over (a change behind the cache's back goes unseen) until a change
 * marked dirty, a device write over it, or a new watch clears its bit.
 * Then the claim of free clusters after a chain's end (table_extend_run) on
 * random tables of free runs (some free entries with reserved bits set) and
 * taken entries: the cached table afterwards must equal a model that claims
 * one entry at a time, byte for byte, and the count must match. Last, the
 * zero notes (table_note_zero): FAT32 tables of whole zero sectors, whole
 * free sectors with reserved bits (not zero: not noted) and mixed ones, noted
 * by the mount's count (table_mount), then a chain appended to over and over with random
 * caps (each claim's tail noted), other entries taken through table_set and
 * written around the cache between the claims: the same model, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "../fat_impl.h"
#include "check.h"
#include "rng.h"
#include "test_fat_scan.h"

uint8_t *disk;

/* table.c's mount calls the repair; nothing here mounts. */
long repair_lost_clusters(struct fat_vol *v)
{
	(void)v;
	return E_OK;
}

long disk_read(void *ctx, uint64_t lba, uint32_t n, void *buf)
{
	uint32_t ss = *(uint32_t *)ctx;
	memcpy(buf, disk + lba * ss, (size_t)n * ss);
	return E_OK;
}

long disk_write(void *ctx, uint64_t lba, uint32_t n, const void *buf)
{
	uint32_t ss = *(uint32_t *)ctx;
	memcpy(disk + lba * ss, buf, (size_t)n * ss);
	return E_OK;
}

/* Clusters from cl on linked one to the next, at most max: one entry at a time. */
static uint32_t walk(struct fat_vol *v, uint32_t cl, uint32_t max)
{
	uint32_t k = 1, x;

	if (!fat_cluster_ok(v, cl))
		return 1;
	while (k < max && cl + k - 1 < v->clusters + 1 && table_get(v, cl + k - 1, &x) == E_OK &&
	       x == cl + k)
		k++;
	return k;
}

/* Entry c of a random table: mostly c + 1, now and then damage or a jump. */
static uint32_t random_entry(uint32_t *seed, enum fat_type type, uint32_t c)
{
	uint32_t r = xorshift32(seed) % 1000, x = c + 1;

	if (r < 3)
		x = 0;
	else if (r < 5)
		x = type == FAT32 ? 0x0FFFFFFF : 0xFFFF;
	else if (r < 6)
		x = c + 2;
	else if (r < 7)
		x = type == FAT32 ? 0x0FFFFFF7 : 0xFFF7;
	if (type == FAT32 && xorshift32(seed) % 4 == 0)
		x |= (xorshift32(seed) % 16) << 28; /* reserved bits: no part of the link */
	return x;
}

static void fill_table(uint32_t *seed, const struct fat_vol *v, uint32_t entries)
{
	for (uint32_t c = 0; c < entries; c++) {
		uint32_t x = random_entry(seed, v->type, c);
		if (v->type == FAT32)
			memcpy(disk + v->ss + 4 * c, &x, 4);
		else
			memcpy(disk + v->ss + 2 * c, &(uint16_t){(uint16_t)x}, 2);
	}
}

/* Every sector of v's table noted that is one run of links, as the mount's count notes them. */
static void note_all(struct fat_vol *v)
{
	table_watch_links(v);
	for (uint32_t sec = 0; sec < v->fat_sectors; sec++) {
		uint8_t *p;
		CHECK_EQ(cache_get(&v->cache, v->fat_start + sec, 0, &p), E_OK);
		table_note_links(v, sec, p);
	}
}

/* A random cluster's entry set through table_set: a link to the next one, or damage. */
static void change_one(uint32_t *seed, struct fat_vol *v)
{
	uint32_t cl = 2 + xorshift32(seed) % v->clusters;
	uint32_t x = random_entry(seed, v->type, cl) & (v->type == FAT32 ? 0x0FFFFFFF : 0xFFFF);

	CHECK_EQ(table_set(v, cl, x), E_OK);
}

/* v zeroed, then a table of `clusters` of `type` at sector 1 of the test disk (sector size ss). */
void vol_init(struct fat_vol *v, enum fat_type type, uint32_t ss, uint32_t clusters)
{
	unsigned width = type == FAT32 ? 4 : 2;

	memset(v, 0, sizeof(*v));
	v->type = type;
	v->ss = ss;
	v->clusters = clusters;
	v->fat_start = 1;
	v->fat_sectors = ((clusters + 2) * width + ss - 1) / ss;
	v->eoc = type == FAT32 ? 0x0FFFFFFF : 0xFFFF;
}

static void one_table(uint32_t *seed, enum fat_type type, uint32_t ss, bool noted)
{
	static struct fat_vol v;
	unsigned width = type == FAT32 ? 4 : 2;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	vol_init(&v, type, ss, 200 + xorshift32(seed) % 3000);
	fill_table(seed, &v, v.fat_sectors * ss / width);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	if (noted)
		note_all(&v);
	for (int q = 0; q < 300; q++) {
		uint32_t cl = xorshift32(seed) % (v.clusters + 4);
		if (noted && q % 10 == 9)
			change_one(seed, &v);
		uint32_t max =
			xorshift32(seed) % 3 ? xorshift32(seed) % 1200 : xorshift32(seed) % 5;
		uint32_t got = table_contiguous(&v, cl, max), want = walk(&v, cl, max);
		if (got != want)
			CHECK_EQ(got, want); /* reported once per difference, not per agreement */
	}
	cache_free(&v.cache);
}

/* A table that is one run end to end: the scan reaches the last cluster and stops before its link.
 */
static void test_whole_run(void)
{
	static struct fat_vol v;
	uint32_t ss = 512;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	vol_init(&v, FAT32, ss, 1000);
	for (uint32_t c = 0; c < v.fat_sectors * ss / 4; c++)
		memcpy(disk + ss + 4 * c, &(uint32_t){c + 1}, 4);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 1000);	/* clusters 2 .. 1001 */
	CHECK_EQ(table_contiguous(&v, 130, 5000), 872); /* from a sector's middle */
	CHECK_EQ(table_contiguous(&v, 2, 300), 300);
	CHECK_EQ(table_contiguous(&v, 1001, 5000), 1);
	CHECK_EQ(table_contiguous(&v, 1002, 5000), 1); /* no cluster */
	CHECK_EQ(table_contiguous(&v, 2, 0), 1);
	memcpy(disk + ss + 4 * 700, &(uint32_t){0}, 4);	  /* a free entry inside the run */
	memcpy(disk + ss + 4 * 800, &(uint32_t){802}, 4); /* a link that skips a cluster */
	cache_free(&v.cache);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 699);	/* 2 .. 700: 700's link is broken */
	CHECK_EQ(table_contiguous(&v, 701, 5000), 100); /* 701 .. 800 */
	cache_free(&v.cache);
	for (uint32_t c = 0; c < v.fat_sectors * ss / 4; c++) /* reserved bits on every link */
		memcpy(disk + ss + 4 * c, &(uint32_t){(c + 1) | (c % 16) << 28}, 4);
	memcpy(disk + ss + 4 * 800, &(uint32_t){802}, 4);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 799); /* 2 .. 800 */
	CHECK_EQ(table_contiguous(&v, 256, 5000), 545);
	cache_free(&v.cache);
}

/*
 * A table of one run: its whole sectors noted by the mount's way and by a scan, then
 * passed over while unchanged; each way of changing a sector clears its note.
 */
static void test_noted(void)
{
	static struct fat_vol v;
	uint32_t ss = 512;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};
	uint8_t *p;

	vol_init(&v, FAT32, ss, 1000); /* 8: sectors 1 .. 6 hold clusters 128 .. 895 */
	for (uint32_t c = 0; c < v.fat_sectors * ss / 4; c++)
		memcpy(disk + ss + 4 * c, &(uint32_t){c + 1}, 4);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	note_all(&v);
	CHECK(!cache_watched(&v.cache, 1)); /* entries 0 and 1 are no links */
	for (uint32_t sec = 1; sec < 7; sec++)
		CHECK(cache_watched(&v.cache, 1 + sec));
	CHECK(!cache_watched(&v.cache, 1 + 7)); /* the last cluster's link is past the end */
	/* Passed over: a change that no one marked is not seen. */
	CHECK_EQ(cache_get(&v.cache, 1 + 2, 0, &p), E_OK);
	memcpy(p + 4 * 10, &(uint32_t){0}, 4); /* cluster 266's entry, behind the cache's back */
	CHECK_EQ(table_contiguous(&v, 2, 5000), 1000);
	cache_mark_dirty(&v.cache, 1 + 2); /* now the change counts */
	CHECK(!cache_watched(&v.cache, 1 + 2));
	CHECK_EQ(table_contiguous(&v, 2, 5000), 265); /* 2 .. 266 */
	CHECK_EQ(table_set(&v, 266, 267), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 1000);
	CHECK(cache_watched(&v.cache, 1 + 2)); /* noted again by the scan */
	/* table_set over a noted sector: cut there. */
	CHECK_EQ(table_set(&v, 500, 0x0FFFFFFF), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 499);
	CHECK_EQ(table_set(&v, 500, 501), E_OK);
	CHECK_EQ(table_contiguous(&v, 2, 5000), 1000);
	/* A device write over a noted sector (around the cache) clears its bit too. */
	CHECK(cache_watched(&v.cache, 1 + 5));
	CHECK_EQ(cache_write_direct(&v.cache, 1 + 5, 1, disk + ss * 6), E_OK);
	CHECK(!cache_watched(&v.cache, 1 + 5));
	CHECK_EQ(cache_watched_run(&v.cache, 1 + 1, 100), 4); /* sectors 1 .. 4 (5 was cleared) */
	CHECK_EQ(table_noted_links(&v, 128, 5000), 4 * 128);  /* clusters 129 .. 640 */
	CHECK_EQ(table_noted_links(&v, 256, 300), 2 * 128);   /* whole sectors only */
	CHECK_EQ(table_noted_links(&v, 130, 5000), 0);	      /* not a sector's first entry */
	CHECK_EQ(table_noted_links(&v, 640, 5000), 0);	      /* sector 5: changed */
	CHECK_EQ(cache_watched_run(&v.cache, 1 + 2, 2), 2);
	CHECK_EQ(cache_watched_run(&v.cache, 1, 100), 0);
	/* A new watch starts with nothing noted. */
	table_watch_links(&v);
	for (uint32_t sec = 0; sec < v.fat_sectors; sec++)
		CHECK(!cache_watched(&v.cache, 1 + sec));
	cache_free(&v.cache);
	CHECK(!cache_watched(&v.cache, 1 + 2)); /* freed: none watched */
}

/* Runs of watched sectors across the bitmap's words, cut by a cleared one and the range's end. */
static void test_watched_runs(void)
{
	static struct fat_vol v;
	uint32_t ss = 512;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(cache_watch(&v.cache, 10, 200), E_OK);
	for (uint64_t s = 15; s < 210; s++)
		if (s != 10 + 130)
			cache_watch_set(&v.cache, s);
	cache_watch_set(&v.cache, 9);	/* outside: not watched */
	cache_watch_set(&v.cache, 210); /* past the end */
	CHECK(!cache_watched(&v.cache, 9) && !cache_watched(&v.cache, 210));
	CHECK_EQ(cache_watched_run(&v.cache, 10, 1000), 0);
	CHECK_EQ(cache_watched_run(&v.cache, 15, 1000), 125); /* 15 .. 139, across a word */
	CHECK_EQ(cache_watched_run(&v.cache, 15, 100), 100);
	CHECK_EQ(cache_watched_run(&v.cache, 74, 64), 64); /* from inside one word into the next */
	CHECK_EQ(cache_watched_run(&v.cache, 141, 1000), 69); /* 141 .. 209: the range's end */
	CHECK_EQ(cache_watched_run(&v.cache, 9, 1000), 0);
	CHECK_EQ(cache_watched_run(&v.cache, 210, 1000), 0);
	CHECK_EQ(cache_watched_run(&v.cache, 100, 0), 0);
	cache_mark_dirty(&v.cache, 100); /* not cached: nothing to mark, the bit stays */
	CHECK_EQ(cache_watched_run(&v.cache, 15, 1000), 125);
	cache_free(&v.cache);
}

/* Entry c of a table image t (unmasked). */
static uint32_t model_get(const struct fat_vol *v, const uint8_t *t, uint32_t c)
{
	return v->type == FAT32 ? rd32(t + 4 * c) : rd16(t + 2 * c);
}

/* Entry c of t set to val, a FAT32 entry's reserved top bits kept. */
static void model_set(const struct fat_vol *v, uint8_t *t, uint32_t c, uint32_t val)
{
	if (v->type == FAT32)
		wr32(t + 4 * c, (rd32(t + 4 * c) & 0xF0000000) | val);
	else
		wr16(t + 2 * c, (uint16_t)val);
}

/* table_extend_run one entry at a time on the image t: how many clusters it claims. */
static uint32_t model_claim(const struct fat_vol *v, uint8_t *t, uint32_t last, uint32_t max)
{
	uint32_t mask = v->type == FAT32 ? 0x0FFFFFFF : 0xFFFF, k = 0;

	if ((model_get(v, t, last) & mask) < (v->eoc & ~7u))
		return 0; /* last does not end its chain */
	while (k < max && last + k < v->clusters && (model_get(v, t, last + 1 + k) & mask) == 0)
		k++;
	for (uint32_t i = 0; i < k; i++)
		model_set(v, t, last + 1 + i, i + 1 == k ? v->eoc : last + 2 + i);
	if (k)
		model_set(v, t, last, last + 1);
	return k;
}

/* A random table of free runs and taken entries; entry `last` an end mark (mostly). */
static void fill_claim_table(uint32_t *seed, const struct fat_vol *v, uint32_t entries,
			     uint32_t last)
{
	bool free_run = true;

	for (uint32_t c = 0; c < entries; c++) {
		uint32_t x = c + 1;
		if (xorshift32(seed) % 60 == 0)
			free_run = !free_run;
		if (free_run)
			x = v->type == FAT32 && xorshift32(seed) % 50 == 0 ? 0x30000000 : 0;
		if (c == last)
			x = xorshift32(seed) % 4 ? v->eoc : c + 7;
		if (v->type == FAT32)
			memcpy(disk + v->ss + 4 * c, &x, 4);
		else
			memcpy(disk + v->ss + 2 * c, &(uint16_t){(uint16_t)x}, 2);
	}
}

/* v's table, read through its cache, byte for byte the model's (else `what` fails, once). */
static void check_table(struct fat_vol *v, const uint8_t *model, const char *what)
{
	for (uint32_t sec = 0; sec < v->fat_sectors; sec++) {
		uint8_t *p = NULL;
		CHECK_EQ(cache_get(&v->cache, v->fat_start + sec, 0, &p), E_OK);
		if (p && memcmp(p, model + (size_t)sec * v->ss, v->ss) != 0) {
			fprintf(stderr, "sector %u: %s\n", sec, what);
			CHECK(!"the table read through the cache is the model's");
			return;
		}
	}
}

static void one_claim(uint32_t *seed, enum fat_type type, uint32_t ss)
{
	static struct fat_vol v;
	unsigned width = type == FAT32 ? 4 : 2;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	vol_init(&v, type, ss, 200 + xorshift32(seed) % 3000);
	uint32_t last = 2 + xorshift32(seed) % v.clusters;
	uint32_t max = xorshift32(seed) % 4 ? xorshift32(seed) % 700 : xorshift32(seed) % 6,
		 got = 0;
	fill_claim_table(seed, &v, v.fat_sectors * ss / width, last);
	uint8_t *model = malloc((size_t)v.fat_sectors * ss);
	CHECK(model != NULL);
	if (!model)
		return;
	memcpy(model, disk + ss, (size_t)v.fat_sectors * ss);
	uint32_t want = model_claim(&v, model, last, max);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_extend_run(&v, last, max, &got), E_OK);
	if (got != want)
		CHECK_EQ(got, want);
	check_table(&v, model, "the claimed table differs from the model");
	cache_free(&v.cache);
	free(model);
}

/* Sector by sector: all zero bytes (half), all free with reserved bits here and there, or a few
 * entries taken. */
static void fill_zero_table(uint32_t *seed, const struct fat_vol *v, uint8_t *t)
{
	uint32_t per = v->ss / 4;

	for (uint32_t sec = 0; sec < v->fat_sectors; sec++) {
		uint32_t kind = xorshift32(seed) % 4;
		for (uint32_t i = 0; i < per; i++) {
			uint32_t c = sec * per + i, x = 0;
			if (kind == 2 && xorshift32(seed) % 40 == 0)
				x = 0x30000000;
			else if (kind == 3 && xorshift32(seed) % 20 == 0)
				x = c + 1;
			wr32(t + 4 * c, c < 2 ? 0x0FFFFFF8 : x);
		}
	}
}

/* A cluster near `last` taken by another chain (an end mark), in the table and the model. */
static void take_near(uint32_t *seed, struct fat_vol *v, uint8_t *t, uint32_t last)
{
	uint32_t c = last + 1 + xorshift32(seed) % 400;

	if (c < 2 || c > v->clusters + 1)
		return;
	if (xorshift32(seed) % 2) {
		CHECK_EQ(table_set(v, c, v->eoc), E_OK);
	} else { /* around the cache: its sector's line written there too */
		static uint8_t buf[4096];
		uint64_t lba = v->fat_start + c * 4 / v->ss;
		uint8_t *p = NULL;
		CHECK_EQ(cache_get(&v->cache, lba, 0, &p), E_OK);
		if (!p)
			return;
		memcpy(buf, p, v->ss);
		wr32(buf + c * 4 % v->ss, (rd32(buf + c * 4 % v->ss) & 0xF0000000) | v->eoc);
		CHECK_EQ(cache_write_direct(&v->cache, lba, 1, buf), E_OK);
	}
	model_set(v, t, c, v->eoc);
}

/* A stuck chain's place taken by a new one ending a sector's last entry (when free): from it
 * the next claim starts at a sector's start. */
static uint32_t new_end(uint32_t *seed, struct fat_vol *v, uint8_t *t, uint32_t last)
{
	uint32_t per = v->ss / 4, c = (1 + xorshift32(seed) % v->fat_sectors) * per - 1;

	if (c < 2 || c > v->clusters + 1 || (model_get(v, t, c) & 0x0FFFFFFF))
		return last;
	CHECK_EQ(table_set(v, c, v->eoc), E_OK);
	model_set(v, t, c, v->eoc);
	return c;
}

/* Every line of v's cache taken by sectors after the table (the claim's lines evicted). */
static void churn(uint32_t *seed, struct fat_vol *v)
{
	uint64_t from = v->fat_start + v->fat_sectors + xorshift32(seed) % 8;

	for (uint64_t i = 0; i < v->cache.nlines + 1; i++) {
		uint8_t *p = NULL;
		CHECK_EQ(cache_get(&v->cache, from + i, 0, &p), E_OK);
	}
}

/* A free cluster made a chain of its own (an end mark), in the table and the model; or 0. */
static uint32_t new_chain(uint32_t *seed, struct fat_vol *v, uint8_t *t)
{
	uint32_t c = 2 + xorshift32(seed) % v->clusters;

	if (model_get(v, t, c) & 0x0FFFFFFF)
		return 0;
	CHECK_EQ(table_set(v, c, v->eoc), E_OK);
	model_set(v, t, c, v->eoc);
	return c;
}

/* Claims that continue the cursor's run (the append cursor stands for them), and those of them
 * from a sector the run before filled to its end: counted. */
static uint32_t cursor_claims, full_sector_claims;

/* How many clusters a claim after last asks for: a few, up to 300, or (a quarter of them) up to
 * the end of last's sector and 0 to 2 whole sectors more, so that a run ends a sector. */
static uint32_t claim_size(uint32_t *seed, const struct fat_vol *v, uint32_t last)
{
	uint32_t per = v->ss / 4;

	if (xorshift32(seed) % 4 == 0)
		return per - (last + 1) % per + xorshift32(seed) % 3 * per;
	return xorshift32(seed) % 3 ? xorshift32(seed) % 300 : xorshift32(seed) % 6;
}

/* One claim after *last, checked against the model; *last moves to the run's end. */
static void append_one(uint32_t *seed, struct fat_vol *v, uint8_t *model, uint32_t *last)
{
	uint32_t max = claim_size(seed, v, *last);
	uint32_t got = 0, want = model_claim(v, model, *last, max);
	uint64_t before = v->cursor_claims;
	bool full = v->zero_from == v->ss / 4; /* the cursor's sector, if it goes there, filled */

	CHECK_EQ(table_extend_run(v, *last, max, &got), E_OK);
	cursor_claims += v->cursor_claims - before; /* claim_on's own count: it went there */
	full_sector_claims += v->cursor_claims != before && full;
	if (got != want)
		CHECK_EQ(got, want);
	*last += got;
	if (!got && max)
		*last = new_end(seed, v, model, *last);
}

/*
 * A chain appended to 40 times (and, from time to time, a second chain too, which moves
 * the zero note and the cursor), with other clusters taken between the claims (through the
 * cache and around it) and the cache's lines all evicted now and then.
 */
static void one_append(uint32_t *seed, uint32_t ss)
{
	static struct fat_vol v;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	vol_init(&v, FAT32, ss, 200 + xorshift32(seed) % 3000);
	fill_zero_table(seed, &v, disk + ss); /* the table on the disk, its model a copy */
	uint8_t *model = malloc((size_t)v.fat_sectors * ss);
	CHECK(model != NULL);
	if (!model)
		return;
	memcpy(model, disk + ss, (size_t)v.fat_sectors * ss);
	uint32_t last = 2 + xorshift32(seed) % v.clusters, other = 0;
	wr32(disk + ss + 4 * last, v.eoc);
	wr32(model + 4 * last, v.eoc);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	CHECK_EQ(table_mount(&v), E_OK); /* its count notes the zero sectors */
	for (int q = 0; q < 40; q++) {
		append_one(seed, &v, model, &last);
		if (xorshift32(seed) % 4 == 0)
			take_near(seed, &v, model, last);
		if (xorshift32(seed) % 8 == 0)
			churn(seed, &v);
		if (xorshift32(seed) % 8 == 0 && !other)
			other = new_chain(seed, &v, model);
		if (other && xorshift32(seed) % 3 == 0)
			append_one(seed, &v, model, &other);
	}
	check_table(&v, model, "the appended table differs from the model");
	cache_free(&v.cache);
	free(model);
}

int main(void)
{
	uint32_t seed = 0x5CA11ED;

	disk = calloc(1, DISK_BYTES);
	CHECK(disk != NULL);
	if (!disk)
		return check_summary("fat_scan");
	test_whole_run();
	test_noted();
	test_watched_runs();
	for (int t = 0; t < 400; t++)
		one_table(&seed, t % 2 ? FAT32 : FAT16, t % 4 < 2 ? 512 : 4096, t >= 200);
	for (int t = 0; t < 400; t++)
		one_claim(&seed, t % 2 ? FAT32 : FAT16, t % 4 < 2 ? 512 : 4096);
	for (int t = 0; t < 400; t++)
		one_append(&seed, t % 2 ? 512 : 4096);
	CHECK(cursor_claims > 250);	/* the append cursor's path was taken */
	CHECK(full_sector_claims > 50); /* and from a sector filled to its end */
	test_aligned();
	test_cursor_lines();
	CHECK(check_passed > 0);
	free(disk);
	return check_summary("fat_scan");
}
