/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for building the buddy frame allocator (kernel/mm/frame.c)
 * from a memory map: init and build errors, exact inward rounding of odd
 * maps, overlapping usable and reserved ranges checked frame by frame against
 * the model, choosing where the metadata goes, and large mostly-hole maps.
 * Fixture: frame_fixture.h.
 */
#include "frame_fixture.h"

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

	CHECK_EQ(fixture_build(&fx, u, ARRAY_SIZE(u), r, ARRAY_SIZE(r), 16, true), FRAME_OK);
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

	CHECK_EQ(fixture_build(&fx, messy_usable, ARRAY_SIZE(messy_usable), messy_reserved,
			       ARRAY_SIZE(messy_reserved), 0x1000, true),
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

	CHECK_EQ(fixture_build(&fx, u, ARRAY_SIZE(u), NULL, 0, max_pfn, false), FRAME_OK);
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
	CHECK_EQ(frame_pick_meta_region(pc_usable, 2, pc_reserved, ARRAY_SIZE(pc_reserved), bytes,
					&pa),
		 FRAME_OK);
	CHECK(pa % PAGE_SIZE == 0 && pa >= 0x300000);
	{
		struct mem_range rr[ARRAY_SIZE(pc_reserved) + 1];

		memcpy(rr, pc_reserved, sizeof(pc_reserved));
		rr[ARRAY_SIZE(pc_reserved)] = (struct mem_range){pa, pa + bytes};
		CHECK(!any_touches(pc_reserved, ARRAY_SIZE(pc_reserved), pa, pa + bytes));
		CHECK_EQ(fixture_build(&fx, pc_usable, 2, rr, ARRAY_SIZE(rr), 0x8000, true),
			 FRAME_OK);
		CHECK(!fx.managed[pa / PAGE_SIZE]);
		CHECK_EQ(frame_total_count(&fx.fa), model_count(fx.managed, fx.max_pfn));
		fixture_free(&fx);
	}
}

int main(void)
{
	test_init_build_errors();
	test_rounding_inward();
	test_overlap_union_and_reserved();
	test_messy_map_exact();
	test_pick_meta_region();
	test_holes_large_max_pfn();
	return check_summary("frame_build");
}
