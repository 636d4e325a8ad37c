/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for allocating and freeing with the buddy frame allocator
 * (kernel/mm/frame.c): aligned runs, frame_check catching corruption, failed
 * calls leaving every byte of state unchanged, and exhausting 2 GiB frame by
 * frame before merging it all back. Fixture: frame_fixture.h.
 */
#include "frame_fixture.h"

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

	CHECK_EQ(fixture_build(&fx, pc_usable, ARRAY_SIZE(pc_usable), pc_reserved,
			       ARRAY_SIZE(pc_reserved), 0x8000, false),
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

/* frame_check must notice a corrupted flag or link, not just pass. */
static void test_check_detects_corruption(void)
{
	struct fixture fx;
	struct frame_meta saved;
	paddr_t pa;
	uint64_t pfn;

	CHECK_EQ(fixture_build(&fx, pc_usable, 2, pc_reserved, ARRAY_SIZE(pc_reserved), 0x8000,
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
	test_runs();
	test_check_detects_corruption();
	test_errors_leave_state_unchanged();
	test_exhaustion_and_merge();
	return check_summary("frame_alloc");
}
