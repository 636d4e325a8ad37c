/* SPDX-License-Identifier: MIT */
/*
 * The kernel's page tables and user address spaces, on top of the table
 * editor in arch/pagetable.h. paging_init maps the kernel image section by
 * section (text RX, rodata R, data RW+NX, ksyms R) leaving the guard page under
 * each kernel stack unmapped, maps RAM and firmware tables at the direct-map
 * base with large pages, reserves a window for device memory, and switches.
 * Tables needed before the switch come from a small boot pool below 4 GiB,
 * because only the first 4 GiB are reachable through the boot page tables.
 */
#include "kernel/vm.h"

#include "arch/cpu.h"
#include "boot/mb2.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define CR4_PGE (1ull << 7)

static struct vm_space kernel_space;
static uint64_t table_count;
static vaddr_t mmio_next = MMIO_WINDOW_BASE;
static struct mem_range direct_ranges[MB2_MAX_MMAP + 1];
static size_t direct_range_count;
static bool gb_pages;

/* Device pages mapped once by vm_map_mmio_page, found again by address. */
#define MMIO_PAGES_MAX 128
static struct mmio_page {
	paddr_t pa;
	void *va;
} mmio_pages[MMIO_PAGES_MAX];
static size_t mmio_page_count;

extern char boot_stack_guard[], ist_df_guard[], ist_nmi_guard[], ist_mc_guard[];

int pt_alloc_table(paddr_t *out)
{
	if (pmm_alloc_boot_or_frame(out) != 0)
		return -1;
	memset(phys_to_virt(*out), 0, PAGE_SIZE);
	table_count++;
	return 0;
}

void pt_free_table(paddr_t pa)
{
	table_count--;
	pmm_free(pa);
}

uint64_t *pt_table_virt(paddr_t pa)
{
	return phys_to_virt(pa);
}

uint64_t vm_table_count(void)
{
	return table_count;
}

static bool is_guard_page(vaddr_t va)
{
	return va == (vaddr_t)boot_stack_guard || va == (vaddr_t)ist_df_guard ||
	       va == (vaddr_t)ist_nmi_guard || va == (vaddr_t)ist_mc_guard;
}

static void map_kernel_range(const char *start, const char *end, unsigned rights)
{
	for (vaddr_t va = (vaddr_t)start; va < (vaddr_t)end; va += PAGE_SIZE) {
		if (is_guard_page(va))
			continue;
		int err = pt_map(kernel_space.pml4, va, va - KERNEL_VMA, PT_SIZE_4K,
				 rights | PT_GLOBAL);
		if (err)
			panic("paging: cannot map kernel page 0x%lx: %d", va, err);
	}
}

static void map_direct_page(paddr_t pa, uint64_t size)
{
	int err = pt_map(kernel_space.pml4, DIRECT_MAP_BASE + pa, pa, size, PT_WRITE | PT_GLOBAL);

	if (err && err != PT_EEXIST) /* EEXIST: an earlier range already covers it */
		panic("paging: cannot direct-map 0x%lx: %d", pa, err);
}

/*
 * Map [start, end) of physical memory at the direct-map base: 1 GiB pages
 * where a whole free gigabyte is covered, 2 MiB pages elsewhere (including
 * gigabytes that an earlier, smaller range already started with 2 MiB pages).
 */
static void map_direct_range(paddr_t start, paddr_t end)
{
	start = ALIGN_DOWN(start, PT_SIZE_2M);
	end = ALIGN_UP(end, PT_SIZE_2M);
	direct_ranges[direct_range_count++] = (struct mem_range){start, end};
	while (start < end) {
		bool whole_gb = !(start & (PT_SIZE_1G - 1)) && end - start >= PT_SIZE_1G;
		if (gb_pages && whole_gb &&
		    pt_map(kernel_space.pml4, DIRECT_MAP_BASE + start, start, PT_SIZE_1G,
			   PT_WRITE | PT_GLOBAL) == PT_OK) {
			start += PT_SIZE_1G;
			continue;
		}
		map_direct_page(start, PT_SIZE_2M);
		start += PT_SIZE_2M;
	}
}

static void map_direct(const struct boot_info *bi)
{
	map_direct_range(0, 1ull << 20); /* BIOS data and tables */
	for (size_t i = 0; i < bi->mmap_count; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (mb2_mem_is_ram(e->type) && e->base + e->length > e->base &&
		    e->base + e->length <= DIRECT_MAP_SIZE)
			map_direct_range(e->base, e->base + e->length);
	}
}

bool vm_direct_map_covers(paddr_t pa, size_t size)
{
	for (size_t i = 0; i < direct_range_count; i++) {
		if (pa >= direct_ranges[i].start && pa + size <= direct_ranges[i].end &&
		    pa + size >= pa)
			return true;
	}
	return false;
}

void paging_init(const struct boot_info *bi)
{
	uint32_t r[4];

	cpuid(0x80000001, 0, r);
	gb_pages = (r[3] >> 26) & 1;
	pt_set_nx_supported((rdmsr(MSR_EFER) & EFER_NXE) != 0);
	if (pt_alloc_table(&kernel_space.pml4) != 0)
		panic("paging: no frame for the kernel PML4");
	map_kernel_range(__text_start, __text_end, PT_EXEC);
	map_kernel_range(__rodata_start, __rodata_end, 0);
	map_kernel_range(__data_start, __bss_end, PT_WRITE);
	map_kernel_range(__ksyms_start, __kernel_end, 0);
	map_direct(bi);
	/* Pre-create the PDPTs of the device window and the kernel stack area,
	 * so the kernel half of every address space is fixed from now on. */
	if (pt_map(kernel_space.pml4, MMIO_WINDOW_BASE, 0, PT_SIZE_4K, 0) != 0 ||
	    pt_unmap(kernel_space.pml4, MMIO_WINDOW_BASE, NULL, NULL) != 0 ||
	    pt_map(kernel_space.pml4, KSTACK_AREA_BASE, 0, PT_SIZE_4K, 0) != 0 ||
	    pt_unmap(kernel_space.pml4, KSTACK_AREA_BASE, NULL, NULL) != 0)
		panic("paging: cannot set up the device window and stack area");
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_space.pml4);
	pmm_boot_pool_done();
	klog("paging: kernel tables active, %lu table frames, NX %s, 1 GiB pages %s\n", table_count,
	     (rdmsr(MSR_EFER) & EFER_NXE) ? "on" : "off", gb_pages ? "on" : "off");
}

void *vm_map_mmio(paddr_t pa, size_t size)
{
	paddr_t first = ALIGN_DOWN(pa, PAGE_SIZE);
	paddr_t last = ALIGN_UP(pa + size, PAGE_SIZE);

	if (size == 0 || last <= first ||
	    mmio_next + (last - first) > MMIO_WINDOW_BASE + MMIO_WINDOW_SIZE)
		return NULL;
	bool irq = irq_save();
	vaddr_t base = mmio_next;
	mmio_next += last - first;
	irq_restore(irq);
	for (paddr_t p = first; p < last; p += PAGE_SIZE) {
		if (pt_map(kernel_space.pml4, base + (p - first), p, PT_SIZE_4K,
			   PT_WRITE | PT_UNCACHED | PT_GLOBAL) != 0)
			return NULL;
	}
	return (void *)(base + (pa - first));
}

void *vm_map_mmio_page(paddr_t pa)
{
	void *va = NULL;
	bool irq = irq_save();

	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	for (size_t i = 0; i < mmio_page_count && !va; i++)
		if (mmio_pages[i].pa == pa)
			va = mmio_pages[i].va;
	if (!va && mmio_page_count < MMIO_PAGES_MAX && (va = vm_map_mmio(pa, PAGE_SIZE)))
		mmio_pages[mmio_page_count++] = (struct mmio_page){pa, va};
	irq_restore(irq);
	return va;
}

const void *vm_map_phys(paddr_t pa, size_t size)
{
	if (vm_direct_map_covers(pa, size))
		return phys_to_virt(pa);
	return vm_map_mmio(pa, size);
}

struct vm_space *vm_kernel_space(void)
{
	return &kernel_space;
}

int vm_space_create(struct vm_space *vs)
{
	vs->pages_mapped = 0;
	vs->tables = 0;
	return pt_create(kernel_space.pml4, &vs->pml4);
}

void vm_space_destroy(struct vm_space *vs)
{
	if (read_cr3() == vs->pml4)
		write_cr3(kernel_space.pml4);
	pt_destroy(vs->pml4);
	vs->pml4 = 0;
	vs->tables = 0;
}

int vm_map(struct vm_space *vs, vaddr_t va, paddr_t pa, unsigned rights)
{
	int err = pt_map(vs->pml4, va, pa, PT_SIZE_4K, rights);
	if (!err)
		vs->pages_mapped++;
	return err;
}

int vm_unmap(struct vm_space *vs, vaddr_t va, paddr_t *out_pa)
{
	int err = pt_unmap(vs->pml4, va, out_pa, NULL);
	if (err)
		return err;
	vs->pages_mapped--;
	invlpg(va); /* single CPU: the only TLB that can hold it is ours */
	return 0;
}

void vm_kernel_prune(vaddr_t va)
{
	if (pt_prune(kernel_space.pml4, va) == PT_OK)
		invlpg(va); /* also drops cached paging-structure entries */
}

int vm_lookup(struct vm_space *vs, vaddr_t va, paddr_t *out_pa, unsigned *out_rights)
{
	return pt_lookup(vs->pml4, va, out_pa, out_rights);
}

void vm_space_activate(struct vm_space *vs)
{
	if (read_cr3() != vs->pml4)
		write_cr3(vs->pml4);
}
