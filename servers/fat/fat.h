/* SPDX-License-Identifier: MIT */
/*
 * The FAT engine: FAT12, FAT16 and FAT32 with long names, over a small
 * block-device interface (read, write and flush whole sectors). It makes no
 * system calls, so the same sources run in the server (servers/fat/main.c,
 * over the block protocol) and in host tests (over an image file).
 *
 * Layers, bottom up: the block cache (cache.c: write-back, multi-sector
 * requests, read-ahead), the volume (bpb.c: the boot sector's rules and
 * mount), the allocation table (table.c: both copies, free count, dirty
 * bit), names (name.c: UTF-8 <-> UTF-16, 8.3 aliases, checksums),
 * directories (dir.c: entries, long-name runs, lookup, insertion), file data
 * (file.c: read, write, truncate; extent.c: the runs of chains reads use)
 * and operations by path (ops.c).
 *
 * Every value read from the volume is hostile: cluster numbers are checked
 * against the volume, chains are walked at most as many steps as the volume
 * has clusters, directories at most FAT_DIR_MAX_ENTRIES entries, and no
 * sector outside the volume is ever read or written. Damage gives
 * E_CORRUPT for the file or directory (or for the mount, from the boot
 * sector), never a crash or a loop.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/errors.h"

/* Errors of the engine beyond sys/errors.h's generic ones. */
#define FAT_NAME_MAX	    255		  /* UTF-16 units in a long name */
#define FAT_NAME_BYTES	    (255 * 3 + 1) /* the longest name in UTF-8, with its NUL */
#define FAT_PATH_MAX	    1024	  /* bytes in a path, NUL included */
#define FAT_DIR_MAX_ENTRIES 65536	  /* the spec's limit on a directory's 32-byte slots */
#define FAT_FILE_MAX	    0xFFFFFFFFu

/* What the engine needs of a disk: whole sectors, counted from the volume's device. */
struct fat_blockdev {
	void *ctx;
	uint32_t sector_size; /* 512 to 4096, a power of two */
	uint64_t sectors;
	uint32_t max_sectors; /* the most one request may name */
	long (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
	long (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
	long (*flush)(void *ctx);
};

enum fat_type { FAT12 = 12, FAT16 = 16, FAT32 = 32 };

/* Attribute bits of a directory entry. */
#define FAT_ATTR_READONLY 0x01
#define FAT_ATTR_HIDDEN	  0x02
#define FAT_ATTR_SYSTEM	  0x04
#define FAT_ATTR_VOLUME	  0x08
#define FAT_ATTR_DIR	  0x10
#define FAT_ATTR_ARCHIVE  0x20
#define FAT_ATTR_LFN	  0x0F

/* A time as FAT stores it: date (bits 15-9 year-1980, 8-5 month, 4-0 day) and time. */
struct fat_stamp {
	uint16_t date;
	uint16_t time; /* bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2 */
};

/* Where a directory's short entry sits on the volume. */
struct fat_loc {
	uint64_t lba;	/* volume-relative sector */
	uint32_t off;	/* byte offset in that sector */
	uint32_t index; /* slot number in its directory */
};

/*
 * A file or directory found by a lookup: what its short entry says and where
 * that entry is. The root has no entry (is_root). Reads keep a position hint
 * (the last cluster reached) so sequential access does not walk the chain
 * from the start every time.
 */
struct fat_node {
	uint32_t first; /* first cluster, 0 for an empty file (and FAT12/16's root) */
	uint32_t size;
	uint8_t attr;
	bool is_root;
	uint32_t parent; /* the containing directory's first cluster (0: the root) */
	struct fat_loc loc;
	struct fat_stamp created, modified;
	uint16_t accessed;
	uint32_t hint_index, hint_cluster; /* cluster number hint_index of the chain (0: none) */
	uint64_t hint_gen;   /* the volume's chain generation the hint was found under */
	uint64_t seen;	     /* the cache's change count when last read from its entry (0: never) */
	uint32_t entry_line; /* the cache line its entry's sector was in last, + 1 (0: none); a
				hint dir_update checks */
};

struct fat_stat {
	uint64_t size;
	uint8_t attr;
	bool is_dir;
	struct fat_stamp created, modified;
	uint16_t accessed; /* a date only */
};

struct fat_statfs {
	enum fat_type type;
	uint32_t cluster_bytes;
	uint32_t clusters;
	uint32_t free_clusters;
	uint32_t sector_size;
	char label[12];
};

/* One readdir result. */
struct fat_dirent {
	char name[FAT_NAME_BYTES];
	char short_name[13];
	struct fat_stat st;
};

struct fat_vol;

struct fat_mount_opts {
	bool read_only;
	/* The time to stamp files with; NULL: FAT_EPOCH_DATE/TIME (documented fixed epoch). */
	struct fat_stamp (*now)(void *ctx);
	void *now_ctx;
	uint32_t cache_bytes; /* 0: FAT_CACHE_DEFAULT */
	/* Memory the device moves without a copy (the server's buffer shared with the disk
	 * driver), for the cache's multi-sector requests; NULL: the cache allocates its own. */
	uint8_t *io_buffer;
	size_t io_buffer_bytes;
};

#define FAT_EPOCH_DATE	  ((uint16_t)(((2026 - 1980) << 9) | (1 << 5) | 1)) /* 2026-01-01 */
#define FAT_EPOCH_TIME	  0
#define FAT_CACHE_DEFAULT (512u * 1024)

/* Mount: E_CORRUPT (no FAT volume, or a boot sector that breaks the rules), E_NOMEM, E_IO. */
long fat_mount(struct fat_blockdev *dev, const struct fat_mount_opts *opts, struct fat_vol **out);
/* Free the volume without writing anything back: what a crash leaves (for tests). */
void fat_forget(struct fat_vol *v);
/* Write everything back, mark the volume clean and free it (also after an error). */
long fat_unmount(struct fat_vol *v);
/* Write every dirty sector, FSInfo and the clean bit, then flush the device. */
long fat_sync(struct fat_vol *v);
/* Whether the volume was not cleanly unmounted before this mount. */
bool fat_was_dirty(const struct fat_vol *v);
/* Lost clusters freed at mount (allocated, but in no file's chain). */
uint32_t fat_repaired_clusters(const struct fat_vol *v);
void fat_statfs(struct fat_vol *v, struct fat_statfs *out);
/* Device requests made since the mount (reads, writes), for tests and figures. */
void fat_requests(const struct fat_vol *v, uint64_t *reads, uint64_t *writes);

/*
 * Operations by path ('/'-separated, relative to the root; empty parts are
 * skipped; "." and ".." are followed). Errors: E_NOENT, E_EXISTS, E_INVAL (a
 * bad name), E_NOTDIR, E_ISDIR, E_NOTEMPTY, E_NOSPACE (disk or root full),
 * E_CORRUPT (damage met on the way), E_RIGHTS (read-only mount), E_IO.
 */
long fat_lookup(struct fat_vol *v, const char *path, struct fat_node *out);
long fat_create(struct fat_vol *v, const char *path, struct fat_node *out);
/*
 * Open by path, as fs.c's open does: the node of what the path names; with
 * FAT_OPEN_CREATE a new empty file when the last name is not there (the path
 * split and walked once, the name looked up once); with FAT_OPEN_EXCL
 * E_EXISTS when it is there. Errors as fat_lookup's and fat_create's.
 */
#define FAT_OPEN_CREATE 0x1u
#define FAT_OPEN_EXCL	0x2u
long fat_open(struct fat_vol *v, const char *path, unsigned how, struct fat_node *out);
long fat_mkdir(struct fat_vol *v, const char *path);
long fat_unlink(struct fat_vol *v, const char *path);
long fat_rmdir(struct fat_vol *v, const char *path);
long fat_rename(struct fat_vol *v, const char *from, const char *to);
void fat_node_stat(const struct fat_node *n, struct fat_stat *out);

/* File data through a node from fat_lookup or fat_create. */
long fat_read(struct fat_vol *v, struct fat_node *n, uint64_t off, void *buf, size_t len,
	      size_t *done);
long fat_write(struct fat_vol *v, struct fat_node *n, uint64_t off, const void *buf, size_t len,
	       size_t *done);
long fat_truncate(struct fat_vol *v, struct fat_node *n, uint64_t size);
/*
 * Re-read a node's entry (another handle may have changed the file), unless
 * no byte of the volume changed since it last did (the cache's change count).
 * E_NOENT when the entry was removed (unlinked, or renamed away).
 */
long fat_node_refresh(struct fat_vol *v, struct fat_node *n);
/*
 * n equals its entry as the volume is now (a write through a node that was
 * its entry's copy, which succeeded: dir_update stored what it changed), so
 * its next refresh reads nothing unless some byte of the volume changes first.
 */
void fat_node_current(struct fat_vol *v, struct fat_node *n);
/*
 * The change count those two compare a node's `seen` with and set it to,
 * for a caller that makes their usual test itself (fs.c's io).
 */
const uint64_t *fat_change_count(const struct fat_vol *v);

/*
 * The directory's entries from *cookie on (start with 0): the next one in
 * *out and the cookie after it. E_NOENT at the end. "." and ".." and the
 * volume label are left out.
 */
long fat_readdir(struct fat_vol *v, const struct fat_node *dir, uint32_t *cookie,
		 struct fat_dirent *out);

/* One entry as fat_readdir_many hands it over (good during the visitor's call only). */
struct fat_dirent_view {
	const char *name; /* UTF-8, NUL-terminated */
	size_t name_len;
	struct fat_stat st;
	uint32_t next; /* the cookie after this entry */
};
/*
 * 0: the entry is taken, go on; else stop before it. It must not use the
 * volume: the walk keeps its place in a cached sector across the calls.
 */
typedef int (*fat_readdir_fn)(void *ctx, const struct fat_dirent_view *e);

/*
 * fat_readdir for many entries in one walk (dir_list.c): each entry from
 * *cookie on goes to fn, and *cookie moves past each one fn takes. E_OK when
 * fn stopped, E_NOENT at the directory's end, or the error met.
 */
long fat_readdir_many(struct fat_vol *v, const struct fat_node *dir, uint32_t *cookie,
		      fat_readdir_fn fn, void *ctx);
