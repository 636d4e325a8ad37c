/* SPDX-License-Identifier: MIT */
/*
 * The ext2 engine's block cache: a fixed set of block-sized lines, found by
 * a hash of the block number and replaced least recently used first. The
 * volume is only read, so a line is never dirty and file data may bypass
 * the cache (ext2_cache_read_direct) without going stale. Every block number
 * is checked against the volume's size here, the one place that talks to
 * the device, so nothing outside the volume is read.
 */
#include <stdlib.h>
#include <string.h>

#include "ext2_impl.h"

#define CACHE_MIN_LINES 16

long ext2_cache_init(struct ext2_cache *c, struct ext2_blockdev *dev, uint32_t block_size,
		     uint32_t limit, uint32_t bytes)
{
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	c->block_size = block_size;
	c->sectors_per_block = block_size / dev->sector_size;
	c->limit = limit;
	c->nlines = bytes / block_size < CACHE_MIN_LINES ? CACHE_MIN_LINES : bytes / block_size;
	c->lines = calloc(c->nlines, sizeof(*c->lines));
	c->buckets = malloc(c->nlines * sizeof(*c->buckets));
	c->mem = malloc((size_t)c->nlines * block_size);
	if (!c->lines || !c->buckets || !c->mem) {
		ext2_cache_free(c);
		return E_NOMEM;
	}
	for (uint32_t i = 0; i < c->nlines; i++) {
		c->buckets[i] = -1;
		c->lines[i].data = c->mem + (size_t)i * block_size;
		c->lines[i].next = -1;
	}
	return E_OK;
}

void ext2_cache_free(struct ext2_cache *c)
{
	free(c->lines);
	free(c->buckets);
	free(c->mem);
	c->lines = NULL;
	c->buckets = NULL;
	c->mem = NULL;
}

static uint32_t bucket_of(const struct ext2_cache *c, uint32_t block)
{
	return (uint32_t)(((uint64_t)block * 0x9E3779B97F4A7C15ull) >> 32) % c->nlines;
}

static struct ext2_cache_line *find(struct ext2_cache *c, uint32_t block)
{
	for (int32_t i = c->buckets[bucket_of(c, block)]; i >= 0; i = c->lines[i].next)
		if (c->lines[i].block == block)
			return &c->lines[i];
	return NULL;
}

static void unhash(struct ext2_cache *c, struct ext2_cache_line *l)
{
	int32_t *p = &c->buckets[bucket_of(c, l->block)];
	int32_t self = (int32_t)(l - c->lines);

	while (*p >= 0 && *p != self)
		p = &c->lines[*p].next;
	if (*p == self)
		*p = l->next;
	l->valid = false;
}

/* A free line, or the least recently used one taken out of its bucket. */
static struct ext2_cache_line *victim(struct ext2_cache *c)
{
	struct ext2_cache_line *best = &c->lines[0];

	for (uint32_t i = 0; i < c->nlines && best->valid; i++)
		if (!c->lines[i].valid || c->lines[i].used < best->used)
			best = &c->lines[i];
	if (best->valid)
		unhash(c, best);
	return best;
}

long ext2_cache_read_direct(struct ext2_cache *c, uint32_t block, uint32_t count, void *buf)
{
	if (block >= c->limit || count > c->limit - block)
		return E_CORRUPT; /* a block number the volume does not have */
	c->reads++;
	return c->dev->read(c->dev->ctx, (uint64_t)block * c->sectors_per_block,
			    count * c->sectors_per_block, buf);
}

long ext2_cache_get(struct ext2_cache *c, uint32_t block, const uint8_t **data)
{
	struct ext2_cache_line *l = find(c, block);

	if (!l) {
		l = victim(c);
		long r = ext2_cache_read_direct(c, block, 1, l->data);
		if (r < 0)
			return r;
		uint32_t b = bucket_of(c, block);
		l->block = block;
		l->valid = true;
		l->next = c->buckets[b];
		c->buckets[b] = (int32_t)(l - c->lines);
	}
	l->used = ++c->clock;
	*data = l->data;
	return E_OK;
}
