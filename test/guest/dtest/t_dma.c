/* SPDX-License-Identifier: MIT */
/*
 * DMA memory and device memory flags (suite dma), with every argument
 * check, in the style of utest: MOBJ_BELOW_4G gives pages below 4 GiB,
 * contiguous or not; SYS_MOBJ_PHYS_LIST gives a whole object's addresses in
 * one call and refuses bad handles, missing rights, bad ranges and arrays
 * that are not the caller's writable memory (without the kernel minding);
 * SYS_HANDLE_INFO gives a memory object's size; DEVMEM_EXCLUSIVE refuses a
 * second holder until the first object is gone (handle closed and
 * unmapped), and unknown flags are refused.
 */
#include <stdbool.h>

#include "dtest.h"

#define PAGE	     4096ull
#define PAGES	     8
#define FOUR_GIB     (4ull << 30)
#define SCRATCH_VA   0x0000230000000000ull
#define KERNEL_TEXT  0xffffffff80200000ull
#define NONCANONICAL 0x0000800000000000ull
#define UNUSED_MMIO  0xE0000000ull /* in q35's PCI hole: no device decodes it */

static long phys_list(handle_t m, uint64_t first, uint64_t *out, uint64_t count)
{
	return sys_mobj_phys_list(dt_handle("dma"), m, first, out, count);
}

/* Every page below 4 GiB, listed in one call exactly as page by page. */
static void check_below_4g(struct test_ctx *t, handle_t m, bool contiguous)
{
	uint64_t pa[PAGES];

	T_EQ(phys_list(m, 0, pa, PAGES), PAGES);
	for (uint64_t i = 0; i < PAGES; i++) {
		T_ASSERT(pa[i] % PAGE == 0 && pa[i] + PAGE <= FOUR_GIB);
		T_EQ(sys_mobj_phys(dt_handle("dma"), m, i), (long)pa[i]);
		T_ASSERT(!contiguous || pa[i] == pa[0] + i * PAGE);
	}
	uint64_t mid[3];
	T_ASSERT(phys_list(m, 2, mid, 3) == 3 && mid[0] == pa[2] && mid[2] == pa[4]);
}

TEST(dma, dma_below_4g,
     "MOBJ_BELOW_4G gives pages below 4 GiB, contiguous or not, listed in one call")
{
	struct kinfo k0, k1;
	struct handle_info info;

	sys_kinfo(&k0);
	long m = sys_mobj_create(PAGES * PAGE, MOBJ_BELOW_4G);
	long c = sys_mobj_create(PAGES * PAGE - 100, MOBJ_BELOW_4G | MOBJ_CONTIGUOUS);
	T_ASSERT(m > 0 && c > 0);
	check_below_4g(t, (handle_t)m, false);
	check_below_4g(t, (handle_t)c, true);
	T_RETURN_IF_FAILED();
	T_ASSERT(sys_handle_info((handle_t)c, &info) == E_OK && info.size == PAGES * PAGE);
	T_EQ(sys_mobj_create(PAGE, 0x4), E_INVAL); /* unknown flag */
	sys_handle_close((handle_t)m);
	sys_handle_close((handle_t)c);
	sys_kinfo(&k1);
	T_ASSERT(k1.frames_free == k0.frames_free && k1.mobjs == k0.mobjs);
}

/* Handles and rights: each refusal with its own error. */
static void phys_list_handles(struct test_ctx *t, handle_t m)
{
	uint64_t pa[PAGES];
	long ro = sys_handle_dup(m, R_READ | R_DUP), n = sys_ntfn_create();

	T_ASSERT(ro > 0 && n > 0);
	T_EQ(sys_mobj_phys_list(dt_handle("devmem"), m, 0, pa, 1), E_TYPE);
	T_EQ(sys_mobj_phys_list(0x12345, m, 0, pa, 1), E_BADHANDLE);
	T_EQ(sys_mobj_phys_list(HANDLE_INVALID, m, 0, pa, 1), E_BADHANDLE);
	T_EQ(phys_list(0x12345, 0, pa, 1), E_BADHANDLE);
	T_EQ(phys_list((handle_t)n, 0, pa, 1), E_TYPE);
	T_EQ(phys_list((handle_t)ro, 0, pa, 1), E_RIGHTS); /* the device may write */
	T_EQ(sys_mobj_phys(dt_handle("dma"), (handle_t)ro, 0), E_RIGHTS);
	sys_handle_close((handle_t)ro);
	sys_handle_close((handle_t)n);
}

/* Counts and pages: none, too many, past the end, wrapping. */
static void phys_list_ranges(struct test_ctx *t, handle_t m)
{
	uint64_t pa[PAGES];

	T_EQ(phys_list(m, 0, pa, 0), E_INVAL);
	T_EQ(phys_list(m, 0, pa, MOBJ_PHYS_LIST_MAX + 1ull), E_INVAL);
	T_EQ(phys_list(m, 1, pa, ~0ull), E_INVAL);
	T_EQ(phys_list(m, PAGES, pa, 1), E_RANGE);
	T_EQ(phys_list(m, PAGES - 1, pa, 2), E_RANGE);
	T_EQ(phys_list(m, ~0ull, pa, 1), E_RANGE);
	T_EQ(phys_list(m, PAGES - 1, pa, 1), 1);
}

/* Arrays that are not the caller's writable memory; the kernel only answers E_FAULT. */
static void phys_list_arrays(struct test_ctx *t, handle_t m)
{
	long page = sys_mobj_create(2 * PAGE, 0);

	T_ASSERT(page > 0);
	T_EQ(sys_mobj_map(HANDLE_SELF, (handle_t)page, SCRATCH_VA, 0, PAGE, R_READ | R_WRITE),
	     E_OK);
	T_EQ(sys_mobj_map(HANDLE_SELF, (handle_t)page, SCRATCH_VA + PAGE, PAGE, PAGE, R_READ),
	     E_OK);
	uint64_t *last = (uint64_t *)(SCRATCH_VA + PAGE - sizeof(uint64_t));
	T_EQ(phys_list(m, 0, NULL, 1), E_FAULT);
	T_EQ(phys_list(m, 0, (uint64_t *)KERNEL_TEXT, 1), E_FAULT);
	T_EQ(phys_list(m, 0, (uint64_t *)NONCANONICAL, 1), E_FAULT);
	T_EQ(phys_list(m, 0, (uint64_t *)(SCRATCH_VA + PAGE), 1), E_FAULT); /* R only */
	T_EQ(phys_list(m, 0, last, PAGES), E_FAULT); /* room for one of eight */
	T_EQ(phys_list(m, 0, last, 1), 1);	     /* exactly room for one */
	T_EQ(*last, (uint64_t)sys_mobj_phys(dt_handle("dma"), m, 0));
	T_EQ(sys_unmap(HANDLE_SELF, SCRATCH_VA, 2 * PAGE), E_OK);
	sys_handle_close((handle_t)page);
}

TEST(dma, mobj_phys_list_checks,
     "SYS_MOBJ_PHYS_LIST refuses bad handles, rights, ranges and arrays")
{
	long m = sys_mobj_create(PAGES * PAGE, 0);

	T_ASSERT(m > 0);
	phys_list_handles(t, (handle_t)m);
	if (!t->failed)
		phys_list_ranges(t, (handle_t)m);
	if (!t->failed)
		phys_list_arrays(t, (handle_t)m);
	sys_handle_close((handle_t)m);
}

static long exclusive(uint64_t phys, uint64_t size)
{
	return sys_devmem_create_flags(dt_handle("devmem"), phys, size, DEVMEM_EXCLUSIVE);
}

TEST(dma, devmem_exclusive_and_flags,
     "DEVMEM_EXCLUSIVE refuses a second holder until the first is gone")
{
	long a = exclusive(UNUSED_MMIO, 2 * PAGE);

	T_ASSERT(a > 0);
	T_EQ(exclusive(UNUSED_MMIO + PAGE, PAGE), E_BUSY);
	long shared = sys_devmem_create_flags(dt_handle("devmem"), UNUSED_MMIO, PAGE, DEVMEM_WC);
	T_ASSERT(shared > 0); /* not exclusive: neither refused nor refusing */
	sys_handle_close((handle_t)shared);
	T_EQ(sys_devmem_create_flags(dt_handle("devmem"), UNUSED_MMIO, PAGE, 0x4), E_INVAL);
	T_EQ(sys_devmem_create_flags(dt_handle("dma"), UNUSED_MMIO, PAGE, 0), E_TYPE);
	T_EQ(exclusive(0x200000, PAGE), E_RANGE); /* RAM */
	T_EQ(sys_mobj_map(HANDLE_SELF, (handle_t)a, SCRATCH_VA, 0, PAGE, R_READ), E_OK);
	sys_handle_close((handle_t)a);
	T_EQ(exclusive(UNUSED_MMIO, PAGE), E_BUSY); /* still mapped: still held */
	T_EQ(sys_unmap(HANDLE_SELF, SCRATCH_VA, PAGE), E_OK);
	long b = exclusive(UNUSED_MMIO + PAGE, PAGE); /* the holder is gone */
	T_ASSERT(b > 0);
	struct handle_info info;
	T_ASSERT(sys_handle_info((handle_t)b, &info) == E_OK && info.size == PAGE);
	sys_handle_close((handle_t)b);
}
