/* SPDX-License-Identifier: MIT */
/*
 * The ext2 volume: the superblock (1024 bytes at byte 1024) checked field by
 * field, the group descriptors (32 bytes each, in the block after the
 * superblock's), and inodes found through their group's inode table. A
 * volume this reader cannot read correctly is refused at mount with the
 * reason in words: an incompatible feature (anything but the entries' file
 * type: extents, 64-bit, flex_bg's meta_bg, a journal needing recovery,
 * inline data, compression), a block size other than 1, 2 or 4 KiB, a
 * revision past 1. Read-only-compatible features need no support to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext2_impl.h"

#define SB_OFFSET  1024
#define SB_BYTES   1024
#define GD_BYTES   32
#define GROUPS_MAX (1u << 20) /* descriptors one mount reads (4 TiB at 4 KiB blocks) */

static long refuse(char *why, long err, const char *text, unsigned long value)
{
	snprintf(why, EXT2_WHY_BYTES, text, value);
	return err;
}

/* The superblock's 1024 bytes, whatever the sector size (512 to 4096). */
static long read_super(struct ext2_blockdev *dev, uint8_t *sb)
{
	uint32_t ss = dev->sector_size;
	uint32_t first = SB_OFFSET / ss, count = (SB_OFFSET + SB_BYTES + ss - 1) / ss - first;
	uint8_t *tmp = malloc((size_t)count * ss);
	long r = E_NOMEM;

	if (dev->sectors < first + count)
		r = E_CORRUPT;
	else if (tmp)
		r = dev->read(dev->ctx, first, count, tmp);
	if (r == E_OK)
		memcpy(sb, tmp + (SB_OFFSET - (size_t)first * ss), SB_BYTES);
	free(tmp);
	return r;
}

static long check_features(const uint8_t *sb, struct ext2_vol *v, char *why)
{
	uint32_t rev = ext2_le32(sb + 76);

	v->revision = rev;
	if (rev > 1)
		return refuse(why, E_INVAL, "revision %lu (only 0 and 1 are ext2)", rev);
	v->inode_size = 128;
	if (rev == 0)
		return E_OK;
	uint32_t incompat = ext2_le32(sb + 96);
	if (incompat & ~EXT2_INCOMPAT_FILETYPE)
		return refuse(why, E_INVAL,
			      "incompatible features 0x%lx (extents, 64bit, journal, "
			      "meta_bg, ...): not ext2",
			      incompat & ~EXT2_INCOMPAT_FILETYPE);
	v->filetype = incompat & EXT2_INCOMPAT_FILETYPE;
	v->inode_size = ext2_le16(sb + 88);
	if (v->inode_size < 128 || v->inode_size & (v->inode_size - 1))
		return refuse(why, E_CORRUPT, "inode size %lu", v->inode_size);
	memcpy(v->label, sb + 120, 16);
	v->label[16] = 0;
	return E_OK;
}

/* Block size, counts and group geometry: consistent with each other and the device. */
static long check_geometry(const uint8_t *sb, struct ext2_vol *v, uint64_t dev_bytes, char *why)
{
	uint32_t log = ext2_le32(sb + 24), per_group = ext2_le32(sb + 32);

	if (log > 2)
		return refuse(why, E_INVAL, "block size 2^%lu KiB (1, 2 or 4 KiB are read)", log);
	v->block_size = 1024u << log;
	v->blocks = ext2_le32(sb + 4);
	v->free_blocks = ext2_le32(sb + 12);
	v->first_data_block = ext2_le32(sb + 20);
	v->inodes = ext2_le32(sb + 0);
	v->free_inodes = ext2_le32(sb + 16);
	v->inodes_per_group = ext2_le32(sb + 40);
	if (v->inode_size > v->block_size)
		return refuse(why, E_CORRUPT, "inode size %lu past the block size", v->inode_size);
	if (v->first_data_block != (v->block_size == 1024) || v->blocks <= v->first_data_block)
		return refuse(why, E_CORRUPT, "%lu blocks", v->blocks);
	if ((uint64_t)v->blocks * v->block_size > dev_bytes)
		return refuse(why, E_CORRUPT, "%lu blocks: more than the disk holds", v->blocks);
	if (per_group == 0 || per_group > 8 * v->block_size || v->inodes_per_group == 0 ||
	    v->inodes_per_group > 8 * v->block_size)
		return refuse(why, E_CORRUPT, "%lu blocks per group", per_group);
	v->groups = (v->blocks - v->first_data_block + per_group - 1) / per_group;
	if (v->groups > GROUPS_MAX || v->inodes < EXT2_ROOT_INO ||
	    (uint64_t)v->groups * v->inodes_per_group < v->inodes)
		return refuse(why, E_CORRUPT, "%lu inodes do not fit the groups", v->inodes);
	v->inode_table_blocks =
		(uint32_t)(((uint64_t)v->inodes_per_group * v->inode_size + v->block_size - 1) /
			   v->block_size);
	return E_OK;
}

/* Group g's descriptor: its inode table inside the volume. */
static long read_group(struct ext2_vol *v, uint32_t g, char *why)
{
	uint32_t per_block = v->block_size / GD_BYTES;
	const uint8_t *b;
	long r = ext2_cache_get(&v->cache, v->first_data_block + 1 + g / per_block, &b);

	if (r < 0)
		return refuse(why, r, "group descriptor block of group %lu unreadable", g);
	uint32_t table = ext2_le32(b + (g % per_block) * GD_BYTES + 8);
	if (table <= v->first_data_block || table >= v->blocks ||
	    v->inode_table_blocks > v->blocks - table)
		return refuse(why, E_CORRUPT, "group %lu: inode table outside the volume", g);
	v->group[g].inode_table = table;
	return E_OK;
}

static long mount_volume(struct ext2_vol *v, struct ext2_blockdev *dev, uint32_t cache_bytes,
			 char *why)
{
	uint8_t sb[SB_BYTES];
	struct ext2_node root;
	long r = read_super(dev, sb);

	if (r < 0)
		return refuse(why, r, "superblock unreadable", 0);
	if (ext2_le16(sb + 56) != EXT2_MAGIC)
		return refuse(why, E_CORRUPT, "no ext2 magic (0x%lx)", ext2_le16(sb + 56));
	r = check_features(sb, v, why);
	if (r == E_OK)
		r = check_geometry(sb, v, dev->sectors * dev->sector_size, why);
	if (r == E_OK && v->block_size < dev->sector_size)
		r = refuse(why, E_INVAL, "blocks smaller than the disk's %lu-byte sectors",
			   dev->sector_size);
	if (r < 0)
		return r;
	r = ext2_cache_init(&v->cache, dev, v->block_size, v->blocks,
			    cache_bytes ? cache_bytes : EXT2_CACHE_DEFAULT);
	v->group = calloc(v->groups, sizeof(*v->group));
	if (r < 0 || !v->group)
		return refuse(why, E_NOMEM, "no memory for %lu groups", v->groups);
	for (uint32_t g = 0; g < v->groups && r == E_OK; g++)
		r = read_group(v, g, why);
	if (r == E_OK && (ext2_read_inode(v, EXT2_ROOT_INO, &root) < 0 || !ext2_is_dir(&root)))
		r = refuse(why, E_CORRUPT, "the root (inode %lu) is no directory", EXT2_ROOT_INO);
	return r;
}

long ext2_mount(struct ext2_blockdev *dev, uint32_t cache_bytes, struct ext2_vol **out, char *why)
{
	struct ext2_vol *v = calloc(1, sizeof(*v));

	why[0] = 0;
	if (!v)
		return refuse(why, E_NOMEM, "no memory for the volume", 0);
	long r = mount_volume(v, dev, cache_bytes, why);
	if (r < 0) {
		ext2_unmount(v);
		return r;
	}
	*out = v;
	return E_OK;
}

void ext2_unmount(struct ext2_vol *v)
{
	ext2_cache_free(&v->cache);
	free(v->group);
	free(v);
}

void ext2_statfs(const struct ext2_vol *v, struct ext2_statfs *out)
{
	*out = (struct ext2_statfs){.block_size = v->block_size,
				    .blocks = v->blocks,
				    .free_blocks = v->free_blocks,
				    .inodes = v->inodes,
				    .free_inodes = v->free_inodes,
				    .revision = v->revision};
	memcpy(out->label, v->label, sizeof(out->label));
}

uint64_t ext2_device_reads(const struct ext2_vol *v)
{
	return v->cache.reads;
}

static void decode_inode(const uint8_t *p, uint32_t ino, struct ext2_node *n)
{
	n->ino = ino;
	n->mode = ext2_le16(p + 0);
	n->size = ext2_le32(p + 4);
	if ((n->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		n->size |= (uint64_t)ext2_le32(p + 108) << 32; /* i_size_high (large_file) */
	n->atime = ext2_le32(p + 8);
	n->ctime = ext2_le32(p + 12);
	n->mtime = ext2_le32(p + 16);
	n->blocks512 = ext2_le32(p + 28);
	n->flags = ext2_le32(p + 32);
	n->file_acl = ext2_le32(p + 104);
	for (int i = 0; i < 15; i++)
		n->block[i] = ext2_le32(p + 40 + 4 * i);
}

long ext2_read_inode(struct ext2_vol *v, uint32_t ino, struct ext2_node *out)
{
	const uint8_t *b;

	if (ino == 0 || ino > v->inodes)
		return E_CORRUPT;
	uint32_t g = (ino - 1) / v->inodes_per_group, index = (ino - 1) % v->inodes_per_group;
	uint64_t at = (uint64_t)index * v->inode_size;
	long r = ext2_cache_get(&v->cache, v->group[g].inode_table + (uint32_t)(at / v->block_size),
				&b);
	if (r < 0)
		return r;
	decode_inode(b + at % v->block_size, ino, out);
	if (out->mode == 0)
		return E_CORRUPT; /* an entry naming a free inode */
	if (out->flags & (EXT2_FL_EXTENTS | EXT2_FL_INLINE_DATA))
		return E_CORRUPT; /* ext4's ways of finding data: not in an ext2 volume */
	if (out->size > ext2_max_file_bytes(v) ||
	    (ext2_is_dir(out) && out->size > EXT2_DIR_MAX_BYTES))
		return E_CORRUPT;
	return E_OK;
}
