/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for frame_alloc_run_below (kernel/mm/frame.c), the
 * allocation behind MOBJ_BELOW_4G: every frame handed out ends at or below
 * the limit, however the free lists are ordered (a memory map with most of
 * its RAM above 4 GiB); the low frames can be used up to the last one while
 * high memory still serves everyone else; bad arguments and limits nothing
 * fits under change nothing; the walk of the free lists stops after
 * FRAME_BELOW_SCAN blocks; and random runs, alignments, limits and frees
 * keep the allocator's invariants and agree with the model.
 * Fixture: frame_fixture.h.
 */
#include "frame_fixture.h"

#define LOW_END	 (64 * MIB)
#define HIGH_END (4 * GIB + 256 * MIB)

static const struct mem_range split_map[] = {{MIB, LOW_END}, {4 * GIB, HIGH_END}};

static int build_split(struct fixture *fx)
{
	return fixture_build(fx, split_map, ARRAY_SIZE(split_map), NULL, 0, HIGH_END / PAGE_SIZE,
			     true);
}

/* Below 4 GiB until the low memory is gone, while unlimited calls still succeed. */
static void test_low_memory_runs_out(void)
{
	struct fixture fx;
	uint64_t low = (LOW_END - MIB) / PAGE_SIZE, got = 0, outside = 0;
	paddr_t pa;

	CHECK_EQ(build_split(&fx), FRAME_OK);
	while (frame_alloc_run_below(&fx.fa, 1, 1, 4 * GIB, &pa) == FRAME_OK) {
		outside += pa + PAGE_SIZE > 4 * GIB;
		model_take(&fx, pa, 1);
		got++;
	}
	CHECK_EQ(got, low);
	CHECK_EQ(outside, 0);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 4 * GIB, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_alloc_run(&fx.fa, 16, 1, &pa), FRAME_OK); /* high memory is still there */
	CHECK(pa >= 4 * GIB);
	model_take(&fx, pa, 16);
	CHECK_EQ(frame_free_run(&fx.fa, pa, 16), FRAME_OK);
	for (paddr_t p = MIB; p < LOW_END; p += PAGE_SIZE)
		CHECK_EQ(frame_free_one(&fx.fa, p), FRAME_OK);
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa));
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

/* Runs under a limit: contiguous, aligned, and wholly below it. */
static void test_runs_fit_under_the_limit(void)
{
	struct fixture fx;
	paddr_t a, b, c;

	CHECK_EQ(build_split(&fx), FRAME_OK);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 300, 16, 4 * GIB, &a), FRAME_OK);
	CHECK(a % (16 * PAGE_SIZE) == 0 && a + 300 * PAGE_SIZE <= 4 * GIB);
	model_take(&fx, a, 300);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 2 * MIB + 100, &b), FRAME_OK);
	CHECK(b >= MIB && b + PAGE_SIZE <= 2 * MIB); /* an unaligned limit rounds down */
	model_take(&fx, b, 1);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 8, 8, FRAME_NO_LIMIT, &c), FRAME_OK);
	model_take(&fx, c, 8);
	CHECK(frame_check(&fx.fa));
	CHECK_EQ(frame_free_run(&fx.fa, a, 300), FRAME_OK);
	CHECK_EQ(frame_free_one(&fx.fa, b), FRAME_OK);
	CHECK_EQ(frame_free_run(&fx.fa, c, 8), FRAME_OK);
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa));
	fixture_free(&fx);
}

/* Nothing fits, or the arguments are bad: an error, and not one byte of state changed. */
static void test_refusals_change_nothing(void)
{
	struct fixture fx;
	struct frame_alloc before;
	paddr_t pa;

	CHECK_EQ(build_split(&fx), FRAME_OK);
	size_t bytes = frame_meta_size(fx.max_pfn);
	void *meta = malloc(bytes);
	memcpy(meta, fx.meta, bytes);
	before = fx.fa;
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 0, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, MIB, &pa), FRAME_ENOMEM); /* below RAM */
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 16384, 1, 4 * GIB, &pa), FRAME_ENOMEM);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 0, 1, 4 * GIB, &pa), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 3, 4 * GIB, &pa), FRAME_EINVAL);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 4 * GIB, NULL), FRAME_EINVAL);
	CHECK(memcmp(&before, &fx.fa, sizeof(before)) == 0);
	CHECK(memcmp(meta, fx.meta, bytes) == 0);
	free(meta);
	fixture_free(&fx);
}

/*
 * One free frame below 4 GiB behind more than FRAME_BELOW_SCAN free frames
 * above it on the same list: not found (the walk is bounded); with fewer
 * in front of it, found.
 */
static void test_scan_bound(void)
{
	const struct mem_range map[] = {{MIB, 2 * MIB}, {4 * GIB, 4 * GIB + 64 * MIB}};
	struct fixture fx;
	paddr_t pa;
	uint64_t total, high = FRAME_BELOW_SCAN + 1000;

	CHECK_EQ(fixture_build(&fx, map, 2, NULL, 0, (4 * GIB + 64 * MIB) / PAGE_SIZE, false),
		 FRAME_OK);
	total = frame_total_count(&fx.fa);
	for (uint64_t i = 0; i < total; i++)
		CHECK_EQ(frame_alloc_one(&fx.fa, &pa), FRAME_OK);
	CHECK_EQ(frame_free_one(&fx.fa, MIB), FRAME_OK); /* the one low frame, at the back */
	for (uint64_t i = 0; i < high; i++) /* isolated: their buddies stay allocated */
		CHECK_EQ(frame_free_one(&fx.fa, 4 * GIB + 2 * i * PAGE_SIZE), FRAME_OK);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 4 * GIB, &pa), FRAME_ENOMEM);
	for (uint64_t i = 0; i < 1001; i++) /* take the newest high frames off the front */
		CHECK(frame_alloc_one(&fx.fa, &pa) == FRAME_OK && pa >= 4 * GIB);
	CHECK_EQ(frame_alloc_run_below(&fx.fa, 1, 1, 4 * GIB, &pa), FRAME_OK);
	CHECK_EQ(pa, MIB);
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

struct held {
	paddr_t pa;
	uint64_t n;
};

static void random_step(struct fixture *fx, struct held *held, size_t *count, size_t max)
{
	static const paddr_t limits[] = {2 * MIB, 16 * MIB, LOW_END, 4 * GIB, FRAME_NO_LIMIT};
	paddr_t pa, limit = limits[rng_below(ARRAY_SIZE(limits))];
	uint64_t n = 1 + rng_below(rng_below(4) == 0 ? 64 : 4), align = 1ull << rng_below(5);

	if (*count == max || (*count && rng_below(3) == 0)) {
		size_t i = rng_below(*count);
		CHECK_EQ(frame_free_run(&fx->fa, held[i].pa, held[i].n), FRAME_OK);
		model_give(fx, held[i].pa, held[i].n);
		held[i] = held[--*count];
		return;
	}
	if (frame_alloc_run_below(&fx->fa, n, align, limit, &pa) != FRAME_OK)
		return;
	CHECK(pa + n * PAGE_SIZE <= limit && pa % (align * PAGE_SIZE) == 0);
	model_take(fx, pa, n);
	held[(*count)++] = (struct held){pa, n};
}

static void test_random(void)
{
	enum { MAX_HELD = 4096, STEPS = 60000 };
	static struct held held[MAX_HELD];
	struct fixture fx;
	size_t count = 0;

	CHECK_EQ(build_split(&fx), FRAME_OK);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (int step = 0; step < STEPS; step++)
		random_step(&fx, held, &count, MAX_HELD);
	CHECK(frame_check(&fx.fa));
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa) - fx.nallocated);
	while (count) {
		count--;
		CHECK_EQ(frame_free_run(&fx.fa, held[count].pa, held[count].n), FRAME_OK);
	}
	CHECK_EQ(frame_free_count(&fx.fa), frame_total_count(&fx.fa));
	CHECK(frame_check(&fx.fa));
	fixture_free(&fx);
}

int main(void)
{
	test_low_memory_runs_out();
	test_runs_fit_under_the_limit();
	test_refusals_change_nothing();
	test_scan_bound();
	test_random();
	return check_summary("frame_below");
}
