/* SPDX-License-Identifier: MIT */
/*
 * The ext2 server's handlers (fs.c): the fs protocol's ops over one mounted
 * read-only volume, with clients by badge. What they need of the system is
 * in struct ext2_env (main.c gives the real one, test_ext2_fs.c a fake).
 */
#pragma once

#include "ext2.h"
#include "proto/fs.h"

struct ext2_env {
	/* Map mobj as client slot's buffer (replacing one it had): its address and size. */
	long (*map)(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size);
	void (*unmap)(void *ctx, unsigned slot);
	/* Arm (on) a notice for when the client with badge is gone. */
	void (*watch)(void *ctx, uint64_t badge, bool on);
};

struct ext2_client {
	bool used;
	uint64_t badge;
	uint8_t *buf; /* its attached buffer, in slot (its index)'s window */
	uint64_t size;
	uint32_t open; /* bit i: handle i + 1 is open */
	struct ext2_node node[FS_HANDLES_MAX];
};

struct ext2_server {
	struct ext2_vol *vol;
	const struct ext2_env *env;
	void *env_ctx;
	uint32_t sector_size;	   /* for FS_STATFS */
	struct ext2_dirent dirent; /* readdir's scratch */
	struct ext2_client clients[FS_CLIENTS_MAX];
};

_Static_assert(FS_HANDLES_MAX <= 32, "open handles fit a 32-bit mask");

extern const struct fs_ops ext2_fs_ops;

/* A Unix time as the fs protocol's FAT-style date << 16 | time (UTC, 1980 to 2107). */
uint64_t ext2_fat_stamp(uint32_t unix_seconds);
