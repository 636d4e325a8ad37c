/* SPDX-License-Identifier: MIT */
/*
 * Host test of the GPT parser (gpt.c) on disks in memory: a table as the
 * specification lays it out (written here, CRCs and all) in 512- and
 * 4096-byte sectors, and one made by sgdisk; the backup header and array
 * used when the primary header or array fails its CRC, nothing when both
 * do; hostile headers (sizes, counts, places, its own LBA) refused even
 * with a correct CRC; entries outside the usable range, inverted or
 * overlapping refused; entries past the fourth counted as not served; a
 * failed read; and random headers that must never give a partition outside
 * the usable range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "gpt.h"
#include "rng.h"
#include "sys/errors.h"

#define SECTORS 8192u
#define ENTRIES 128u

static uint8_t *disk;
static uint32_t ss = 512;
static uint64_t reads, fail_at = ~0ull;
static uint8_t buf[4096];

static long rd(void *ctx, uint64_t lba, uint8_t *out)
{
	(void)ctx;
	reads++;
	CHECK(lba < SECTORS);
	if (lba >= SECTORS || lba == fail_at)
		return E_IO;
	memcpy(out, disk + lba * ss, ss);
	return E_OK;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t array_sectors(void)
{
	return ENTRIES * 128 / ss;
}

static uint8_t *sector(uint64_t lba)
{
	return disk + lba * ss;
}

/* Entry i of both arrays: a partition first..last (type 0: unused). */
static void entry(unsigned i, uint64_t first, uint64_t last)
{
	uint64_t backup = SECTORS - 1 - array_sectors();

	for (int copy = 0; copy < 2; copy++) {
		uint8_t *e = sector(copy ? backup : 2) + 128 * i;
		memset(e, 0, 128);
		memset(e, 0xAF, 16); /* a type GUID */
		e[16] = (uint8_t)i;
		put64(e + 32, first);
		put64(e + 40, last);
	}
}

/* Header at self (the other at alt), its array at array_lba, CRCs computed. */
static void header(uint64_t self, uint64_t alt, uint64_t array_lba)
{
	uint8_t *h = sector(self);

	memset(h, 0, ss);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x00010000);
	put32(h + 12, 92);
	put64(h + 24, self);
	put64(h + 32, alt);
	put64(h + 40, 2 + array_sectors());
	put64(h + 48, SECTORS - 2 - array_sectors());
	put64(h + 72, array_lba);
	put32(h + 80, ENTRIES);
	put32(h + 84, 128);
	put32(h + 88, gpt_crc32(0, sector(array_lba), ENTRIES * 128));
	put32(h + 16, gpt_crc32(0, h, 92));
}

/* Both headers again, after their arrays changed. */
static void seal(void)
{
	header(1, SECTORS - 1, 2);
	header(SECTORS - 1, 1, SECTORS - 1 - array_sectors());
}

static void fresh(uint32_t sector_size)
{
	ss = sector_size;
	free(disk);
	disk = calloc(SECTORS, ss);
	disk[510] = 0x55, disk[511] = 0xAA;
	disk[446 + 4] = 0xEE;
	put32(disk + 446 + 8, 1);
	put32(disk + 446 + 12, SECTORS - 1);
	fail_at = ~0ull;
	entry(0, 64, 2111);
	entry(2, 4096, 5119);
	seal();
}

static long parse(struct gpt_result *r)
{
	struct gpt_disk d = {rd, NULL, buf, SECTORS, ss};

	return gpt_parse(&d, r);
}

static void check_two(const struct gpt_result *r)
{
	CHECK_EQ(r->table.count, 2);
	CHECK_EQ(r->table.part[0].index, 1);
	CHECK_EQ(r->table.part[0].first, 64);
	CHECK_EQ(r->table.part[0].sectors, 2048);
	CHECK_EQ(r->table.part[1].index, 3);
	CHECK_EQ(r->table.part[1].first, 4096);
	CHECK_EQ(r->table.part[1].sectors, 1024);
}

static void test_good(uint32_t sector_size)
{
	struct gpt_result r;

	fresh(sector_size);
	CHECK(gpt_protective(disk));
	CHECK_EQ(parse(&r), E_OK);
	check_two(&r);
	CHECK(!r.backup_used);
	CHECK_EQ(r.table.refused, 0);
	CHECK_EQ(gpt_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926); /* the check value */
}

static void test_backup(void)
{
	struct gpt_result r;

	fresh(512);
	sector(1)[40] ^= 1; /* the primary header's CRC fails */
	CHECK_EQ(parse(&r), E_OK);
	CHECK(r.backup_used);
	check_two(&r);
	fresh(512);
	sector(2)[200] ^= 0x10; /* the primary array's CRC fails */
	CHECK_EQ(parse(&r), E_OK);
	CHECK(r.backup_used);
	check_two(&r);
	sector(SECTORS - 1)[0] = 'X'; /* and the backup header's signature */
	CHECK_EQ(parse(&r), E_NOENT);
	CHECK_EQ(r.table.count, 0);
	fresh(512);
	fail_at = 2; /* a read of the primary array fails: the backup still serves */
	CHECK_EQ(parse(&r), E_OK);
	CHECK(r.backup_used);
	fail_at = SECTORS - 1;
	sector(1)[0] = 0;
	CHECK_EQ(parse(&r), E_IO);
	memset(disk, 0, 512);
	CHECK(!gpt_protective(disk));
}

/* Header field at off set to v (width 4 or 8), the CRC made right again. */
static void poke(unsigned off, uint64_t v, unsigned width)
{
	uint8_t *h = sector(1);

	if (width == 4)
		put32(h + off, (uint32_t)v);
	else
		put64(h + off, v);
	put32(h + 16, 0);
	put32(h + 16, gpt_crc32(0, h, 92));
}

static void test_hostile_headers(void)
{
	static const struct {
		unsigned off, width;
		uint64_t v;
	} bad[] = {
		{12, 4, 91},
		{12, 4, 513}, /* header size */
		{24, 8, 2},
		{40, 8, 9000}, /* its own LBA; usable start > end */
		{48, 8, SECTORS},
		{40, 8, 1}, /* usable past the disk; over the header */
		{72, 8, 100},
		{72, 8, SECTORS - 2}, /* array in the usable space; off the disk */
		{72, 8, 0},
		{80, 4, 0}, /* array on the MBR; no entries */
		{80, 4, 100000},
		{84, 4, 100}, /* too many; an odd entry size */
		{84, 4, 1024},
		{84, 4, 0}, /* larger than a sector; zero */
		{80, 4, 0xFFFFFFFFu},
		{72, 8, ~0ull - 1},
	};
	struct gpt_result r;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fresh(512);
		poke(bad[i].off, bad[i].v, bad[i].width);
		CHECK_EQ(parse(&r), E_OK); /* the backup, and only it */
		CHECK(r.backup_used);
		check_two(&r);
	}
}

static void test_bad_entries(void)
{
	struct gpt_result r;

	fresh(512);
	entry(1, 10, 100);	     /* starts before the usable range */
	entry(3, 5000, 4000);	     /* inverted */
	entry(4, 5000, SECTORS - 1); /* past the usable range */
	entry(5, 2000, 2200);	     /* overlaps entry 0 */
	entry(7, 6000, 6100);	     /* fine, but past the fourth: no endpoint */
	seal();
	CHECK_EQ(parse(&r), E_OK);
	check_two(&r);
	CHECK_EQ(r.table.refused, 4);
	CHECK_EQ(r.unserved, 1);
}

/* sgdisk's own table: the same partitions, and a sixth one. */
static void test_sgdisk(void)
{
	char path[] = "/tmp/test_gpt_XXXXXX", cmd[256];
	int fd = mkstemp(path);
	struct gpt_result r;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(ftruncate(fd, SECTORS * 512), 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "sgdisk -a 1 -n 1:64:2111 -n 3:4096:5119 -n 6:6000:6100 %s >/dev/null", path);
	CHECK_EQ(system(cmd), 0); /* ./run installs gdisk */
	fresh(512);
	FILE *f = fopen(path, "rb");
	CHECK(f && fread(disk, 512, SECTORS, f) == SECTORS);
	if (f)
		fclose(f);
	unlink(path);
	CHECK(gpt_protective(disk));
	CHECK_EQ(parse(&r), E_OK);
	check_two(&r);
	CHECK_EQ(r.unserved, 1);
	CHECK(!r.backup_used);
	memset(sector(1), 0, 512); /* sgdisk's backup too */
	CHECK_EQ(parse(&r), E_OK);
	CHECK(r.backup_used);
	check_two(&r);
}

static void test_random(void)
{
	struct gpt_result r;
	uint32_t seed = 0xC0FFEE;

	fresh(512);
	for (int n = 0; n < 20000; n++) {
		uint8_t *h = sector(n & 1 ? 1 : SECTORS - 1);
		for (unsigned i = 8; i < 92; i++)
			h[i] = (uint8_t)xorshift32(&seed);
		if (n % 3 == 0) /* a plausible size, so the CRC is taken over what it names */
			put32(h + 12, 92);
		put32(h + 16, 0);
		put32(h + 16, gpt_crc32(0, h, 92));
		if (parse(&r) != E_OK)
			continue;
		for (unsigned i = 0; i < r.table.count; i++)
			CHECK(r.table.part[i].first >= 2 &&
			      r.table.part[i].first + r.table.part[i].sectors <= SECTORS);
	}
}

int main(void)
{
	test_good(512);
	test_good(4096);
	test_backup();
	test_hostile_headers();
	test_bad_entries();
	test_sgdisk();
	test_random();
	free(disk);
	return check_summary("gpt");
}
