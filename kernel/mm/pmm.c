/* SPDX-License-Identifier: MIT */
/*
 * The kernel's instance of the frame allocator. pmm_init turns the multiboot2
 * memory map into usable and reserved ranges, places the allocator metadata
 * and the boot page-table pool in usable RAM below 4 GiB (the only memory the
 * boot page tables reach), and builds the buddy free lists.
 */
#include "kernel/pmm.h"

#include "boot/mb2.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/frame.h"

#define BOOT_POOL_SIZE (512 * 1024)
#define BOOT_REACH     (4ull << 30) /* the boot page tables map 0..4 GiB */
#define MAX_RESERVED   (MB2_MAX_MMAP + MB2_MAX_MODULES + 8)

static struct frame_alloc frames;
static struct spinlock pmm_lock;
static paddr_t pool_next, pool_end;
static bool pool_active;

static size_t collect_usable(const struct boot_info *bi, struct mem_range *out, uint64_t *max_pfn)
{
	size_t n = 0;

	*max_pfn = 0;
	for (size_t i = 0; i < bi->mmap_count; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		paddr_t end = e->base + e->length;
		if (e->type != MB2_MEM_AVAILABLE || end <= e->base)
			continue;
		out[n++] = (struct mem_range){e->base, end};
		if (end / PAGE_SIZE > *max_pfn)
			*max_pfn = end / PAGE_SIZE;
	}
	if (*max_pfn > FRAME_MAX_PFN)
		*max_pfn = FRAME_MAX_PFN;
	return n;
}

static size_t collect_reserved(const struct boot_info *bi, paddr_t info_start, paddr_t info_end,
			       struct mem_range *out)
{
	size_t n = 0;

	out[n++] = (struct mem_range){0, 1ull << 20}; /* BIOS, real-mode structures */
	out[n++] = (struct mem_range){virt_to_phys(__kernel_start), virt_to_phys(__kernel_end)};
	out[n++] = (struct mem_range){info_start, info_end};
	for (size_t i = 0; i < bi->module_count; i++)
		out[n++] = (struct mem_range){bi->modules[i].start, bi->modules[i].end};
	/* A usable entry overlapping any other entry loses the overlap. */
	for (size_t i = 0; i < bi->mmap_count; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (e->type != MB2_MEM_AVAILABLE && e->base + e->length > e->base)
			out[n++] = (struct mem_range){e->base, e->base + e->length};
	}
	return n;
}

static size_t clip_below(const struct mem_range *in, size_t n, paddr_t limit, struct mem_range *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i].start < limit)
			out[m++] = (struct mem_range){in[i].start, MIN(in[i].end, limit)};
	}
	return m;
}

/* RAM-like ranges of the memory map (available, ACPI), kept for pmm_is_ram. */
static struct mem_range ram_ranges[MB2_MAX_MMAP];
static size_t ram_range_count;

static void remember_ram(const struct boot_info *bi)
{
	for (size_t i = 0; i < bi->mmap_count; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if (mb2_mem_is_ram(e->type) && e->base + e->length > e->base)
			ram_ranges[ram_range_count++] =
				(struct mem_range){e->base, e->base + e->length};
	}
}

bool pmm_is_ram(paddr_t pa)
{
	for (size_t i = 0; i < ram_range_count; i++)
		if (pa + PAGE_SIZE > ram_ranges[i].start && pa < ram_ranges[i].end)
			return true;
	return false;
}

void pmm_init(const struct boot_info *bi, paddr_t info_start, paddr_t info_end)
{
	static struct mem_range usable[MB2_MAX_MMAP], low[MB2_MAX_MMAP], reserved[MAX_RESERVED];
	static struct mem_range scratch[MB2_MAX_MMAP + MAX_RESERVED];
	uint64_t max_pfn;
	paddr_t meta;

	remember_ram(bi);
	size_t nu = collect_usable(bi, usable, &max_pfn);
	size_t nr = collect_reserved(bi, info_start, info_end, reserved);
	size_t meta_bytes = ALIGN_UP(frame_meta_size(max_pfn), PAGE_SIZE);
	size_t nl = clip_below(usable, nu, BOOT_REACH, low);
	if (nu == 0 ||
	    frame_pick_meta_region(low, nl, reserved, nr, meta_bytes + BOOT_POOL_SIZE, &meta) != 0)
		panic("pmm: no room for %zu bytes of frame metadata below 4 GiB", meta_bytes);
	reserved[nr++] = (struct mem_range){meta, meta + meta_bytes + BOOT_POOL_SIZE};
	pool_next = meta + meta_bytes;
	pool_end = pool_next + BOOT_POOL_SIZE;
	pool_active = true;
	if (frame_init(&frames, phys_to_virt(meta), meta_bytes, max_pfn) != 0 ||
	    frame_build(&frames, usable, nu, reserved, nr, scratch, ARRAY_SIZE(scratch)) != 0)
		panic("pmm: cannot build the frame allocator");
	klog("mm: frames free=%lu total=%lu (%lu KiB usable)\n", frame_free_count(&frames),
	     frame_total_count(&frames), frame_total_count(&frames) * (PAGE_SIZE / 1024));
}

int pmm_alloc_boot_or_frame(paddr_t *out)
{
	if (!pool_active)
		return pmm_alloc(out);
	if (pool_next >= pool_end)
		return -1;
	*out = pool_next;
	pool_next += PAGE_SIZE;
	return 0;
}

void pmm_boot_pool_done(void)
{
	pool_active = false;
}

int pmm_alloc(paddr_t *out)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	int err = frame_alloc_one(&frames, out);
	spin_unlock_irqrestore(&pmm_lock, irq);
	return err;
}

void pmm_free(paddr_t pa)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	int err = frame_free_one(&frames, pa);
	spin_unlock_irqrestore(&pmm_lock, irq);
	if (err)
		panic("pmm: bad free of frame 0x%lx: %d", pa, err);
}

int pmm_alloc_run(uint64_t nframes, uint64_t align_frames, paddr_t *out)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	int err = frame_alloc_run(&frames, nframes, align_frames, out);
	spin_unlock_irqrestore(&pmm_lock, irq);
	return err;
}

int pmm_alloc_run_below(uint64_t nframes, uint64_t align_frames, paddr_t limit, paddr_t *out)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	int err = frame_alloc_run_below(&frames, nframes, align_frames, limit, out);
	spin_unlock_irqrestore(&pmm_lock, irq);
	return err;
}

void pmm_free_run(paddr_t pa, uint64_t nframes)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	int err = frame_free_run(&frames, pa, nframes);
	spin_unlock_irqrestore(&pmm_lock, irq);
	if (err)
		panic("pmm: bad free of run 0x%lx+%lu: %d", pa, nframes, err);
}

uint64_t pmm_free_count(void)
{
	return frame_free_count(&frames);
}

uint64_t pmm_total_count(void)
{
	return frame_total_count(&frames);
}

bool pmm_check(void)
{
	bool irq = spin_lock_irqsave(&pmm_lock);
	bool ok = frame_check(&frames);
	spin_unlock_irqrestore(&pmm_lock, irq);
	return ok;
}
