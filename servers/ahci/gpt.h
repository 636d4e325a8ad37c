/* SPDX-License-Identifier: MIT */
/*
 * GUID partition tables (gpt.c; UEFI 2.10, 5.3): behind a protective MBR
 * (an entry of type 0xEE), the header at LBA 1 and its entry array, or,
 * when either fails its check, the backup header at the disk's last LBA and
 * its array. Everything read is hostile: the signature, the header's size
 * and CRC32, its own LBA, the usable range, the array's place, size and
 * CRC32 are all checked before an entry is believed; a used entry outside
 * the usable range, inverted or overlapping an earlier one is dropped and
 * counted in `refused`. Entry n (from 0) becomes partition n + 1, served
 * as disk<d>p<n+1> for the first MBR_PARTS entries (the manifest's
 * endpoints); used entries beyond them are counted in `unserved`.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "mbr.h"

#define GPT_MAX_ENTRIES 1024 /* more is refused: 128 is what every tool writes */

/* Read sector lba (sector_size bytes) into the parser's buffer: E_OK or an error. */
typedef long (*gpt_read_fn)(void *ctx, uint64_t lba, uint8_t *buf);

struct gpt_disk {
	gpt_read_fn read;
	void *ctx;
	uint8_t *buf; /* one sector */
	uint64_t sectors;
	uint32_t sector_size; /* 512 or 4096 */
};

struct gpt_result {
	struct mbr_table table;
	unsigned unserved;
	bool backup_used; /* the primary header or its array failed a check */
};

/* Sector 0 is a protective MBR: 0x55AA and a partition entry of type 0xEE. */
bool gpt_protective(const uint8_t sector0[512]);
/* E_OK and the partitions, or E_NOENT (no valid header or array), E_IO (a read failed). */
long gpt_parse(const struct gpt_disk *d, struct gpt_result *r);
/* The CRC32 of UEFI (IEEE 802.3, reflected, ~0 in and out), continued from crc (0 to start). */
uint32_t gpt_crc32(uint32_t crc, const uint8_t *p, uint64_t n);
