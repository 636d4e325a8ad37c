/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the x86-64 page-table editor (kernel/arch/x86_64/pagetable.c):
 * rights encoding, argument checks, 4 KiB / 2 MiB / 1 GiB pages, a random
 * map/unmap sequence checked against a model, and table leak accounting.
 * Table "physical" addresses are host pointers (identity), from aligned_alloc.
 */
#include <stdlib.h>
#include <string.h>

#include "arch/pagetable.h"
#include "check.h"

static long tables_live;
static bool fail_alloc;

int pt_alloc_table(paddr_t *out)
{
	if (fail_alloc)
		return -1;
	void *p = aligned_alloc(4096, 4096);
	if (!p)
		return -1;
	memset(p, 0, 4096);
	tables_live++;
	*out = (paddr_t)(uintptr_t)p;
	return 0;
}

void pt_free_table(paddr_t pa)
{
	tables_live--;
	free((void *)(uintptr_t)pa);
}

uint64_t *pt_table_virt(paddr_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static void test_rights_roundtrip(void)
{
	for (int nx = 0; nx < 2; nx++) {
		pt_set_nx_supported(nx);
		for (unsigned r = 0; r < 32; r++) {
			uint64_t e = pt_encode(0x123456000ull, r, PT_SIZE_4K);
			unsigned want = nx ? r : (r | PT_EXEC);
			CHECK_EQ(pt_decode_rights(e), want);
			CHECK_EQ(e & PTE_ADDR, 0x123456000ull);
			CHECK(e & PTE_PRESENT);
			CHECK(!(e & PTE_HUGE));
		}
	}
	pt_set_nx_supported(true);
	CHECK(pt_encode(0x200000, 0, PT_SIZE_2M) & PTE_HUGE);
	CHECK(pt_encode(0, PT_WRITE, PT_SIZE_4K) & PTE_NX);
	CHECK(!(pt_encode(0, PT_EXEC, PT_SIZE_4K) & PTE_NX));
	CHECK((pt_encode(0, PT_UNCACHED, PT_SIZE_4K) & (PTE_PCD | PTE_PWT)) == (PTE_PCD | PTE_PWT));
}

static void test_indices_and_canonical(void)
{
	vaddr_t va = 0xffffffff80201000ull;
	CHECK_EQ(pt_index(va, 3), 511);
	CHECK_EQ(pt_index(va, 2), 510);
	CHECK_EQ(pt_index(va, 1), 1);
	CHECK_EQ(pt_index(va, 0), 1);
	CHECK(pt_is_canonical(0));
	CHECK(pt_is_canonical(0x00007fffffffffffull));
	CHECK(!pt_is_canonical(0x0000800000000000ull));
	CHECK(!pt_is_canonical(0xffff7fffffffffffull));
	CHECK(pt_is_canonical(0xffff800000000000ull));
}

static void test_bad_arguments(paddr_t pml4)
{
	CHECK_EQ(pt_map(pml4, 0x1001, 0x2000, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x1000, 0x2001, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x1000, 0x2000, 8192, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x0000800000000000ull, 0, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x00007ffffffff000ull + 0x1000, 0, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0xffff800000000000ull, 0, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x1000, 0, PT_SIZE_4K, 0), PT_EINVAL); /* kernel page in user half */
	CHECK_EQ(pt_map(pml4, 0x1000, 1ull << 52, PT_SIZE_4K, PT_USER), PT_EINVAL);
	CHECK_EQ(pt_map(pml4, 0x00007fffc0000000ull, 0, PT_SIZE_1G, PT_USER), PT_OK);
	CHECK_EQ(pt_unmap(pml4, 0x00007fffc0000000ull, NULL, NULL), PT_OK);
	CHECK_EQ(pt_unmap(pml4, 0x5000, NULL, NULL), PT_ENOENT);
	CHECK_EQ(pt_lookup(pml4, 0x0000900000000000ull, NULL, NULL), PT_EINVAL);
}

static void test_large_pages(paddr_t pml4)
{
	paddr_t pa;
	uint64_t size;
	unsigned r;

	CHECK_EQ(pt_map(pml4, 0x40000000, 0x80000000, PT_SIZE_1G, PT_USER | PT_WRITE), PT_OK);
	CHECK_EQ(pt_lookup(pml4, 0x40000000 + 0x12345678, &pa, &r), PT_OK);
	CHECK_EQ(pa, 0x80000000 + 0x12345678);
	CHECK_EQ(r, PT_USER | PT_WRITE);
	CHECK_EQ(pt_map(pml4, 0x40200000, 0, PT_SIZE_2M, PT_USER), PT_EEXIST);
	CHECK_EQ(pt_map(pml4, 0x40001000, 0, PT_SIZE_4K, PT_USER), PT_EEXIST);
	CHECK_EQ(pt_unmap(pml4, 0x40001000, NULL, NULL), PT_EINVAL); /* inside, not at the start */
	CHECK_EQ(pt_unmap(pml4, 0x40000000, &pa, &size), PT_OK);
	CHECK_EQ(pa, 0x80000000);
	CHECK_EQ(size, PT_SIZE_1G);

	CHECK_EQ(pt_map(pml4, 0x600000, 0x400000, PT_SIZE_2M, PT_USER | PT_EXEC), PT_OK);
	CHECK_EQ(pt_lookup(pml4, 0x7fffff, &pa, &r), PT_OK);
	CHECK_EQ(pa, 0x5fffff);
	CHECK_EQ(r, PT_USER | PT_EXEC);
	CHECK_EQ(pt_map(pml4, 0x601000, 0, PT_SIZE_4K, PT_USER), PT_EEXIST);
	CHECK_EQ(pt_unmap(pml4, 0x600000, NULL, &size), PT_OK);
	CHECK_EQ(size, PT_SIZE_2M);
	/* A 4 KiB page under a table forbids a 2 MiB page over the same range. */
	CHECK_EQ(pt_map(pml4, 0x800000, 0x1000, PT_SIZE_4K, PT_USER), PT_OK);
	CHECK_EQ(pt_map(pml4, 0x800000, 0x200000, PT_SIZE_2M, PT_USER), PT_EEXIST);
	CHECK_EQ(pt_unmap(pml4, 0x800000, NULL, NULL), PT_OK);
}

#define SLOTS 4096
struct model_entry {
	bool mapped;
	paddr_t pa;
	unsigned rights;
};
static struct model_entry model[SLOTS];

/* Slots spread over several PML4, PDPT and PD entries. */
static vaddr_t slot_va(unsigned i)
{
	return ((uint64_t)(i % 8) << 39) | ((uint64_t)(i / 8 % 8) << 30) |
	       ((uint64_t)(i / 64 % 8) << 21) | ((uint64_t)(i / 512) << 12) | 0x1000000000ull;
}

static void test_random_against_model(paddr_t pml4)
{
	unsigned seed = 12345;
	int mismatches = 0;

	for (int op = 0; op < 200000; op++) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % SLOTS;
		vaddr_t va = slot_va(i);
		paddr_t pa;
		unsigned r;
		if ((seed >> 4) % 3) {
			paddr_t want = (uint64_t)((seed >> 3) & 0xFFFFF) << 12;
			unsigned rights = PT_USER | ((seed >> 2) & 1 ? PT_WRITE : 0);
			int err = pt_map(pml4, va, want, PT_SIZE_4K, rights);
			mismatches += err != (model[i].mapped ? PT_EEXIST : PT_OK);
			if (!model[i].mapped)
				model[i] = (struct model_entry){true, want, rights};
		} else {
			int err = pt_unmap(pml4, va, &pa, NULL);
			mismatches += err != (model[i].mapped ? PT_OK : PT_ENOENT);
			mismatches += model[i].mapped && pa != model[i].pa;
			model[i].mapped = false;
		}
		if (op % 1000 == 0) {
			for (unsigned j = 0; j < SLOTS; j++) {
				int err = pt_lookup(pml4, slot_va(j) + 7, &pa, &r);
				if (model[j].mapped)
					mismatches += err != PT_OK || pa != model[j].pa + 7 ||
						      r != model[j].rights;
				else
					mismatches += err != PT_ENOENT;
			}
		}
	}
	CHECK_EQ(mismatches, 0);
}

static void test_create_destroy(void)
{
	paddr_t kernel, user;

	CHECK_EQ(pt_alloc_table(&kernel), 0);
	pt_table_virt(kernel)[300] = 0xabc003;
	pt_table_virt(kernel)[511] = 0xdef003;
	long before = tables_live;
	CHECK_EQ(pt_create(kernel, &user), PT_OK);
	CHECK_EQ(pt_table_virt(user)[300], 0xabc003);
	CHECK_EQ(pt_table_virt(user)[511], 0xdef003);
	CHECK_EQ(pt_table_virt(user)[0], 0);

	test_bad_arguments(user);
	test_large_pages(user);
	test_random_against_model(user);
	uint64_t freed = pt_destroy(user);
	CHECK_EQ(tables_live, before);
	CHECK(freed > 100); /* the random test spread over many tables */

	fail_alloc = true;
	CHECK_EQ(pt_create(kernel, &user), PT_ENOMEM);
	fail_alloc = false;
	CHECK_EQ(pt_create(kernel, &user), PT_OK);
	fail_alloc = true;
	CHECK_EQ(pt_map(user, 0x1000, 0x1000, PT_SIZE_4K, PT_USER), PT_ENOMEM);
	fail_alloc = false;
	CHECK_EQ(pt_destroy(user), 1);
	pt_free_table(kernel);
	CHECK_EQ(tables_live, 0);
}

int main(void)
{
	test_rights_roundtrip();
	test_indices_and_canonical();
	test_create_destroy();
	return check_summary("pagetable");
}
