/* SPDX-License-Identifier: MIT */
/*
 * The block cache's watched sectors (cache.c is the cache): over a range
 * (the active FAT), two bits a sector, the watch bit and the zero bit, that
 * callers set once they have checked a sector's bytes (table.c: "one run of
 * links", "all zero bytes") and that every change to those bytes clears
 * (cache.c clears them wherever a line is marked dirty or blank, a write
 * goes around the cache or a mirror copy is refreshed). Here: making the
 * bitmaps, setting and clearing a bit, and the length of a run of watched
 * sectors.
 */
#include <stdlib.h>

#include "fat_impl.h"

long cache_watch(struct fat_cache *c, uint64_t lo, uint64_t n)
{
	free(c->watch);
	free(c->zero);
	c->watch = calloc((size_t)(n + 63) / 64, sizeof(*c->watch));
	c->zero = calloc((size_t)(n + 63) / 64, sizeof(*c->zero));
	c->watch_lo = lo;
	c->watch_n = c->watch && c->zero ? n : 0;
	return c->watch_n == n ? E_OK : E_NOMEM;
}

void cache_watch_set(struct fat_cache *c, uint64_t lba)
{
	cache_bit_set(c, c->watch, lba);
}

void cache_zero_clear(struct fat_cache *c, uint64_t lba)
{
	uint64_t i = lba - c->watch_lo;

	if (i < c->watch_n)
		c->zero[i / 64] &= ~(1ull << (i % 64));
}

uint64_t cache_watched_run(const struct fat_cache *c, uint64_t lba, uint64_t n)
{
	uint64_t i = lba - c->watch_lo, got = 0;

	if (i >= c->watch_n)
		return 0;
	n = n < c->watch_n - i ? n : c->watch_n - i;
	while (got < n) {
		uint64_t at = i + got, room = 64 - at % 64;
		uint64_t unset = ~c->watch[at / 64] >> (at % 64); /* 1s where a bit is clear */
		uint64_t run = unset ? (uint64_t)__builtin_ctzll(unset) : room;
		got += run < room ? run : room;
		if (run < room)
			break;
	}
	return got < n ? got : n;
}
