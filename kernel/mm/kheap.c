/* SPDX-License-Identifier: MIT */
/*
 * The kernel's slab heap: kernel/mm/slab.c over frames from pmm, behind a
 * lock. A bad kfree is a kernel bug and panics with the pointer.
 */
#include "kernel/kheap.h"

#include "kernel/layout.h"
#include "kernel/panic.h"
#include "kernel/pmm.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

static struct slab_heap heap;
static struct spinlock heap_lock;
static uint64_t big_pages_live;

/*
 * Slab pages (and kernel stacks, proc/kstack.c) are zeroed when taken from
 * pmm: no stale data from their last use survives, and under QEMU TCG the
 * writes drop any translated code an exited program left in the frame.
 * Without that, every later write to such a page takes QEMU's slow path
 * (measured: the utest run took 3x the wall time).
 */
static void *heap_page_alloc(void *ctx)
{
	paddr_t pa;
	(void)ctx;
	if (pmm_alloc(&pa) != 0)
		return NULL;
	return memset(phys_to_virt(pa), 0, PAGE_SIZE);
}

static void heap_page_free(void *ctx, void *page)
{
	(void)ctx;
	pmm_free(virt_to_phys(page));
}

void kheap_init(void)
{
	static const struct slab_page_ops ops = {heap_page_alloc, heap_page_free, NULL};

	if (slab_init(&heap, &ops) != 0)
		panic("kheap: slab_init failed");
}

void *kmalloc(size_t size)
{
	bool irq = spin_lock_irqsave(&heap_lock);
	void *p = slab_alloc(&heap, size);
	spin_unlock_irqrestore(&heap_lock, irq);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	bool irq = spin_lock_irqsave(&heap_lock);
	int err = slab_free(&heap, p);
	spin_unlock_irqrestore(&heap_lock, irq);
	if (err)
		panic("kheap: bad kfree(%p): %d", p, err);
}

void kheap_stats(struct slab_stats *out)
{
	bool irq = spin_lock_irqsave(&heap_lock);
	slab_stats(&heap, out);
	spin_unlock_irqrestore(&heap_lock, irq);
}

void *kmem_zalloc(size_t size)
{
	if (size <= SLAB_MAX_SIZE)
		return kzalloc(size);
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	paddr_t pa;
	if (pmm_alloc_run(n, 1, &pa) != 0)
		return NULL;
	big_pages_live += n;
	return memset(phys_to_virt(pa), 0, n * PAGE_SIZE);
}

void kmem_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size <= SLAB_MAX_SIZE) {
		kfree(p);
		return;
	}
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	big_pages_live -= n;
	pmm_free_run(virt_to_phys(p), n);
}

uint64_t kmem_pages_live(void)
{
	return big_pages_live;
}
