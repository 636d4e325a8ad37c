/* SPDX-License-Identifier: MIT */
/*
 * The ext2 engine's insides, shared by its files (ext2.h is the interface):
 * the mounted volume, the block cache and the little-endian field readers.
 */
#pragma once

#include "ext2.h"

#define EXT2_MAGIC     0xEF53
#define EXT2_ROOT_INO  2
#define EXT2_N_DIRECT  12
#define EXT2_IND_BLOCK 12 /* i_block[12]: single, [13] double, [14] triple indirect */

/* Incompatible features: the only one this reader understands is the entries' file type. */
#define EXT2_INCOMPAT_FILETYPE 0x0002u
/* Inode flags that change how data is found: refused per file. */
#define EXT2_FL_EXTENTS	       0x00080000u
#define EXT2_FL_INLINE_DATA    0x10000000u

/* One cached block. */
struct ext2_cache_line {
	uint32_t block;
	bool valid;
	int32_t next; /* the next line in its hash bucket, -1 at the end */
	uint64_t used;
	uint8_t *data;
};

struct ext2_cache {
	struct ext2_blockdev *dev;
	uint32_t block_size;
	uint32_t sectors_per_block;
	uint32_t limit; /* blocks in the volume: none at or past it is read */
	uint32_t nlines;
	uint64_t clock;
	uint64_t reads; /* device requests */
	struct ext2_cache_line *lines;
	int32_t *buckets; /* nlines of them */
	uint8_t *mem;
};

struct ext2_group {
	uint32_t inode_table;
};

struct ext2_vol {
	struct ext2_cache cache;
	uint32_t block_size;
	uint32_t blocks, free_blocks, first_data_block;
	uint32_t inodes, free_inodes, inodes_per_group;
	uint32_t inode_size;
	uint32_t inode_table_blocks; /* per group */
	uint32_t groups;
	uint32_t revision;
	bool filetype; /* entries carry a file type byte (name_len is one byte either way) */
	char label[17];
	struct ext2_group *group;
	/* A lookup's working paths (the server is one thread; a lookup is not re-entered). */
	char path[EXT2_PATH_MAX];
	char link[EXT2_PATH_MAX];
};

static inline uint16_t ext2_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t ext2_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* cache.c */
long ext2_cache_init(struct ext2_cache *c, struct ext2_blockdev *dev, uint32_t block_size,
		     uint32_t limit, uint32_t bytes);
void ext2_cache_free(struct ext2_cache *c);
/* Block `block` of the volume, cached; the data stays valid until the next cache call. */
long ext2_cache_get(struct ext2_cache *c, uint32_t block, const uint8_t **data);
/* count adjacent blocks straight into buf, bypassing the cache (file data). */
long ext2_cache_read_direct(struct ext2_cache *c, uint32_t block, uint32_t count, void *buf);

/* map.c: the volume block holding file block `index` of n (0: a hole). */
long ext2_bmap(struct ext2_vol *v, const struct ext2_node *n, uint64_t index, uint32_t *block);
/* The largest file the mapping can reach, in bytes. */
uint64_t ext2_max_file_bytes(const struct ext2_vol *v);
