/* SPDX-License-Identifier: MIT */
/*
 * The boot sector (BIOS parameter block) as hostile data, and mount. The
 * FAT type follows only from the count of data clusters, as Microsoft's
 * FAT specification (fatgen103) says: under 4085 FAT12, under 65525 FAT16,
 * else FAT32; the type strings at 0x36/0x52 are ignored. Every field that
 * places a region is checked so that the regions fit in the volume and the
 * FAT is large enough for the clusters it must describe. A device whose
 * sector 0 is an MBR (no BPB) is mounted at its first FAT partition.
 */
#include <stdlib.h>
#include <string.h>

#include "fat_impl.h"

static bool pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Fields common to every type; E_CORRUPT for one that breaks the rules. */
static long parse_common(struct fat_vol *v, const uint8_t *s, uint32_t dev_ss)
{
	if ((s[0] != 0xEB && s[0] != 0xE9) || s[510] != 0x55 || s[511] != 0xAA)
		return E_CORRUPT;
	v->ss = rd16(s + 11);
	v->spc = s[13];
	v->reserved = rd16(s + 14);
	v->nfats = s[16];
	v->root_entries = rd16(s + 17);
	if (v->ss != dev_ss || v->ss < 512 || v->ss > 4096 || !pow2(v->ss))
		return E_CORRUPT;
	if (!pow2(v->spc) || v->spc > 128 || v->reserved == 0 || v->nfats == 0 || v->nfats > 4)
		return E_CORRUPT;
	if (s[21] != 0xF0 && s[21] < 0xF8)
		return E_CORRUPT; /* media descriptor */
	v->cluster_bytes = v->ss * v->spc;
	v->root_sectors = (v->root_entries * 32 + v->ss - 1) / v->ss;
	return E_OK;
}

/* The cluster count and type from the region sizes. */
static long parse_geometry(struct fat_vol *v, const uint8_t *s, uint64_t dev_sectors)
{
	uint32_t tot = rd16(s + 19) ? rd16(s + 19) : rd32(s + 32);
	uint32_t fatsz = rd16(s + 22) ? rd16(s + 22) : rd32(s + 36);
	uint64_t meta = v->reserved + (uint64_t)v->nfats * fatsz + v->root_sectors;

	if (tot == 0 || fatsz == 0 || tot > dev_sectors || meta >= tot)
		return E_CORRUPT;
	v->total_sectors = tot;
	v->fat_sectors = fatsz;
	v->fat_start = v->reserved;
	v->root_start = v->fat_start + (uint64_t)v->nfats * fatsz;
	v->data_start = v->root_start + v->root_sectors;
	v->clusters = (uint32_t)((tot - meta) / v->spc);
	if (v->clusters == 0)
		return E_CORRUPT;
	v->type = v->clusters < 4085 ? FAT12 : v->clusters < 65525 ? FAT16 : FAT32;
	/* The FAT must hold an entry for every cluster (and the two reserved ones). */
	uint64_t entries = (uint64_t)fatsz * v->ss * 8 / v->type;
	if (entries < (uint64_t)v->clusters + 2)
		return E_CORRUPT;
	return E_OK;
}

static long parse_fat32(struct fat_vol *v, const uint8_t *s)
{
	uint16_t flags = rd16(s + 40);

	if (v->root_entries != 0 || rd16(s + 22) != 0 || rd16(s + 42) != 0)
		return E_CORRUPT;
	if (v->clusters > 0x0FFFFFF5 - 2)
		return E_CORRUPT;
	v->root_cluster = rd32(s + 44);
	if (!fat_cluster_ok(v, v->root_cluster))
		return E_CORRUPT;
	v->mirror = !(flags & 0x80);
	v->active_fat = v->mirror ? 0 : (flags & 0x0F);
	if (v->active_fat >= v->nfats)
		return E_CORRUPT;
	v->fsinfo_sector = rd16(s + 48);
	if (v->fsinfo_sector == 0 || v->fsinfo_sector >= v->reserved)
		v->fsinfo_sector = 0;
	v->eoc = 0x0FFFFFFF;
	memcpy(v->label, s + 71, 11);
	return E_OK;
}

long bpb_parse(struct fat_vol *v, const uint8_t *s, uint32_t dev_ss, uint64_t dev_sectors)
{
	long r = parse_common(v, s, dev_ss);

	if (r == E_OK)
		r = parse_geometry(v, s, dev_sectors);
	if (r < 0)
		return r;
	v->mirror = true;
	if (v->type == FAT32)
		return parse_fat32(v, s);
	if (v->root_entries == 0)
		return E_CORRUPT;
	v->eoc = v->type == FAT12 ? 0xFFF : 0xFFFF;
	memcpy(v->label, s + 43, 11);
	return E_OK;
}

long bpb_mbr_first_fat(const uint8_t *s, uint64_t dev_sectors, uint64_t *first, uint64_t *count)
{
	static const uint8_t fat_types[] = {0x01, 0x04, 0x06, 0x0B, 0x0C, 0x0E};

	if (s[510] != 0x55 || s[511] != 0xAA)
		return E_NOENT;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = s + 446 + 16 * i;
		uint64_t lba = rd32(e + 8), n = rd32(e + 12);
		if ((e[0] != 0 && e[0] != 0x80) || !memchr(fat_types, e[4], sizeof(fat_types)))
			continue;
		if (lba == 0 || n == 0 || lba >= dev_sectors || n > dev_sectors - lba)
			continue;
		*first = lba;
		*count = n;
		return E_OK;
	}
	return E_NOENT;
}

struct fat_stamp vol_now(struct fat_vol *v)
{
	if (v->now)
		return v->now(v->now_ctx);
	return (struct fat_stamp){FAT_EPOCH_DATE, FAT_EPOCH_TIME};
}

/* A cache over the volume from `first`, as opts asks (its size, the device's own buffer). */
static long volume_cache(struct fat_vol *v, struct fat_blockdev *dev, uint64_t first,
			 const struct fat_mount_opts *opts)
{
	uint32_t bytes = opts && opts->cache_bytes ? opts->cache_bytes : FAT_CACHE_DEFAULT;

	return cache_init(&v->cache, dev, first, v->total_sectors, bytes,
			  opts ? opts->io_buffer : NULL, opts ? opts->io_buffer_bytes : 0);
}

/*
 * Sector 0 of the device: a BPB, or an MBR whose first FAT partition holds
 * one; then a cache over the volume.
 */
static long find_volume(struct fat_vol *v, struct fat_blockdev *dev, uint8_t *sec,
			const struct fat_mount_opts *opts)
{
	uint64_t first = 0, count = dev->sectors;
	long r = dev->read(dev->ctx, 0, 1, sec);

	if (r < 0)
		return r;
	if (bpb_parse(v, sec, dev->sector_size, dev->sectors) == E_OK)
		return volume_cache(v, dev, 0, opts) < 0 ? E_NOMEM : E_OK;
	if (bpb_mbr_first_fat(sec, dev->sectors, &first, &count) < 0)
		return E_CORRUPT;
	r = dev->read(dev->ctx, first, 1, sec);
	if (r < 0)
		return r;
	memset(v, 0, sizeof(*v));
	r = bpb_parse(v, sec, dev->sector_size, count);
	if (r < 0)
		return r;
	return volume_cache(v, dev, first, opts);
}

long fat_mount(struct fat_blockdev *dev, const struct fat_mount_opts *opts, struct fat_vol **out)
{
	struct fat_vol *v = calloc(1, sizeof(*v));
	uint8_t *sec = malloc(dev->sector_size);
	long r = v && sec ? E_OK : E_NOMEM;

	if (r == E_OK && (dev->sector_size < 512 || dev->sector_size > 4096))
		r = E_INVAL;
	if (r == E_OK)
		r = find_volume(v, dev, sec, opts);
	free(sec);
	if (r == E_OK && opts) {
		v->read_only = opts->read_only;
		v->now = opts->now;
		v->now_ctx = opts->now_ctx;
	}
	if (r == E_OK)
		r = table_mount(v);
	if (r < 0) {
		if (v)
			cache_free(&v->cache);
		free(v);
		return r;
	}
	*out = v;
	return E_OK;
}

long fat_sync(struct fat_vol *v)
{
	long r = E_OK;

	if (!v->read_only)
		r = table_mark_clean(v);
	if (r == E_OK)
		r = cache_write_back(&v->cache, 0, UINT64_MAX);
	if (r == E_OK && !v->read_only)
		r = v->cache.dev->flush(v->cache.dev->ctx);
	return r;
}

long fat_unmount(struct fat_vol *v)
{
	long r = fat_sync(v);

	dir_index_free_all(v);
	cache_free(&v->cache);
	free(v);
	return r;
}

void fat_forget(struct fat_vol *v)
{
	dir_index_free_all(v);
	cache_free(&v->cache);
	free(v);
}

bool fat_was_dirty(const struct fat_vol *v)
{
	return v->was_dirty;
}

uint32_t fat_repaired_clusters(const struct fat_vol *v)
{
	return v->repaired;
}

void fat_requests(const struct fat_vol *v, uint64_t *reads, uint64_t *writes)
{
	*reads = v->cache.reads;
	*writes = v->cache.writes;
}

void fat_statfs(struct fat_vol *v, struct fat_statfs *out)
{
	memset(out, 0, sizeof(*out));
	out->type = v->type;
	out->cluster_bytes = v->cluster_bytes;
	out->clusters = v->clusters;
	out->free_clusters = v->free_count;
	out->sector_size = v->ss;
	memcpy(out->label, v->label, 11);
	for (int i = 10; i >= 0 && out->label[i] == ' '; i--)
		out->label[i] = 0;
}
