/* SPDX-License-Identifier: MIT */
/*
 * Self-tests of physical memory, the kernel heap and address spaces, run on
 * the real machine state after boot. Each checks that the free-frame and
 * object counters return to where they started.
 */
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/pmm.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "kernel/vm.h"
#include "sys/errors.h"
#include "test/test.h"

#define TEST_FRAMES  512
#define USER_TEST_VA 0x0000000040000000ull

static paddr_t test_frames[TEST_FRAMES];

TEST(mm, frame_alloc_free, "single frames are distinct, aligned, usable and all come back")
{
	uint64_t before = pmm_free_count();

	for (int i = 0; i < TEST_FRAMES; i++) {
		T_ASSERT(pmm_alloc(&test_frames[i]) == 0);
		T_ASSERT((test_frames[i] & PAGE_MASK) == 0);
		*(volatile uint64_t *)phys_to_virt(test_frames[i]) = test_frames[i];
	}
	for (int i = 0; i < TEST_FRAMES; i++)
		T_ASSERT(*(volatile uint64_t *)phys_to_virt(test_frames[i]) == test_frames[i]);
	T_ASSERT(pmm_free_count() == before - TEST_FRAMES);
	for (int i = 0; i < TEST_FRAMES; i++)
		pmm_free(test_frames[i]);
	T_ASSERT(pmm_free_count() == before);
	T_ASSERT(pmm_check());
}

TEST(mm, frame_dma_runs, "contiguous runs honour alignment and free back whole")
{
	uint64_t before = pmm_free_count();
	static const uint64_t sizes[] = {1, 3, 16, 100, 512};
	paddr_t runs[ARRAY_SIZE(sizes)];

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		T_ASSERT(pmm_alloc_run(sizes[i], 16, &runs[i]) == 0);
		T_ASSERT((runs[i] & (16 * PAGE_SIZE - 1)) == 0);
		memset(phys_to_virt(runs[i]), 0xA5, sizes[i] * PAGE_SIZE);
	}
	T_ASSERT(pmm_free_count() == before - (1 + 3 + 16 + 100 + 512));
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		pmm_free_run(runs[i], sizes[i]);
	T_ASSERT(pmm_free_count() == before);
	T_ASSERT(pmm_check());
}

TEST(mm, kheap_size_classes, "kmalloc serves every class, keeps contents, counts leaks")
{
	struct slab_stats s0, s1;
	void *p[64];

	kheap_stats(&s0);
	for (int i = 0; i < 64; i++) {
		size_t size = (size_t)16 << (i % 8);
		p[i] = kmalloc(size);
		T_ASSERT(p[i] != NULL);
		memset(p[i], i, size);
	}
	for (int i = 0; i < 64; i++)
		T_ASSERT(((unsigned char *)p[i])[((size_t)16 << (i % 8)) - 1] == i);
	T_ASSERT(kmalloc(0) == NULL);
	T_ASSERT(kmalloc(SLAB_MAX_SIZE + 1) == NULL);
	for (int i = 0; i < 64; i++)
		kfree(p[i]);
	kheap_stats(&s1);
	T_ASSERT(s1.live == s0.live);
	T_ASSERT(s1.allocs == s0.allocs + 64 && s1.frees == s0.frees + 64);
}

TEST(mm, vm_space_map_unmap, "user mappings translate with their rights and unmap cleanly")
{
	struct vm_space vs;
	paddr_t pa, got;
	unsigned rights;
	uint64_t free0 = pmm_free_count(), tables0 = vm_table_count();

	T_ASSERT(vm_space_create(&vs) == 0);
	T_ASSERT(pmm_alloc(&pa) == 0);
	T_ASSERT(vm_map(&vs, USER_TEST_VA, pa, PT_USER | PT_WRITE) == 0);
	T_ASSERT(vm_map(&vs, USER_TEST_VA, pa, PT_USER) == PT_EEXIST);
	T_ASSERT(vm_map(&vs, KERNEL_VMA, pa, PT_USER) == PT_EINVAL);
	T_ASSERT(vm_map(&vs, USER_TEST_VA + 1, pa, PT_USER) == PT_EINVAL);
	T_ASSERT(vm_map(&vs, 0x0000800000000000ull, pa, PT_USER) == PT_EINVAL);
	T_ASSERT(vm_lookup(&vs, USER_TEST_VA + 0x123, &got, &rights) == 0);
	T_ASSERT(got == pa + 0x123);
	T_ASSERT(rights == (PT_USER | PT_WRITE));
	T_ASSERT(vm_lookup(vm_kernel_space(), USER_TEST_VA, &got, NULL) == PT_ENOENT);
	T_ASSERT(vm_unmap(&vs, USER_TEST_VA, &got) == 0 && got == pa);
	T_ASSERT(vm_unmap(&vs, USER_TEST_VA, &got) == PT_ENOENT);
	vm_space_destroy(&vs);
	pmm_free(pa);
	T_ASSERT(pmm_free_count() == free0);
	T_ASSERT(vm_table_count() == tables0);
}

TEST(mm, vm_space_switch, "copy_to_user through a user mapping lands in the mapped frame")
{
	struct vm_space vs;
	paddr_t pa;
	uint64_t v = 0x1234abcd, back = 0;

	T_ASSERT(vm_space_create(&vs) == 0);
	T_ASSERT(pmm_alloc(&pa) == 0);
	*(volatile uint64_t *)phys_to_virt(pa) = 0;
	T_ASSERT(vm_map(&vs, USER_TEST_VA, pa, PT_USER | PT_WRITE) == 0);
	vm_space_activate(&vs);
	int put = copy_to_user(USER_TEST_VA + 8, &v, sizeof(v));
	int get = copy_from_user(&back, USER_TEST_VA + 8, sizeof(back));
	int unmapped = copy_from_user(&back, USER_TEST_VA + PAGE_SIZE, sizeof(back));
	int straddle = copy_to_user(USER_TEST_VA + PAGE_SIZE - 4, &v, sizeof(v));
	int kernel = copy_from_user(&back, (uintptr_t)__data_start, sizeof(back));
	int wrap = copy_from_user(&back, UINTPTR_MAX - 3, sizeof(back));
	vm_space_activate(vm_kernel_space());
	T_ASSERT(put == 0 && get == 0 && back == v);
	T_ASSERT(*(volatile uint64_t *)((char *)phys_to_virt(pa) + 8) == 0x1234abcd);
	T_ASSERT(unmapped == E_FAULT && straddle == E_FAULT);
	T_ASSERT(kernel == E_FAULT && wrap == E_FAULT);
	T_ASSERT(vm_unmap(&vs, USER_TEST_VA, NULL) == 0);
	vm_space_destroy(&vs);
	pmm_free(pa);
}

TEST(mm, vm_space_churn, "creating and destroying 2000 address spaces leaks nothing")
{
	uint64_t free0 = pmm_free_count(), tables0 = vm_table_count();
	paddr_t pa;

	T_ASSERT(pmm_alloc(&pa) == 0);
	for (int i = 0; i < 2000; i++) {
		struct vm_space vs;
		T_ASSERT(vm_space_create(&vs) == 0);
		T_ASSERT(vm_map(&vs, USER_TEST_VA + (uint64_t)i * PT_SIZE_1G, pa, PT_USER) == 0);
		vm_space_destroy(&vs);
	}
	pmm_free(pa);
	T_ASSERT(pmm_free_count() == free0);
	T_ASSERT(vm_table_count() == tables0);
}

static bool kernel_rights(const void *va, unsigned *rights)
{
	return vm_lookup(vm_kernel_space(), (vaddr_t)va, NULL, rights) == 0;
}

extern char boot_stack_guard[], ist_df_guard[];

TEST(mm, kernel_wx, "kernel text RX, rodata R, data RW+NX, direct map NX, guards unmapped")
{
	unsigned r;

	T_ASSERT(kernel_rights(__text_start, &r) && (r & PT_EXEC) && !(r & PT_WRITE));
	T_ASSERT(kernel_rights(__rodata_start, &r) && !(r & (PT_EXEC | PT_WRITE)));
	T_ASSERT(kernel_rights(__data_start, &r) && (r & PT_WRITE) && !(r & PT_EXEC));
	T_ASSERT(kernel_rights(__ksyms_start, &r) && !(r & (PT_EXEC | PT_WRITE)));
	T_ASSERT(kernel_rights(phys_to_virt(0x100000), &r) && !(r & PT_EXEC));
	T_ASSERT(!(r & PT_USER));
	T_ASSERT(!kernel_rights(boot_stack_guard, &r));
	T_ASSERT(!kernel_rights(ist_df_guard, &r));
	T_ASSERT(!kernel_rights((void *)0x1000, &r)); /* no identity map left */
}

TEST(mm, mmio_uncached, "device memory is mapped uncached and outside the direct map")
{
	unsigned r;
	volatile uint32_t *p = vm_map_mmio(0xFEE00000, 4096);

	T_ASSERT(p != NULL);
	T_ASSERT((vaddr_t)p >= MMIO_WINDOW_BASE &&
		 (vaddr_t)p < MMIO_WINDOW_BASE + MMIO_WINDOW_SIZE);
	T_ASSERT(kernel_rights((const void *)p, &r) && (r & PT_UNCACHED) && !(r & PT_EXEC));
	T_ASSERT(vm_map_mmio(0, 0) == NULL);
}
