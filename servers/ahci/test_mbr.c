/* SPDX-License-Identifier: MIT */
/*
 * Host test of the MBR parser (mbr.c): a table as sfdisk would write it,
 * a FAT boot sector and garbage that are no table, entries past the end,
 * wrapping or overlapping, extended and GPT protective entries, and random
 * sectors that must never give a partition outside the disk.
 */
#include <string.h>

#include "check.h"
#include "mbr.h"
#include "rng.h"
#include "sys/errors.h"

static void entry(uint8_t *s, unsigned i, uint8_t type, uint32_t first, uint32_t count)
{
	uint8_t *e = s + 446 + 16 * i;

	memset(e, 0, 16);
	e[4] = type;
	for (unsigned b = 0; b < 4; b++) {
		e[8 + b] = (uint8_t)(first >> (8 * b));
		e[12 + b] = (uint8_t)(count >> (8 * b));
	}
}

static void blank(uint8_t *s)
{
	memset(s, 0, 512);
	s[510] = 0x55;
	s[511] = 0xAA;
}

static void test_good(void)
{
	uint8_t s[512];
	struct mbr_table t;

	blank(s);
	entry(s, 0, 0x0C, 2048, 1000);
	entry(s, 2, 0x83, 4096, 4096);
	CHECK_EQ(mbr_parse(s, 8192, &t), E_OK);
	CHECK_EQ(t.count, 2);
	CHECK_EQ(t.part[0].index, 1);
	CHECK_EQ(t.part[0].first, 2048);
	CHECK_EQ(t.part[1].index, 3);
	CHECK_EQ(t.part[1].sectors, 4096);
	CHECK_EQ(t.refused, 0);
}

static void test_not_a_table(void)
{
	uint8_t s[512];
	struct mbr_table t;

	memset(s, 0, 512);
	CHECK_EQ(mbr_parse(s, 8192, &t), E_NOENT); /* no signature */
	blank(s);
	memcpy(s + 0x36, "FAT12   ", 8);
	CHECK_EQ(mbr_parse(s, 8192, &t), E_NOENT); /* a FAT volume */
	blank(s);
	s[446] = 0x17;
	CHECK_EQ(mbr_parse(s, 8192, &t), E_NOENT); /* a bad status byte */
	blank(s);
	entry(s, 0, 0xEE, 1, 8191);
	CHECK_EQ(mbr_parse(s, 8192, &t), E_NOENT); /* GPT */
}

static void test_bad_entries(void)
{
	uint8_t s[512];
	struct mbr_table t;

	blank(s);
	entry(s, 0, 0x83, 100, 8192);		   /* past the end */
	entry(s, 1, 0x83, 0xFFFFFFFF, 0xFFFFFFFF); /* wraps in 32 bits */
	entry(s, 2, 0x83, 10, 100);
	entry(s, 3, 0x83, 50, 100); /* overlaps entry 3 */
	CHECK_EQ(mbr_parse(s, 8192, &t), E_OK);
	CHECK_EQ(t.count, 1);
	CHECK_EQ(t.part[0].index, 3);
	CHECK_EQ(t.refused, 3);
	blank(s);
	entry(s, 0, 0x05, 100, 100); /* extended: not followed */
	entry(s, 1, 0x83, 0, 100);   /* would cover the MBR itself */
	CHECK_EQ(mbr_parse(s, 8192, &t), E_OK);
	CHECK_EQ(t.count, 0);
	CHECK_EQ(t.refused, 1);
}

static void test_random(void)
{
	uint8_t s[512];
	struct mbr_table t;
	uint32_t seed = 0x12345;

	for (int n = 0; n < 20000; n++) {
		for (unsigned i = 0; i < 512; i++)
			s[i] = (uint8_t)xorshift32(&seed);
		s[510] = 0x55, s[511] = 0xAA;
		for (unsigned i = 0; i < 4; i++)
			s[446 + 16 * i] = (n & 1) ? 0x80 : 0;
		uint64_t disk = 1 + ((uint64_t)xorshift32(&seed) << 1 | (n & 1));
		if (mbr_parse(s, disk, &t) != E_OK)
			continue;
		for (unsigned i = 0; i < t.count; i++)
			CHECK(t.part[i].first > 0 && t.part[i].first + t.part[i].sectors <= disk);
	}
}

int main(void)
{
	test_good();
	test_not_a_table();
	test_bad_entries();
	test_random();
	return check_summary("mbr");
}
