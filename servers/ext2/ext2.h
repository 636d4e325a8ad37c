/* SPDX-License-Identifier: MIT */
/*
 * The ext2 engine: a read-only reader of ext2 revision 0 and 1 volumes (as
 * genext2fs and `mke2fs -t ext2` make them, 1 to 4 KiB blocks) over a small
 * block-device interface. It makes no system calls, so the same sources run
 * in the server (servers/ext2/main.c, over the block protocol), in the host
 * tests (over an image file) and under libFuzzer.
 *
 * Layers, bottom up: the block cache (cache.c), the volume (super.c: the
 * superblock's checks, group descriptors, inodes), file data (map.c: direct,
 * indirect, double and triple indirect blocks; reads in runs of adjacent
 * blocks) and names (dir.c: directory entries, lookup by path with symlinks
 * followed inside the volume).
 *
 * Every value read from the volume is hostile: block and inode numbers are
 * checked against the volume, directory entries against their block, the
 * mapping depth is fixed (so a loop of indirect blocks is only a wrong
 * mapping, never a loop), symlinks are followed at most EXT2_SYMLINKS_MAX
 * times per lookup, and no block outside the volume is ever read. Damage
 * gives E_CORRUPT for the file or directory (or for the mount, from the
 * superblock and group descriptors), never a crash or a hang.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/errors.h"

#define EXT2_NAME_MAX	   255	       /* bytes in a name */
#define EXT2_PATH_MAX	   1024	       /* bytes in a path or symlink target, NUL included */
#define EXT2_SYMLINKS_MAX  8	       /* symlinks one lookup follows */
#define EXT2_DIR_MAX_BYTES (64u << 20) /* a larger directory is taken as damage */
#define EXT2_CACHE_DEFAULT (256u * 1024)
#define EXT2_WHY_BYTES	   128

/* What the engine needs of a disk: whole sectors, counted from the volume's start. */
struct ext2_blockdev {
	void *ctx;
	uint32_t sector_size; /* 512 to 4096, a power of two */
	uint64_t sectors;
	long (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
};

/* The type bits of an inode's mode. */
#define EXT2_S_IFMT  0xF000u
#define EXT2_S_IFDIR 0x4000u
#define EXT2_S_IFREG 0x8000u
#define EXT2_S_IFLNK 0xA000u

/* An inode as read from the volume (the fields the reader uses). */
struct ext2_node {
	uint32_t ino;
	uint16_t mode;
	uint64_t size;
	uint32_t atime, ctime, mtime;
	uint32_t flags;
	uint32_t blocks512; /* i_blocks: 512-byte units held, indirect blocks included */
	uint32_t file_acl;
	uint32_t block[15];
};

static inline bool ext2_is_dir(const struct ext2_node *n)
{
	return (n->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline bool ext2_is_link(const struct ext2_node *n)
{
	return (n->mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

struct ext2_statfs {
	uint32_t block_size;
	uint32_t blocks;
	uint32_t free_blocks;
	uint32_t inodes;
	uint32_t free_inodes;
	uint32_t revision;
	char label[17]; /* s_volume_name, NUL-terminated */
};

/* One readdir result: the name and the inode it names. */
struct ext2_dirent {
	char name[EXT2_NAME_MAX + 1];
	struct ext2_node node;
};

struct ext2_vol;

/*
 * Mount: E_CORRUPT (no ext2 volume, or a superblock or group descriptor that
 * breaks the rules), E_INVAL (a feature or block size this reader does not
 * support), E_NOMEM, E_IO. On failure `why` (EXT2_WHY_BYTES) says what.
 */
long ext2_mount(struct ext2_blockdev *dev, uint32_t cache_bytes, struct ext2_vol **out, char *why);
void ext2_unmount(struct ext2_vol *v);
void ext2_statfs(const struct ext2_vol *v, struct ext2_statfs *out);

/*
 * The inode a path names ('/'-separated from the root; empty parts skipped;
 * "." and ".." are the directories' own entries). Symlinks on the way are
 * followed (an absolute target starts again at the volume's root); the last
 * one only if `follow`. E_NOENT, E_NOTDIR, E_CORRUPT (damage, or more than
 * EXT2_SYMLINKS_MAX symlinks), E_RANGE (a path grown past EXT2_PATH_MAX), E_IO.
 */
long ext2_lookup(struct ext2_vol *v, const char *path, bool follow, struct ext2_node *out);
long ext2_read_inode(struct ext2_vol *v, uint32_t ino, struct ext2_node *out);

/* File data: up to len bytes at off (fewer at the end of the file). E_ISDIR for a directory. */
long ext2_read(struct ext2_vol *v, const struct ext2_node *n, uint64_t off, void *buf, size_t len,
	       size_t *done);
/* A symlink's target, NUL-terminated, in buf (EXT2_PATH_MAX bytes). E_INVAL if n is no symlink. */
long ext2_readlink(struct ext2_vol *v, const struct ext2_node *n, char *buf);

/*
 * The directory's entries from *cookie on (start with 0): the next one in
 * *out and the cookie after it. E_NOENT at the end. "." and ".." are left out.
 */
long ext2_readdir(struct ext2_vol *v, const struct ext2_node *dir, uint64_t *cookie,
		  struct ext2_dirent *out);

/* Device reads so far (for tests of the cache and of read runs). */
uint64_t ext2_device_reads(const struct ext2_vol *v);
