/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the buddy frame allocator tests (kernel/mm/frame.c):
 * builds an allocator from a memory map, alongside a model (one byte per
 * frame: expected managed, allocated) computed independently of the
 * allocator, straight from the byte ranges; plus a seeded xorshift64* and
 * the sample memory maps. Include it from exactly one file per test
 * program; model_take and model_give CHECK against that program's counters.
 */
#pragma once

#include "../../kernel/mm/frame.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

#define MIB (1024ull * 1024)
#define GIB (1024ull * MIB)

struct fixture {
	struct frame_alloc fa;
	void *meta;
	uint64_t max_pfn;
	uint8_t *managed;   /* model: frame should be managed */
	uint8_t *allocated; /* model: frame handed out and not yet freed */
	uint64_t nallocated;
};

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rng_state;

static inline uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static inline uint64_t rng_below(uint64_t n)
{
	return rng_next() % n;
}

/* ---- model: which frames a map should give, from the byte ranges ---- */

/* Is [a, b) covered by the union of the ranges? */
static inline bool union_covers(const struct mem_range *r, size_t n, uint64_t a, uint64_t b)
{
	bool progress = true;

	while (a < b && progress) {
		progress = false;
		for (size_t i = 0; i < n; i++) {
			if (r[i].start <= a && a < r[i].end) {
				a = r[i].end;
				progress = true;
			}
		}
	}
	return a >= b;
}

static inline bool any_touches(const struct mem_range *r, size_t n, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].start < r[i].end && r[i].start < b && a < r[i].end)
			return true;
	}
	return false;
}

static inline void model_compute(struct fixture *fx, const struct mem_range *u, size_t nu,
				 const struct mem_range *r, size_t nr)
{
	for (uint64_t pfn = 0; pfn < fx->max_pfn; pfn++) {
		uint64_t a = pfn * PAGE_SIZE, b = a + PAGE_SIZE;

		fx->managed[pfn] = union_covers(u, nu, a, b) && !any_touches(r, nr, a, b);
	}
}

static inline uint64_t model_count(const uint8_t *v, uint64_t n)
{
	uint64_t count = 0;

	for (uint64_t i = 0; i < n; i++)
		count += v[i];
	return count;
}

/* ---- fixture ---- */

static inline int fixture_build(struct fixture *fx, const struct mem_range *u, size_t nu,
				const struct mem_range *r, size_t nr, uint64_t max_pfn, bool model)
{
	size_t bytes = frame_meta_size(max_pfn);
	struct mem_range *scratch = calloc(nu + nr + 1, sizeof(*scratch));
	int err;

	memset(fx, 0, sizeof(*fx));
	fx->max_pfn = max_pfn;
	fx->meta = malloc(bytes);
	err = frame_init(&fx->fa, fx->meta, bytes, max_pfn);
	if (err == FRAME_OK)
		err = frame_build(&fx->fa, u, nu, r, nr, scratch, nu + nr);
	free(scratch);
	if (model) {
		fx->managed = calloc(max_pfn, 1);
		fx->allocated = calloc(max_pfn, 1);
		model_compute(fx, u, nu, r, nr);
	}
	return err;
}

static inline void fixture_free(struct fixture *fx)
{
	free(fx->meta);
	free(fx->managed);
	free(fx->allocated);
}

/* Record a run handed out by the allocator; check it against the model. */
static inline void model_take(struct fixture *fx, paddr_t pa, uint64_t n)
{
	uint64_t pfn = pa / PAGE_SIZE;

	CHECK(pa % PAGE_SIZE == 0);
	CHECK(pfn + n <= fx->max_pfn);
	for (uint64_t i = pfn; i < pfn + n && i < fx->max_pfn; i++) {
		if (!fx->managed[i] || fx->allocated[i])
			CHECK(!"frame not managed or handed out twice");
		fx->allocated[i] = 1;
		fx->nallocated++;
	}
}

static inline void model_give(struct fixture *fx, paddr_t pa, uint64_t n)
{
	for (uint64_t i = pa / PAGE_SIZE; i < pa / PAGE_SIZE + n; i++) {
		CHECK(fx->allocated[i]);
		fx->allocated[i] = 0;
		fx->nallocated--;
	}
}

/* ---- memory maps ---- */

static const struct mem_range pc_usable[] = {
	{0x0, 0x9fc00},
	{0x100000, 0x8000000},
};
static const struct mem_range pc_reserved[] = {
	{0x9fc00, 0x100000},	/* EBDA, ROM */
	{0x100000, 0x300000},	/* kernel image */
	{0x1234567, 0x1300000}, /* module, unaligned */
	{0x7ff0000, 0x8000000}, /* ACPI tables */
	{0x0, 0x1000},		/* frame 0 */
};

/* Unsorted, unaligned, overlapping, with a sliver smaller than a frame. */
static const struct mem_range messy_usable[] = {
	{0x3ff000, 0x800800}, {0x5001, 0x200fff},   {0x100000, 0x400000},
	{0x900000, 0x900fff}, {0x901800, 0x902800}, {0xa00000, 0xa01800},
	{0xa01800, 0xa03000}, {0xc00000, 0xd00000}, {0xc80000, 0xc90000},
};
static const struct mem_range messy_reserved[] = {
	{0x6000, 0x7001},     {0x150000, 0x150001},
	{0x7fffff, 0x900000}, {0x300000, 0x200000}, /* empty: ignored */
	{0xc7f000, 0xc81000},
};
