/* SPDX-License-Identifier: MIT */
/*
 * IDENTIFY DEVICE data (ACS-2, 7.16.7) into a disk's geometry: the model and
 * serial strings (two characters per word, high byte first), LBA48 support
 * (word 83 bit 10) and capacity (words 100-103, else 60-61), and the logical
 * sector size (word 106: words 117-118 when bit 12 says it is not 512
 * bytes). The words come from the device: anything but 512- or 4096-byte
 * sectors and a non-zero capacity is refused with E_IO.
 */
#include <string.h>

#include "ahci.h"
#include "sys/errors.h"

#define ID_SERIAL      10
#define ID_MODEL       27
#define ID_LBA28       60
#define ID_FEATURES83  83
#define ID_LBA48       100
#define ID_SECTOR_INFO 106
#define ID_SECTOR_SIZE 117
#define LBA48_MAX      ((1ull << 48) - 1)

/* Words first..first+words-1 as a string without trailing spaces (out: 2 * words + 1 bytes). */
static void ata_string(const uint16_t *id, unsigned first, unsigned words, char *out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < words; i++) {
		char hi = (char)(id[first + i] >> 8), lo = (char)(id[first + i] & 0xFF);
		out[n++] = (hi >= 0x20 && hi < 0x7F) ? hi : '?';
		out[n++] = (lo >= 0x20 && lo < 0x7F) ? lo : '?';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static uint64_t sector_size(const uint16_t id[256])
{
	uint16_t info = id[ID_SECTOR_INFO];

	if ((info & 0xC000) != 0x4000 || !(info & (1u << 12)))
		return 512;
	return 2 * ((uint64_t)id[ID_SECTOR_SIZE] | (uint64_t)id[ID_SECTOR_SIZE + 1] << 16);
}

long ahci_parse_identify(const uint16_t id[256], struct ahci_disk *d)
{
	uint64_t sectors = (uint64_t)id[ID_LBA28] | (uint64_t)id[ID_LBA28 + 1] << 16;

	d->lba48 = (id[ID_FEATURES83] & 0xC000) == 0x4000 && (id[ID_FEATURES83] & (1u << 10));
	if (d->lba48) {
		sectors = 0;
		for (unsigned i = 0; i < 4; i++)
			sectors |= (uint64_t)id[ID_LBA48 + i] << (16 * i);
	}
	uint64_t size = sector_size(id);
	if (sectors == 0 || sectors > LBA48_MAX || (size != 512 && size != 4096))
		return E_IO;
	ata_string(id, ID_MODEL, 20, d->model);
	ata_string(id, ID_SERIAL, 10, d->serial);
	d->geo = (struct block_geometry){size, sectors, BLOCK_BUFFER_MAX / size};
	return E_OK;
}
