/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the buddy frame allocator (kernel/mm/frame.c) under
 * 200k-operation random runs of allocations, runs and partial frees, on the
 * PC map, a messy map and a generated fragmented one, every result checked
 * against the model and frame_check. Fixture: frame_fixture.h.
 */
#include "frame_fixture.h"

static long exhausted_hits; /* alloc_one found nothing free: the run reached exhaustion */

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

	CHECK_EQ(fixture_build(&fx, pc_usable, ARRAY_SIZE(pc_usable), pc_reserved,
			       ARRAY_SIZE(pc_reserved), 0x8000, true),
		 FRAME_OK);
	CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
	random_run(&fx, 1, 200000);
	fixture_free(&fx);
}

static void test_random_messy(void)
{
	struct fixture fx;

	CHECK_EQ(fixture_build(&fx, messy_usable, ARRAY_SIZE(messy_usable), messy_reserved,
			       ARRAY_SIZE(messy_reserved), 0x1000, true),
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
	for (size_t i = 0; i < ARRAY_SIZE(u); i++) {
		uint64_t start = rng_below(0x4000000);

		u[i] = (struct mem_range){start, start + rng_below(0x100000)};
	}
	for (size_t i = 0; i < ARRAY_SIZE(r); i++) {
		uint64_t start = rng_below(0x4000000);

		r[i] = (struct mem_range){start, start + rng_below(0x20000)};
	}
	CHECK_EQ(fixture_build(&fx, u, ARRAY_SIZE(u), r, ARRAY_SIZE(r), 0x4000, true), FRAME_OK);
	CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
	CHECK(frame_check(&fx.fa));
	random_run(&fx, 3, 200000);
	fixture_free(&fx);
}

int main(void)
{
	test_random_pc();
	test_random_messy();
	test_random_fragments();
	return check_summary("frame_random");
}
