/* SPDX-License-Identifier: MIT */
/*
 * Self-tests of device memory and DMA memory: the PAT has its
 * write-combining entry (and the power-on meaning of the entries every other
 * mapping uses), a write-combining page is encoded with that entry and
 * looked up as such, exclusive device objects refuse an overlapping claim
 * until the holder goes, and memory asked for below 4 GiB is there (suite
 * dev).
 */
#include "arch/cpu.h"
#include "arch/pagetable.h"
#include "arch/percpu.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/pmm.h"
#include "kernel/vm.h"
#include "sys/device.h"
#include "sys/errors.h"
#include "test/test.h"

#define USER_TEST_VA 0x0000100000000000ull
#define DEVICE_PAGE  0xE0000000ull /* in q35's PCI hole: not RAM, nothing decodes it */
#define FOUR_GIB     (4ull << 30)

TEST(dev, pat_write_combining, "PAT entry 4 is write-combining, entries 0-3 as at power-on")
{
	uint64_t pat = rdmsr(MSR_PAT);

	T_ASSERT(cpu_has_pat_wc());
	T_EQ((pat >> 32) & 0xFF, 0x01);		  /* WC */
	T_EQ(pat & 0xFFFFFFFFull, 0x00070406ull); /* WB, WT, UC-, UC */
}

TEST(dev, wc_mapping, "a write-combining user page selects PAT entry 4 and reads back as such")
{
	struct vm_space vs;
	unsigned rights;
	paddr_t got;
	uint64_t tables0 = vm_table_count();

	T_EQ(vm_space_create(&vs), 0);
	T_EQ(vm_map(&vs, USER_TEST_VA, DEVICE_PAGE, PT_USER | PT_WRITE | PT_WRITE_COMBINING), 0);
	T_ASSERT(vm_lookup(&vs, USER_TEST_VA, &got, &rights) == 0 && got == DEVICE_PAGE);
	T_ASSERT((rights & PT_WRITE_COMBINING) && !(rights & PT_UNCACHED));
	T_EQ(vm_unmap(&vs, USER_TEST_VA, &got), 0);
	T_EQ(vm_map(&vs, USER_TEST_VA, DEVICE_PAGE, PT_USER | PT_UNCACHED), 0);
	T_EQ(vm_lookup(&vs, USER_TEST_VA, &got, &rights), 0);
	T_ASSERT((rights & PT_UNCACHED) && !(rights & PT_WRITE_COMBINING));
	T_ASSERT(pt_encode(0, PT_WRITE_COMBINING, PT_SIZE_4K) & PTE_PAT_4K);
	T_ASSERT(!(pt_encode(0, PT_WRITE_COMBINING, PT_SIZE_4K) & (PTE_PCD | PTE_PWT)));
	vm_space_destroy(&vs);
	T_EQ(vm_table_count(), tables0);
}

TEST(dev, devmem_exclusive, "an exclusive device object refuses an overlapping one until it goes")
{
	struct mobj *a, *b, *shared;

	T_EQ(mobj_create_device(DEVICE_PAGE, 2 * PAGE_SIZE, DEVMEM_EXCLUSIVE, &a), E_OK);
	T_ASSERT(a->exclusive && !a->write_combining);
	T_EQ(mobj_create_device(DEVICE_PAGE + PAGE_SIZE, PAGE_SIZE, DEVMEM_EXCLUSIVE, &b), E_BUSY);
	T_EQ(mobj_create_device(DEVICE_PAGE + PAGE_SIZE, PAGE_SIZE, DEVMEM_WC, &shared),
	     E_OK); /* not exclusive: not refused, and refuses nobody */
	T_ASSERT(shared->write_combining);
	T_EQ(mobj_create_device(DEVICE_PAGE + 2 * PAGE_SIZE, PAGE_SIZE, DEVMEM_EXCLUSIVE, &b),
	     E_OK); /* adjacent */
	kobj_put(&b->obj);
	kobj_put(&a->obj);
	T_EQ(mobj_create_device(DEVICE_PAGE + PAGE_SIZE, PAGE_SIZE, DEVMEM_EXCLUSIVE, &b), E_OK);
	kobj_put(&b->obj);
	kobj_put(&shared->obj);
}

TEST(dev, dma_below_4g, "memory asked for below 4 GiB is there, contiguous or not, and comes back")
{
	struct mobj *m, *c;
	uint64_t free0 = pmm_free_count();

	T_EQ(mobj_create_flags(8 * PAGE_SIZE, NULL, MOBJ_BELOW_4G, &m), E_OK);
	T_EQ(mobj_create_flags(8 * PAGE_SIZE, NULL, MOBJ_BELOW_4G | MOBJ_CONTIGUOUS, &c), E_OK);
	for (uint64_t i = 0; i < 8; i++) {
		T_ASSERT(m->pages[i] + PAGE_SIZE <= FOUR_GIB);
		T_EQ(c->pages[i], c->pages[0] + i * PAGE_SIZE);
	}
	T_ASSERT(c->pages[7] + PAGE_SIZE <= FOUR_GIB);
	kobj_put(&m->obj);
	kobj_put(&c->obj);
	T_EQ(pmm_free_count(), free0);
}
