/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the buddy frame allocator (kernel/mm/frame.c).
 *
 * Layered as: a fixture that builds an allocator from a memory map; a model
 * (one byte per frame: expected managed, allocated) computed independently
 * of the allocator, straight from the byte ranges; and test cases, from
 * exact rounding of odd maps to 200k-operation random runs checked against
 * the model and frame_check.
 */
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
static long exhausted_hits; /* alloc_one found nothing free: the run reached exhaustion */

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

/* ---- model: which frames a map should give, from the byte ranges ---- */

/* Is [a, b) covered by the union of the ranges? */
static bool union_covers(const struct mem_range *r, size_t n, uint64_t a, uint64_t b)
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

static bool any_touches(const struct mem_range *r, size_t n, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < n; i++) {
		if (r[i].start < r[i].end && r[i].start < b && a < r[i].end)
			return true;
	}
	return false;
}

static void model_compute(struct fixture *fx, const struct mem_range *u, size_t nu,
			  const struct mem_range *r, size_t nr)
{
	for (uint64_t pfn = 0; pfn < fx->max_pfn; pfn++) {
		uint64_t a = pfn * PAGE_SIZE, b = a + PAGE_SIZE;

		fx->managed[pfn] = union_covers(u, nu, a, b) && !any_touches(r, nr, a, b);
	}
}

static uint64_t model_count(const uint8_t *v, uint64_t n)
{
	uint64_t count = 0;

	for (uint64_t i = 0; i < n; i++)
		count += v[i];
	return count;
}

/* ---- fixture ---- */

static int fixture_build(struct fixture *fx, const struct mem_range *u, size_t nu,
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

static void fixture_free(struct fixture *fx)
{
	free(fx->meta);
	free(fx->managed);
	free(fx->allocated);
}

/* Record a run handed out by the allocator; check it against the model. */
static void model_take(struct fixture *fx, paddr_t pa, uint64_t n)
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

static void model_give(struct fixture *fx, paddr_t pa, uint64_t n)
{
	for (uint64_t i = pa / PAGE_SIZE; i < pa / PAGE_SIZE + n; i++) {
		CHECK(fx->allocated[i]);
		fx->allocated[i] = 0;
		fx->nallocated--;
	}
}

/* Snapshot of all allocator state, to prove a failed call changed nothing. */
struct snapshot {
	struct frame_alloc fa;
	void *meta;
	size_t bytes;
};

static void snapshot_take(const struct fixture *fx, struct snapshot *s)
{
	s->fa = fx->fa;
	s->bytes = frame_meta_size(fx->max_pfn);
	s->meta = malloc(s->bytes);
	memcpy(s->meta, fx->meta, s->bytes);
}

static bool snapshot_same(const struct fixture *fx, struct snapshot *s)
{
	bool same = memcmp(&s->fa, &fx->fa, sizeof(s->fa)) == 0 &&
		    memcmp(s->meta, fx->meta, s->bytes) == 0;

	free(s->meta);
	return same;
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

/* ---- cases ---- */

static void test_rounding_inward(void)
{
	const struct mem_range u[] = {{0x1001, 0x5fff}};
	struct fixture fx;
	paddr_t pa;

	CHECK_EQ(fixture_build(&fx, u, 1, NULL, 0, 16, false), FRAME_OK);
	CHECK_EQ(frame_total_count(&fx.fa), 3);
	CHECK_EQ(frame_free_count(&fx.fa), 3);
	for (uint64_t want = 2; want <= 4; want++) {
		CHECK_EQ(frame_alloc_one(&fx.fa, &pa), FRAME_OK);
		CHECK(pa >= 2 * PAGE_SIZE && pa <= 4 * PAGE_SIZE);
	}
	CHECK_EQ(frame_alloc_one(&fx.fa, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_free_one(&fx.fa, 1 * PAGE_SIZE), FRAME_ERANGE);
	CHECK_EQ(frame_free_one(&fx.fa, 5 * PAGE_SIZE), FRAME_ERANGE);
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

static void test_overlap_union_and_reserved(void)
{
	/* Usable union [0, 0x9000) plus a frame split across two entries. */
	const struct mem_range u[] = {
		{0x3000, 0x9000}, {0x0, 0x5000}, {0x0, 0x2000}, {0xa800, 0xb000}, {0xa000, 0xa800}};
	const struct mem_range r[] = {{0x2800, 0x3001}, {0x2fff, 0x3000}};
	struct fixture fx;
	paddr_t pa;

	CHECK_EQ(fixture_build(&fx, u, ARRAY_LEN(u), r, ARRAY_LEN(r), 16, true), FRAME_OK);
	/* Frames 0,1,4..8 and 10; frames 2,3 reserved, 9 and 11+ are holes. */
	CHECK_EQ(frame_total_count(&fx.fa), 8);
	CHECK_EQ(model_count(fx.managed, fx.max_pfn), 8);
	CHECK(fx.managed[10] && !fx.managed[2] && !fx.managed[3] && !fx.managed[9]);
	while (frame_alloc_one(&fx.fa, &pa) == FRAME_OK)
		model_take(&fx, pa, 1);
	CHECK_EQ(model_count(fx.allocated, fx.max_pfn), 8);
	CHECK_EQ(frame_free_count(&fx.fa), 0);
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

static void test_messy_map_exact(void)
{
	struct fixture fx;
	uint64_t expect;

	CHECK_EQ(fixture_build(&fx, messy_usable, ARRAY_LEN(messy_usable), messy_reserved,
			       ARRAY_LEN(messy_reserved), 0x1000, true),
		 FRAME_OK);
	expect = model_count(fx.managed, fx.max_pfn);
	CHECK_EQ(frame_total_count(&fx.fa), expect);
	/* Per-frame managed flag must equal the model exactly. */
	for (uint64_t pfn = 0; pfn < fx.max_pfn; pfn++) {
		bool managed = fx.fa.meta[pfn].flags & FRAME_F_MANAGED;

		if (managed != (bool)fx.managed[pfn])
			CHECK_EQ(pfn, ~0ull);
	}
	/* Worked out by hand from the map. */
	CHECK_EQ(expect, 328 + 1710 + 3 + 127 + 127);
	CHECK(!fx.managed[5] && !fx.managed[6] && !fx.managed[7] && fx.managed[8]);
	CHECK(fx.managed[0x14f] && !fx.managed[0x150] && fx.managed[0x7fe] && !fx.managed[0x7ff]);
	CHECK(!fx.managed[0x900] && !fx.managed[0x902] && fx.managed[0xa01] && fx.managed[0xa02]);
	CHECK(fx.managed[0xc7e] && !fx.managed[0xc7f] && !fx.managed[0xc80] && fx.managed[0xc81]);
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

/* One allocation the random run still holds. */
struct alloc_rec {
	paddr_t pa;
	uint64_t n;
};

static void random_alloc(struct fixture *fx, struct alloc_rec *recs, size_t *nrec)
{
	uint64_t n = 1, align = 1;
	paddr_t pa;
	int err;

	if (rng_below(8) == 0) {
		n = 1 + rng_below(rng_below(4) == 0 ? 1024 : 9);
		align = (uint64_t)1 << rng_below(7);
		err = frame_alloc_run(&fx->fa, n, align, &pa);
	} else {
		err = frame_alloc_one(&fx->fa, &pa);
	}
	if (err == FRAME_ENOMEM) {
		CHECK(n > 1 || align > 1 || frame_free_count(&fx->fa) == 0);
		exhausted_hits += frame_free_count(&fx->fa) == 0;
		return;
	}
	CHECK_EQ(err, FRAME_OK);
	CHECK_EQ(pa / PAGE_SIZE % align, 0);
	model_take(fx, pa, n);
	recs[(*nrec)++] = (struct alloc_rec){pa, n};
}

/* Free a whole record, or one frame out of its middle (splitting it). */
static void random_free(struct fixture *fx, struct alloc_rec *recs, size_t *nrec)
{
	size_t i = rng_below(*nrec);
	struct alloc_rec rec = recs[i];

	if (rec.n > 2 && rng_below(3) == 0) {
		uint64_t cut = 1 + rng_below(rec.n - 2);
		paddr_t mid = rec.pa + cut * PAGE_SIZE;

		CHECK_EQ(frame_free_one(&fx->fa, mid), FRAME_OK);
		model_give(fx, mid, 1);
		recs[i].n = cut;
		recs[(*nrec)++] = (struct alloc_rec){mid + PAGE_SIZE, rec.n - cut - 1};
		return;
	}
	CHECK_EQ(frame_free_run(&fx->fa, rec.pa, rec.n), FRAME_OK);
	model_give(fx, rec.pa, rec.n);
	recs[i] = recs[--(*nrec)];
}

/* Run `ops` random operations, checking every result against the model. */
static void random_run(struct fixture *fx, uint64_t seed, long ops)
{
	size_t cap = 1 << 16, nrec = 0;
	struct alloc_rec *recs = calloc(cap, sizeof(*recs));
	uint64_t total = frame_total_count(&fx->fa), blocks[FRAME_NR_ORDERS];
	long bad = 0;

	memcpy(blocks, fx->fa.nblocks, sizeof(blocks));
	rng_state = seed;
	exhausted_hits = 0;
	for (long op = 0; op < ops; op++) {
		bool grow = nrec == 0 ||
			    (nrec < cap - 2 && rng_below(100) < (op % 40000 < 25000 ? 75 : 30));

		if (grow)
			random_alloc(fx, recs, &nrec);
		else
			random_free(fx, recs, &nrec);
		if (frame_free_count(&fx->fa) != total - fx->nallocated)
			bad++;
		if (op % 10000 == 0 && fx->nallocated != model_count(fx->allocated, fx->max_pfn))
			bad++;
		if (op % 5000 == 0 && !frame_check(&fx->fa))
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK(exhausted_hits > 0);
	CHECK(frame_check(&fx->fa));
	while (nrec > 0)
		random_free(fx, recs, &nrec);
	CHECK_EQ(frame_free_count(&fx->fa), total);
	CHECK_EQ(model_count(fx->allocated, fx->max_pfn), 0);
	CHECK(frame_check(&fx->fa));
	/* Buddy merging is canonical: all free again means the same blocks as at boot. */
	CHECK(memcmp(blocks, fx->fa.nblocks, sizeof(blocks)) == 0);
	free(recs);
}

static void test_random_pc(void)
{
	struct fixture fx;

	CHECK_EQ(fixture_build(&fx, pc_usable, ARRAY_LEN(pc_usable), pc_reserved,
			       ARRAY_LEN(pc_reserved), 0x8000, true),
		 FRAME_OK);
	CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
	random_run(&fx, 1, 200000);
	fixture_free(&fx);
}

static void test_random_messy(void)
{
	struct fixture fx;

	CHECK_EQ(fixture_build(&fx, messy_usable, ARRAY_LEN(messy_usable), messy_reserved,
			       ARRAY_LEN(messy_reserved), 0x1000, true),
		 FRAME_OK);
	random_run(&fx, 2, 200000);
	fixture_free(&fx);
}

/* A generated map: many small fragments, overlaps and reservations. */
static void test_random_fragments(void)
{
	struct mem_range u[200], r[100];
	struct fixture fx;

	rng_state = 77;
	for (size_t i = 0; i < ARRAY_LEN(u); i++) {
		uint64_t start = rng_below(0x4000000);

		u[i] = (struct mem_range){start, start + rng_below(0x100000)};
	}
	for (size_t i = 0; i < ARRAY_LEN(r); i++) {
		uint64_t start = rng_below(0x4000000);

		r[i] = (struct mem_range){start, start + rng_below(0x20000)};
	}
	CHECK_EQ(fixture_build(&fx, u, ARRAY_LEN(u), r, ARRAY_LEN(r), 0x4000, true), FRAME_OK);
	CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
	CHECK(frame_check(&fx.fa));
	random_run(&fx, 3, 200000);
	fixture_free(&fx);
}

static void test_runs(void)
{
	const struct mem_range u[] = {{0x100000, 0x1000000}};
	struct fixture fx;
	paddr_t a, b, c;

	CHECK_EQ(fixture_build(&fx, u, 1, NULL, 0, 0x1000, true), FRAME_OK);
	CHECK_EQ(frame_alloc_run(&fx.fa, 5, 8, &a), FRAME_OK);
	CHECK_EQ(a % (8 * PAGE_SIZE), 0);
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa) - 5);
	model_take(&fx, a, 5);
	CHECK_EQ(frame_alloc_run(&fx.fa, 1, 256, &b), FRAME_OK);
	CHECK_EQ(b % (256 * PAGE_SIZE), 0);
	model_take(&fx, b, 1);
	CHECK_EQ(frame_alloc_run(&fx.fa, 300, 1, &c), FRAME_OK);
	model_take(&fx, c, 300);
	CHECK(frame_check(&fx.fa));
	CHECK_EQ(frame_alloc_run(&fx.fa, 0, 1, &c), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run(&fx.fa, 1, 0, &c), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run(&fx.fa, 1, 3, &c), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run(&fx.fa, (1u << FRAME_MAX_ORDER) + 1, 1, &c), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run(&fx.fa, 4096, 1, &c), FRAME_ENOMEM);
	/* Free the 5-run in two pieces, then the others. */
	CHECK_EQ(frame_free_run(&fx.fa, a + 2 * PAGE_SIZE, 3), FRAME_OK);
	CHECK_EQ(frame_free_run(&fx.fa, a, 2), FRAME_OK);
	CHECK_EQ(frame_free_one(&fx.fa, b), FRAME_OK);
	CHECK_EQ(frame_free_run(&fx.fa, c, 300), FRAME_OK);
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa));
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

static void test_errors_leave_state_unchanged(void)
{
	struct fixture fx;
	struct snapshot s;
	paddr_t a, b;

	CHECK_EQ(fixture_build(&fx, pc_usable, ARRAY_LEN(pc_usable), pc_reserved,
			       ARRAY_LEN(pc_reserved), 0x8000, false),
		 FRAME_OK);
	CHECK_EQ(frame_alloc_run(&fx.fa, 4, 4, &a), FRAME_OK);
	CHECK_EQ(frame_free_one(&fx.fa, a + 3 * PAGE_SIZE), FRAME_OK);
	CHECK_EQ(frame_alloc_one(&fx.fa, &b), FRAME_OK);
	CHECK_EQ(frame_free_one(&fx.fa, b), FRAME_OK);
	snapshot_take(&fx, &s);
	CHECK_EQ(frame_free_one(&fx.fa, b), FRAME_EDOUBLE);		    /* double free */
	CHECK_EQ(frame_free_one(&fx.fa, a + 1), FRAME_EINVAL);		    /* unaligned */
	CHECK_EQ(frame_free_one(&fx.fa, 0x200000), FRAME_ERANGE);	    /* kernel image */
	CHECK_EQ(frame_free_one(&fx.fa, 0xa0000), FRAME_ERANGE);	    /* hole */
	CHECK_EQ(frame_free_one(&fx.fa, 0x8000 * PAGE_SIZE), FRAME_ERANGE); /* past max_pfn */
	CHECK_EQ(frame_free_one(&fx.fa, ~(paddr_t)0 & ~PAGE_MASK), FRAME_ERANGE);
	CHECK_EQ(frame_free_run(&fx.fa, a, 0), FRAME_EINVAL);
	CHECK_EQ(frame_free_run(&fx.fa, a, 4), FRAME_EDOUBLE); /* last frame is free */
	CHECK_EQ(frame_free_run(&fx.fa, a, ~0ull), FRAME_ERANGE);
	CHECK_EQ(frame_free_one(&fx.fa, 0x4000000), FRAME_EDOUBLE); /* inside a free block */
	CHECK(snapshot_same(&fx, &s));
	CHECK_EQ(frame_free_run(&fx.fa, a, 3), FRAME_OK);
	CHECK_EQ(frame_free_run(&fx.fa, a, 3), FRAME_EDOUBLE);
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa));
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

/* Allocate every frame one by one, free them shuffled, then a 1 GiB run. */
static void test_exhaustion_and_merge(void)
{
	const struct mem_range u[] = {{0, 2 * GIB}};
	const struct mem_range r[] = {{0, 4 * MIB}};
	struct fixture fx;
	uint64_t total, count = 0, bad = 0;
	paddr_t *all, pa;

	CHECK_EQ(fixture_build(&fx, u, 1, r, 1, 2 * GIB / PAGE_SIZE, true), FRAME_OK);
	total = frame_total_count(&fx.fa);
	CHECK_EQ(total, (2 * GIB - 4 * MIB) / PAGE_SIZE);
	all = malloc(total * sizeof(*all));
	while (frame_alloc_one(&fx.fa, &pa) == FRAME_OK && count < total) {
		model_take(&fx, pa, 1);
		all[count++] = pa;
	}
	CHECK_EQ(count, total);
	CHECK_EQ(frame_free_count(&fx.fa), 0);
	CHECK_EQ(frame_alloc_run(&fx.fa, 1, 1, &pa), FRAME_ENOMEM);
	CHECK(frame_check(&fx.fa));
	rng_state = 5;
	for (uint64_t i = count; i > 1; i--) {
		uint64_t j = rng_below(i);
		paddr_t t = all[i - 1];

		all[i - 1] = all[j];
		all[j] = t;
	}
	for (uint64_t i = 0; i < count; i++)
		bad += frame_free_one(&fx.fa, all[i]) != FRAME_OK;
	CHECK_EQ(bad, 0);
	CHECK_EQ(frame_free_count(&fx.fa), total);
	CHECK(frame_check(&fx.fa));
	CHECK_EQ(frame_alloc_run(&fx.fa, 1u << FRAME_MAX_ORDER, 1u << FRAME_MAX_ORDER, &pa),
		 FRAME_OK);
	CHECK_EQ(pa, GIB);
	CHECK_EQ(frame_alloc_run(&fx.fa, 1u << FRAME_MAX_ORDER, 1, &pa), FRAME_ENOMEM);
	free(all);
	fixture_free(&fx);
}

/* 16 GiB of frame numbers, mostly holes, one entry crossing max_pfn. */
static void test_holes_large_max_pfn(void)
{
	const struct mem_range u[] = {
		{MIB, 2 * MIB}, {8 * GIB, 8 * GIB + 16 * MIB}, {15 * GIB + 0x800, 17 * GIB}};
	const uint64_t max_pfn = 16 * GIB / PAGE_SIZE;
	struct fixture fx;
	uint64_t total, count = 0;
	paddr_t pa;
	bool inside = true;

	CHECK_EQ(fixture_build(&fx, u, ARRAY_LEN(u), NULL, 0, max_pfn, false), FRAME_OK);
	total = frame_total_count(&fx.fa);
	CHECK_EQ(total, 256 + 4096 + (GIB - PAGE_SIZE) / PAGE_SIZE);
	CHECK(frame_check(&fx.fa));
	CHECK_EQ(frame_alloc_run(&fx.fa, 4096, 4096, &pa), FRAME_OK);
	CHECK_EQ(pa % (16 * MIB), 0);
	CHECK(pa == 8 * GIB || (pa >= 15 * GIB && pa < 16 * GIB));
	CHECK_EQ(frame_free_run(&fx.fa, pa, 4096), FRAME_OK);
	while (frame_alloc_one(&fx.fa, &pa) == FRAME_OK) {
		bool ok = (pa >= MIB && pa < 2 * MIB) ||
			  (pa >= 8 * GIB && pa < 8 * GIB + 16 * MIB) ||
			  (pa >= 15 * GIB + PAGE_SIZE && pa < 16 * GIB);

		inside = inside && ok;
		count++;
	}
	CHECK(inside);
	CHECK_EQ(count, total);
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

static void test_init_build_errors(void)
{
	struct frame_alloc fa;
	struct mem_range scratch[2], u[] = {{0, 0x10000}};
	uint32_t meta[64];

	CHECK_EQ(frame_meta_size(10), 10 * sizeof(struct frame_meta));
	CHECK(sizeof(struct frame_meta) <= 16);
	CHECK_EQ(frame_meta_size(FRAME_MAX_PFN + 1), 0);
	CHECK_EQ(frame_init(&fa, meta, sizeof(meta), FRAME_MAX_PFN + 1), FRAME_EINVAL);
	CHECK_EQ(frame_init(&fa, meta, sizeof(meta), 0), FRAME_EINVAL);
	CHECK_EQ(frame_init(&fa, meta, frame_meta_size(16) - 1, 16), FRAME_EINVAL);
	CHECK_EQ(frame_init(&fa, (char *)meta + 1, frame_meta_size(16), 16), FRAME_EINVAL);
	CHECK_EQ(frame_init(&fa, meta, sizeof(meta), 16), FRAME_OK);
	CHECK_EQ(frame_alloc_one(&fa, &(paddr_t){0}), FRAME_EINVAL);	  /* not built */
	CHECK_EQ(frame_build(&fa, u, 1, u, 1, scratch, 1), FRAME_EINVAL); /* scratch short */
	CHECK_EQ(frame_build(&fa, u, 1, u, 1, scratch, 2), FRAME_OK);
	CHECK_EQ(frame_total_count(&fa), 0);				     /* all reserved */
	CHECK_EQ(frame_build(&fa, u, 1, NULL, 0, scratch, 2), FRAME_EINVAL); /* twice */
	CHECK_EQ(frame_alloc_one(&fa, &(paddr_t){0}), FRAME_ENOMEM);
	CHECK(frame_check(&fa));
}

static void test_pick_meta_region(void)
{
	const struct mem_range low[] = {{0, 0x9fc00}};
	const struct mem_range r[] = {
		{0x300000, 0x312345}, {0x100000, 0x300000}, {0x320000, 0x321000}};
	struct fixture fx;
	paddr_t pa;
	size_t bytes;

	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, 0x5000, &pa), FRAME_OK);
	CHECK_EQ(pa, 0x313000);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, 0xd000, &pa), FRAME_OK);
	CHECK_EQ(pa, 0x313000);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, 0xd001, &pa), FRAME_OK);
	CHECK_EQ(pa, 0x321000);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, NULL, 0, 1, &pa), FRAME_OK);
	CHECK_EQ(pa, FRAME_LOW_LIMIT);
	CHECK_EQ(frame_pick_meta_region(low, 1, NULL, 0, 1, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, 0x8000000, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, 0, &pa), FRAME_EINVAL);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, r, 3, SIZE_MAX, &pa), FRAME_ENOMEM);

	/* The kernel's sequence: pick, reserve, build; the region is not managed. */
	bytes = frame_meta_size(0x8000);
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, pc_reserved, ARRAY_LEN(pc_reserved), bytes,
					&pa),
		 FRAME_OK);
	CHECK(pa % PAGE_SIZE == 0 && pa >= 0x300000);
	{
		struct mem_range rr[ARRAY_LEN(pc_reserved) + 1];

		memcpy(rr, pc_reserved, sizeof(pc_reserved));
		rr[ARRAY_LEN(pc_reserved)] = (struct mem_range){pa, pa + bytes};
		CHECK(!any_touches(pc_reserved, ARRAY_LEN(pc_reserved), pa, pa + bytes));
		CHECK_EQ(fixture_build(&fx, pc_usable, 2, rr, ARRAY_LEN(rr), 0x8000, true),
			 FRAME_OK);
		CHECK(!fx.managed[pa / PAGE_SIZE]);
		CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
		fixture_free(&fx);
	}
}

/* frame_check must notice a corrupted flag or link, not just pass. */
static void test_check_detects_corruption(void)
{
	struct fixture fx;
	struct frame_meta saved;
	paddr_t pa;
	uint64_t pfn;

	CHECK_EQ(fixture_build(&fx, pc_usable, 2, pc_reserved, ARRAY_LEN(pc_reserved), 0x8000,
			       false),
		 FRAME_OK);
	CHECK_EQ(frame_alloc_one(&fx.fa, &pa), FRAME_OK);
	pfn = fx.fa.head[FRAME_MAX_ORDER - 6];
	CHECK(pfn != UINT32_MAX && frame_check(&fx.fa));
	fx.fa.meta[pfn + 5].flags &= ~FRAME_F_FREE; /* interior frame lost */
	CHECK(!frame_check(&fx.fa));
	fx.fa.meta[pfn + 5].flags |= FRAME_F_FREE;
	fx.fa.meta[pfn + 5].flags |= FRAME_F_HEAD; /* stray head */
	CHECK(!frame_check(&fx.fa));
	fx.fa.meta[pfn + 5].flags &= ~FRAME_F_HEAD;
	fx.fa.meta[pa / PAGE_SIZE].flags |= FRAME_F_FREE; /* allocated looks free */
	CHECK(!frame_check(&fx.fa));
	fx.fa.meta[pa / PAGE_SIZE].flags &= ~FRAME_F_FREE;
	saved = fx.fa.meta[pfn];
	fx.fa.meta[pfn].next = (uint32_t)pfn; /* list loops */
	CHECK(!frame_check(&fx.fa));
	fx.fa.meta[pfn] = saved;
	fx.fa.free_frames++;
	CHECK(!frame_check(&fx.fa));
	fx.fa.free_frames--;
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

int main(void)
{
	test_init_build_errors();
	test_rounding_inward();
	test_overlap_union_and_reserved();
	test_messy_map_exact();
	test_runs();
	test_check_detects_corruption();
	test_errors_leave_state_unchanged();
	test_pick_meta_region();
	test_holes_large_max_pfn();
	test_exhaustion_and_merge();
	test_random_pc();
	test_random_messy();
	test_random_fragments();
	return check_summary("frame");
}
