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
 * Then the claim of free clusters after a chain's end (table_extend_run) on
 * random tables of free runs (some free entries with reserved bits set) and
 * taken entries: the cached table afterwards must equal a model that claims
 * one entry at a time, byte for byte, and the count must match.
 */
#include <stdlib.h>
#include <string.h>

#include "../fat_impl.h"
#include "check.h"
#include "rng.h"

#define DISK_BYTES (4u << 20)

static uint8_t *disk;

/* table.c's mount calls the repair; nothing here mounts. */
long repair_lost_clusters(struct fat_vol *v)
{
	(void)v;
	return E_OK;
}

static long disk_read(void *ctx, uint64_t lba, uint32_t n, void *buf)
{
	uint32_t ss = *(uint32_t *)ctx;
	memcpy(buf, disk + lba * ss, (size_t)n * ss);
	return E_OK;
}

static long disk_write(void *ctx, uint64_t lba, uint32_t n, const void *buf)
{
	(void)ctx, (void)lba, (void)n, (void)buf;
	return E_IO; /* the scan writes nothing */
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

static void one_table(uint32_t *seed, enum fat_type type, uint32_t ss)
{
	static struct fat_vol v;
	unsigned width = type == FAT32 ? 4 : 2;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	memset(&v, 0, sizeof(v));
	v.type = type;
	v.ss = ss;
	v.clusters = 200 + xorshift32(seed) % 3000;
	v.fat_start = 1;
	v.fat_sectors = ((v.clusters + 2) * width + ss - 1) / ss;
	v.eoc = type == FAT32 ? 0x0FFFFFFF : 0xFFFF;
	fill_table(seed, &v, v.fat_sectors * ss / width);
	CHECK_EQ(cache_init(&v.cache, &dev, 0, DISK_BYTES / ss, 64 * ss, NULL, 0), E_OK);
	for (int q = 0; q < 300; q++) {
		uint32_t cl = xorshift32(seed) % (v.clusters + 4);
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

	memset(&v, 0, sizeof(v));
	v.type = FAT32;
	v.ss = ss;
	v.clusters = 1000;
	v.fat_start = 1;
	v.fat_sectors = (1002 * 4 + ss - 1) / ss;
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

static void one_claim(uint32_t *seed, enum fat_type type, uint32_t ss)
{
	static struct fat_vol v;
	unsigned width = type == FAT32 ? 4 : 2;
	struct fat_blockdev dev = {&ss, ss, DISK_BYTES / ss, 128, disk_read, disk_write, NULL};

	memset(&v, 0, sizeof(v));
	v.type = type;
	v.ss = ss;
	v.clusters = 200 + xorshift32(seed) % 3000;
	v.fat_start = 1;
	v.fat_sectors = ((v.clusters + 2) * width + ss - 1) / ss;
	v.eoc = type == FAT32 ? 0x0FFFFFFF : 0xFFFF;
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
	for (uint32_t sec = 0; sec < v.fat_sectors; sec++) {
		uint8_t *p = NULL;
		CHECK_EQ(cache_get(&v.cache, 1 + sec, 0, &p), E_OK);
		if (p && memcmp(p, model + (size_t)sec * ss, ss) != 0) {
			CHECK(!"the claimed table differs from the model");
			break;
		}
	}
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
	for (int t = 0; t < 200; t++)
		one_table(&seed, t % 2 ? FAT32 : FAT16, t % 4 < 2 ? 512 : 4096);
	for (int t = 0; t < 400; t++)
		one_claim(&seed, t % 2 ? FAT32 : FAT16, t % 4 < 2 ? 512 : 4096);
	CHECK(check_passed > 0);
	free(disk);
	return check_summary("fat_scan");
}
