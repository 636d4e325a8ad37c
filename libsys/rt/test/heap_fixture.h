/* SPDX-License-Identifier: MIT */
/*
 * Shared parts of the heap tests (libsys/heap*.c): a memory provider over
 * aligned_alloc that records every region it hands out, checks that shrink
 * gives back exactly what grow gave, and can be told to fail; and a small
 * random number generator.
 */
#pragma once

#include "../include/sys/heap.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

#define PROVIDER_MAX_REGIONS 4096

struct provider {
	void *regions[PROVIDER_MAX_REGIONS];
	size_t sizes[PROVIDER_MAX_REGIONS];
	size_t nr_regions, held;
	size_t limit;	/* grow fails when held would exceed it (0: no limit) */
	bool fail;	/* grow returns NULL */
	bool misalign;	/* grow returns memory 16 bytes off the page alignment */
	long bad_calls; /* sizes not a grow unit, shrinks of unknown regions */
	uint64_t grows, shrinks;
};

static void *provider_grow(void *ctx, size_t bytes)
{
	struct provider *pv = ctx;
	char *p;

	pv->bad_calls += bytes == 0 || bytes % HEAP_GROW_UNIT != 0;
	if (pv->fail || pv->nr_regions == PROVIDER_MAX_REGIONS ||
	    (pv->limit && pv->held + bytes > pv->limit))
		return NULL;
	p = aligned_alloc(HEAP_PROVIDER_ALIGN, bytes + HEAP_PROVIDER_ALIGN);
	memset(p, 0xa5, bytes + HEAP_PROVIDER_ALIGN); /* garbage, as reused memory holds */
	if (pv->misalign)
		p += 16;
	pv->regions[pv->nr_regions] = p;
	pv->sizes[pv->nr_regions++] = bytes;
	pv->held += bytes;
	pv->grows++;
	return p;
}

static void provider_shrink(void *ctx, void *p, size_t bytes)
{
	struct provider *pv = ctx;

	for (size_t i = 0; i < pv->nr_regions; i++) {
		if (pv->regions[i] != p)
			continue;
		pv->bad_calls += pv->sizes[i] != bytes;
		pv->held -= pv->sizes[i];
		pv->regions[i] = pv->regions[--pv->nr_regions];
		pv->sizes[i] = pv->sizes[pv->nr_regions];
		pv->shrinks++;
		free((void *)((uintptr_t)p & ~(uintptr_t)(HEAP_PROVIDER_ALIGN - 1)));
		return;
	}
	pv->bad_calls++;
}

/* Give back what a heap without shrink still holds (test teardown). */
static void provider_release_all(struct provider *pv)
{
	while (pv->nr_regions)
		provider_shrink(pv, pv->regions[pv->nr_regions - 1], pv->sizes[pv->nr_regions - 1]);
}

static void heap_setup(struct heap *h, struct provider *pv, bool with_shrink)
{
	struct heap_ops ops = {provider_grow, with_shrink ? provider_shrink : NULL, pv};

	memset(pv, 0, sizeof(*pv));
	CHECK_EQ(heap_init(h, &ops), HEAP_OK);
}

/* Counters that every test expects to see match the provider. */
static bool heap_matches_provider(const struct heap *h, const struct provider *pv)
{
	struct heap_stats st;

	heap_stats(h, &st);
	return st.bytes_held == pv->held && st.regions_held == pv->nr_regions && pv->bad_calls == 0;
}

/* xorshift64*: a deterministic stream per seed, so a failure replays. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rng_below(uint64_t n)
{
	return rng_next() % n;
}
