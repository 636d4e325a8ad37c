/* SPDX-License-Identifier: MIT */
/*
 * The MBR's primary partition table (mbr.h): four 16-byte entries at byte
 * 446 of sector 0 (status, CHS start, type, CHS end, first LBA, sector
 * count, little-endian), then 0x55 0xAA. Only the LBA fields are used.
 */
#include <string.h>

#include "mbr.h"
#include "sys/errors.h"

#define MBR_TABLE     446
#define MBR_ENTRY     16
#define TYPE_EMPTY    0x00
#define TYPE_GPT      0xEE
#define FAT_SIG_OFF   0x36 /* "FAT" in a FAT12/16 boot sector */
#define FAT32_SIG_OFF 0x52

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

/* A partition table, not a FAT volume's boot sector (which also ends in 0x55AA). */
static bool looks_like_mbr(const uint8_t *s)
{
	if (s[510] != 0x55 || s[511] != 0xAA)
		return false;
	if (memcmp(s + FAT_SIG_OFF, "FAT", 3) == 0 || memcmp(s + FAT32_SIG_OFF, "FAT", 3) == 0)
		return false;
	for (unsigned i = 0; i < MBR_PARTS; i++) {
		const uint8_t *e = s + MBR_TABLE + MBR_ENTRY * i;
		if ((e[0] != 0x00 && e[0] != 0x80) || e[4] == TYPE_GPT)
			return false;
	}
	return true;
}

static bool overlaps(const struct mbr_table *t, uint64_t first, uint64_t sectors)
{
	for (unsigned i = 0; i < t->count; i++)
		if (first < t->part[i].first + t->part[i].sectors &&
		    t->part[i].first < first + sectors)
			return true;
	return false;
}

long mbr_parse(const uint8_t sector[512], uint64_t disk_sectors, struct mbr_table *t)
{
	memset(t, 0, sizeof(*t));
	if (!looks_like_mbr(sector))
		return E_NOENT;
	for (unsigned i = 0; i < MBR_PARTS; i++) {
		const uint8_t *e = sector + MBR_TABLE + MBR_ENTRY * i;
		uint64_t first = le32(e + 8), sectors = le32(e + 12);
		if (e[4] == TYPE_EMPTY || is_extended(e[4]) || sectors == 0)
			continue;
		if (first == 0 || first >= disk_sectors || sectors > disk_sectors - first ||
		    overlaps(t, first, sectors)) {
			t->refused++;
			continue;
		}
		t->part[t->count++] = (struct mbr_part){i + 1, e[4], first, sectors};
	}
	return E_OK;
}
