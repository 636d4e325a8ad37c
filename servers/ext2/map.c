/* SPDX-License-Identifier: MIT */
/*
 * ext2 file data: where a file's n-th block lives (twelve direct pointers in
 * the inode, then a single, a double and a triple indirect block of 32-bit
 * pointers), reads of any byte range (whole blocks in runs of adjacent ones
 * straight into the caller's buffer, partial blocks through the cache, holes
 * as zeros) and symlink targets (fast ones inside the inode, slow ones in a
 * data block).
 *
 * The depth of the mapping is fixed by the block's index, so an indirect
 * block that points at itself or at its parent only maps wrong data, and
 * every pointer is checked against the volume before it is followed.
 */
#include <string.h>

#include "ext2_impl.h"

#define RUN_MAX_BYTES (256u << 10) /* one device request of file data */

static uint32_t per_block(const struct ext2_vol *v)
{
	return v->block_size / 4;
}

uint64_t ext2_max_file_bytes(const struct ext2_vol *v)
{
	uint64_t p = per_block(v);
	return (EXT2_N_DIRECT + p + p * p + p * p * p) * v->block_size;
}

static long check_block(const struct ext2_vol *v, uint32_t block)
{
	return block == 0 || (block > v->first_data_block && block < v->blocks) ? E_OK : E_CORRUPT;
}

/* Entry `index` of indirect block `block` (0: a hole all the way down). */
static long indirect(struct ext2_vol *v, uint32_t block, uint64_t index, uint32_t *out)
{
	const uint8_t *b;
	long r;

	*out = 0;
	if (block == 0)
		return E_OK;
	r = ext2_cache_get(&v->cache, block, &b);
	if (r < 0)
		return r;
	*out = ext2_le32(b + index * 4);
	return check_block(v, *out);
}

long ext2_bmap(struct ext2_vol *v, const struct ext2_node *n, uint64_t index, uint32_t *block)
{
	uint64_t p = per_block(v);
	uint32_t b;
	long r;

	if (index < EXT2_N_DIRECT) {
		*block = n->block[index];
		return check_block(v, *block);
	}
	index -= EXT2_N_DIRECT;
	for (int depth = 1; depth <= 3; depth++) {
		uint64_t span = depth == 1 ? p : depth == 2 ? p * p : p * p * p;
		if (index >= span) {
			index -= span;
			continue;
		}
		b = n->block[EXT2_IND_BLOCK + depth - 1];
		r = check_block(v, b);
		for (uint64_t step = span / p; r == E_OK; step /= p) {
			r = indirect(v, b, index / step, &b);
			index %= step;
			if (step == 1)
				break;
		}
		*block = b;
		return r;
	}
	return E_RANGE; /* past what a triple indirect block reaches */
}

/* How many of the file's blocks from `index` on (at most max) lie next to each other. */
static long run_length(struct ext2_vol *v, const struct ext2_node *n, uint64_t index,
		       uint32_t first, uint32_t max, uint32_t *count)
{
	uint32_t k = 1, next;

	while (k < max) {
		long r = ext2_bmap(v, n, index + k, &next);
		if (r < 0)
			return r;
		if (first == 0 ? next != 0 : next != first + k)
			break;
		k++;
	}
	*count = k;
	return E_OK;
}

/* Whole blocks from `index`: one device request for a run, zeros for a hole. */
static long read_blocks(struct ext2_vol *v, const struct ext2_node *n, uint64_t index, uint8_t *dst,
			size_t len, size_t *got)
{
	uint32_t first = 0, count = 0;
	uint32_t max = (uint32_t)((len < RUN_MAX_BYTES ? len : RUN_MAX_BYTES) / v->block_size);
	long r = ext2_bmap(v, n, index, &first);

	if (r == E_OK)
		r = run_length(v, n, index, first, max, &count);
	if (r < 0)
		return r;
	if (first == 0)
		memset(dst, 0, (size_t)count * v->block_size);
	else
		r = ext2_cache_read_direct(&v->cache, first, count, dst);
	*got = (size_t)count * v->block_size;
	return r;
}

/* Part of one block, through the cache. */
static long read_piece(struct ext2_vol *v, const struct ext2_node *n, uint64_t off, uint8_t *dst,
		       size_t len, size_t *got)
{
	uint32_t in = (uint32_t)(off % v->block_size), block;
	const uint8_t *b;
	long r = ext2_bmap(v, n, off / v->block_size, &block);

	*got = v->block_size - in < len ? v->block_size - in : len;
	if (r < 0)
		return r;
	if (block == 0) {
		memset(dst, 0, *got);
		return E_OK;
	}
	r = ext2_cache_get(&v->cache, block, &b);
	if (r == E_OK)
		memcpy(dst, b + in, *got);
	return r;
}

static long read_range(struct ext2_vol *v, const struct ext2_node *n, uint64_t off, uint8_t *buf,
		       size_t len, size_t *done)
{
	long r = E_OK;

	*done = 0;
	if (off >= n->size)
		return E_OK;
	if (len > n->size - off)
		len = (size_t)(n->size - off);
	while (*done < len && r == E_OK) {
		uint64_t at = off + *done;
		size_t left = len - *done, got = 0;
		if (at % v->block_size == 0 && left >= v->block_size)
			r = read_blocks(v, n, at / v->block_size, buf + *done, left, &got);
		else
			r = read_piece(v, n, at, buf + *done, left, &got);
		if (r == E_OK)
			*done += got;
	}
	return r;
}

long ext2_read(struct ext2_vol *v, const struct ext2_node *n, uint64_t off, void *buf, size_t len,
	       size_t *done)
{
	*done = 0;
	if (ext2_is_dir(n))
		return E_ISDIR;
	return read_range(v, n, off, buf, len, done);
}

/* A fast symlink keeps its target in i_block itself: it has no data blocks of its own. */
static bool is_fast_link(const struct ext2_vol *v, const struct ext2_node *n)
{
	uint32_t acl_units = n->file_acl ? v->block_size / 512 : 0;
	return n->size < sizeof(n->block) && n->blocks512 == acl_units;
}

long ext2_readlink(struct ext2_vol *v, const struct ext2_node *n, char *buf)
{
	size_t got;
	long r = E_OK;

	if (!ext2_is_link(n))
		return E_INVAL;
	if (n->size == 0 || n->size >= EXT2_PATH_MAX || n->size > v->block_size)
		return E_CORRUPT;
	if (is_fast_link(v, n)) {
		for (size_t i = 0; i < n->size; i++)
			buf[i] = (char)(n->block[i / 4] >> (8 * (i % 4)));
		got = (size_t)n->size;
	} else {
		r = read_range(v, n, 0, (uint8_t *)buf, (size_t)n->size, &got);
	}
	if (r < 0)
		return r;
	buf[got] = 0;
	return got == n->size && strlen(buf) == got ? E_OK : E_CORRUPT;
}
