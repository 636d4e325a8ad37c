/* SPDX-License-Identifier: MIT */
/*
 * GUID partition tables (gpt.h). The header (92 bytes used, little-endian):
 * "EFI PART" at 0, revision at 8, header size at 12, its CRC32 at 16 (taken
 * with that field zero), its own LBA at 24, the other header's at 32, the
 * usable LBAs at 40 and 48, the disk GUID at 56, the array's LBA at 72, the
 * entry count at 80, the entry size at 84 and the array's CRC32 at 88. An
 * entry: type GUID at 0 (all zero: unused), its own GUID at 16, first and
 * last LBA (inclusive) at 32 and 40, attributes at 48, a UTF-16 name at 56.
 * The array is read a sector at a time through the caller's one-sector
 * buffer, its CRC32 taken on the way, and its entries are believed only if
 * the CRC matches.
 */
#include <string.h>

#include "gpt.h"
#include "sys/errors.h"

#define HDR_MIN	    92
#define ENTRY_MIN   128
#define TYPE_GPT    0xEE
#define MBR_TABLE   446
#define PRIMARY_LBA 1

struct gpt_header {
	uint64_t self, first_usable, last_usable, array_lba;
	uint32_t entries, entry_size, array_crc;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t gpt_crc32(uint32_t crc, const uint8_t *p, uint64_t n)
{
	static const uint32_t nibble[16] = {0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC,
					    0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
					    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
					    0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C};

	crc = ~crc;
	for (uint64_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ nibble[crc & 0xF];
		crc = (crc >> 4) ^ nibble[crc & 0xF];
	}
	return ~crc;
}

bool gpt_protective(const uint8_t sector0[512])
{
	if (sector0[510] != 0x55 || sector0[511] != 0xAA)
		return false;
	for (unsigned i = 0; i < MBR_PARTS; i++)
		if (sector0[MBR_TABLE + 16 * i + 4] == TYPE_GPT)
			return true;
	return false;
}

/* The array's sectors: E_RANGE unless entries * size fits the disk where it says. */
static long array_sectors(const struct gpt_disk *d, const struct gpt_header *h, uint64_t *n)
{
	uint64_t bytes = (uint64_t)h->entries * h->entry_size;

	*n = (bytes + d->sector_size - 1) / d->sector_size;
	if (h->array_lba < 2 || h->array_lba >= d->sectors || *n > d->sectors - h->array_lba)
		return E_RANGE;
	if (h->array_lba + *n > h->first_usable && h->array_lba <= h->last_usable)
		return E_RANGE; /* the array inside the usable space */
	return E_OK;
}

/* The header in buf, read from LBA self, checked field by field. */
static long check_header(const struct gpt_disk *d, uint64_t self, struct gpt_header *h)
{
	uint8_t *b = d->buf;
	uint32_t size = le32(b + 12), crc = le32(b + 16);
	uint64_t n;

	if (memcmp(b, "EFI PART", 8) != 0 || size < HDR_MIN || size > d->sector_size)
		return E_NOENT;
	memset(b + 16, 0, 4);
	if (gpt_crc32(0, b, size) != crc)
		return E_NOENT;
	*h = (struct gpt_header){le64(b + 24), le64(b + 40), le64(b + 48), le64(b + 72),
				 le32(b + 80), le32(b + 84), le32(b + 88)};
	if (h->self != self || h->first_usable > h->last_usable || h->last_usable >= d->sectors ||
	    h->first_usable < 2)
		return E_NOENT;
	if (h->entries == 0 || h->entries > GPT_MAX_ENTRIES || h->entry_size < ENTRY_MIN ||
	    h->entry_size % ENTRY_MIN || h->entry_size > d->sector_size ||
	    d->sector_size % h->entry_size)
		return E_NOENT;
	return array_sectors(d, h, &n) == E_OK ? E_OK : E_NOENT;
}

static bool overlaps(const struct mbr_table *t, uint64_t first, uint64_t sectors)
{
	for (unsigned i = 0; i < t->count; i++)
		if (first < t->part[i].first + t->part[i].sectors &&
		    t->part[i].first < first + sectors)
			return true;
	return false;
}

static bool unused(const uint8_t *e)
{
	for (unsigned i = 0; i < 16; i++)
		if (e[i])
			return false;
	return true;
}

/* Entry `index` (from 0): a partition, refused, or not served. */
static void take_entry(const struct gpt_header *h, const uint8_t *e, unsigned index,
		       struct gpt_result *r)
{
	uint64_t first = le64(e + 32), last = le64(e + 40);
	struct mbr_table *t = &r->table;

	if (unused(e))
		return;
	if (first < h->first_usable || last > h->last_usable || first > last ||
	    overlaps(t, first, last - first + 1)) {
		t->refused++;
		return;
	}
	if (index >= MBR_PARTS) {
		r->unserved++;
		return;
	}
	t->part[t->count++] = (struct mbr_part){index + 1, 0xEE, first, last - first + 1};
}

/* The array of the header h: its CRC, then its entries into r. */
static long read_array(const struct gpt_disk *d, const struct gpt_header *h, struct gpt_result *r)
{
	uint64_t sectors, left = (uint64_t)h->entries * h->entry_size;
	uint32_t crc = 0, per = d->sector_size / h->entry_size;
	long err = array_sectors(d, h, &sectors);

	for (uint64_t s = 0; err == E_OK && s < sectors; s++) { /* first the CRC */
		err = d->read(d->ctx, h->array_lba + s, d->buf);
		uint64_t n = left < d->sector_size ? left : d->sector_size;
		if (err == E_OK)
			crc = gpt_crc32(crc, d->buf, n), left -= n;
	}
	if (err < 0)
		return err == E_RANGE ? E_NOENT : E_IO;
	if (crc != h->array_crc)
		return E_NOENT;
	memset(r, 0, sizeof(*r));
	for (uint64_t s = 0; s < sectors; s++) { /* then the entries, read again */
		if (d->read(d->ctx, h->array_lba + s, d->buf) < 0)
			return E_IO;
		for (uint32_t k = 0; k < per && s * per + k < h->entries; k++)
			take_entry(h, d->buf + k * h->entry_size, (unsigned)(s * per + k), r);
	}
	return E_OK;
}

/* The header at lba and its array. */
static long try_header(const struct gpt_disk *d, uint64_t lba, struct gpt_result *r)
{
	struct gpt_header h;
	long err = d->read(d->ctx, lba, d->buf);

	if (err < 0)
		return E_IO;
	err = check_header(d, lba, &h);
	return err == E_OK ? read_array(d, &h, r) : err;
}

long gpt_parse(const struct gpt_disk *d, struct gpt_result *r)
{
	memset(r, 0, sizeof(*r));
	if ((d->sector_size != 512 && d->sector_size != 4096) || d->sectors < 4)
		return E_NOENT;
	long err = try_header(d, PRIMARY_LBA, r);
	if (err == E_OK)
		return E_OK;
	err = try_header(d, d->sectors - 1, r);
	r->backup_used = err == E_OK;
	return err;
}
