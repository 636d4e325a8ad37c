/* SPDX-License-Identifier: MIT */
/*
 * The FAT server's handlers (fs.c): the fs protocol's ops over one mounted
 * volume, with clients by badge. What they need of the system is in struct
 * fat_env (main.c gives the real one, test_fs.c a fake).
 */
#pragma once

#include "fat.h"
#include "proto/fs.h"

struct fat_env {
	/* Map mobj as client slot's buffer (replacing one it had): its address and size. */
	long (*map)(void *ctx, unsigned slot, handle_t mobj, uint8_t **buf, uint64_t *size);
	void (*unmap)(void *ctx, unsigned slot);
	/* Arm (on) a notice for when the client with badge is gone. */
	void (*watch)(void *ctx, uint64_t badge, bool on);
	/* The first change since the volume was last synced (NULL: not told): fat's main.c arms
	 * its write-back tick then, so a clean volume costs no wake-ups. */
	void (*dirtied)(void *ctx);
};

struct fat_open_file {
	bool used;
	struct fat_node node;
};

struct fat_client {
	bool used;
	uint64_t badge;
	unsigned slot; /* its buffer's place (a window in the server's address space) */
	uint8_t *buf;
	uint64_t size;
	struct fat_open_file files[FS_HANDLES_MAX];
};

struct fat_server {
	struct fat_vol *vol;
	const struct fat_env *env;
	void *env_ctx;
	bool dirty;		  /* written since the last sync */
	struct fat_dirent dirent; /* readdir's scratch */
	/* fat_change_count(vol), set by every open, so before any handle's io, which reads it. */
	const uint64_t *changes;
	struct fat_client clients[FS_CLIENTS_MAX];
};

extern const struct fs_ops fat_fs_ops;
/* A request changes the volume: dirty until the next sync (env->dirtied told the first time). */
void fat_server_dirty(struct fat_server *s);
/* FS_SETTIME (settime.c). */
long fat_settime_op(void *ctx, const char *path, uint64_t stamp);
