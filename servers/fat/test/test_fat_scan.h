/* SPDX-License-Identifier: MIT */
/*
 * What test_fat_scan.c (scans and claims checked against one-entry models
 * on random tables) shares with test_fat_cursor.c (the append cursor's and
 * the aligned first cluster's cases, set up one by one): the disk in
 * memory, its device calls and a volume's geometry.
 */
#pragma once

#include "../fat_impl.h"

#define DISK_BYTES (4u << 20)

extern uint8_t *disk;
long disk_read(void *ctx, uint64_t lba, uint32_t n, void *buf);
long disk_write(void *ctx, uint64_t lba, uint32_t n, const void *buf);
/* v zeroed and given a table of `clusters` entries (plus the two reserved) at sector 1. */
void vol_init(struct fat_vol *v, enum fat_type type, uint32_t ss, uint32_t clusters);

/* test_fat_cursor.c */
void test_aligned(void);
void test_cursor_lines(void);
