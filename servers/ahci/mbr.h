/* SPDX-License-Identifier: MIT */
/*
 * MBR partition tables (mbr.c): the four primary entries of sector 0, each
 * partition becoming a block device of its own (disk0p1, ...) that the
 * protocol's decode bounds to the partition. Hostile input: a sector that
 * is not a partition table (no 0x55AA, a status byte other than 0x00 or
 * 0x80, a FAT boot sector) gives E_NOENT; entries past the disk's end or
 * overlapping an earlier one are dropped and counted in `refused`.
 * Extended partitions (types 0x05, 0x0F, 0x85) are not followed, and a GPT
 * protective entry (0xEE) means E_NOENT: the GPT behind it is gpt.c's.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MBR_PARTS 4

struct mbr_part {
	unsigned index; /* 1-4: its entry, so disk0p<index> */
	uint8_t type;
	uint64_t first, sectors;
};

struct mbr_table {
	struct mbr_part part[MBR_PARTS];
	unsigned count, refused;
};

long mbr_parse(const uint8_t sector[512], uint64_t disk_sectors, struct mbr_table *t);
