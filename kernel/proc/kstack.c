/* SPDX-License-Identifier: MIT */
/*
 * Kernel stacks for threads, in their own virtual area: each slot is a
 * KSTACK_SIZE stack above an unmapped guard page, so an overflow faults
 * (and, with no stack left to push on, becomes a double fault on its IST
 * stack) instead of corrupting a neighbour. Free slots are kept on a stack.
 * A page table of the area left empty by a free is freed too, so a burst of
 * threads leaves no tables behind.
 */
#include "kernel/kstack.h"

#include "kernel/layout.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "sys/errors.h"

#define SLOT_SIZE   (KSTACK_SIZE + PAGE_SIZE)
#define SLOT_COUNT  65536u
#define STACK_PAGES (KSTACK_SIZE / PAGE_SIZE)

static uint32_t free_slots[SLOT_COUNT];
static uint32_t free_top;
static uint32_t never_used; /* slots below this have been handed out before */

static vaddr_t slot_base(uint32_t slot)
{
	return KSTACK_AREA_BASE + (uint64_t)slot * SLOT_SIZE + PAGE_SIZE; /* above the guard */
}

static int take_slot(uint32_t *out)
{
	if (free_top)
		*out = free_slots[--free_top];
	else if (never_used < SLOT_COUNT)
		*out = never_used++;
	else
		return E_NOMEM;
	return E_OK;
}

static void unmap_stack(vaddr_t base, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++) {
		paddr_t pa;
		if (vm_unmap(vm_kernel_space(), base + i * PAGE_SIZE, &pa) == 0)
			pmm_free(pa);
	}
	if (pages) { /* a stack spans at most two page tables */
		vm_kernel_prune(base);
		vm_kernel_prune(base + (pages - 1) * PAGE_SIZE);
	}
}

/* A zeroed frame at `va` (zeroed for the reason mm/kheap.c gives). */
static int map_zeroed_page(vaddr_t va)
{
	paddr_t pa;

	if (pmm_alloc(&pa))
		return E_NOMEM;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	if (vm_map(vm_kernel_space(), va, pa, PT_WRITE | PT_GLOBAL)) {
		pmm_free(pa);
		return E_NOMEM;
	}
	return E_OK;
}

int kstack_alloc(uintptr_t *top)
{
	uint32_t slot;

	if (take_slot(&slot))
		return E_NOMEM;
	vaddr_t base = slot_base(slot);
	for (uint64_t i = 0; i < STACK_PAGES; i++) {
		if (map_zeroed_page(base + i * PAGE_SIZE)) {
			unmap_stack(base, i);
			free_slots[free_top++] = slot;
			return E_NOMEM;
		}
	}
	*top = base + KSTACK_SIZE;
	return E_OK;
}

void kstack_free(uintptr_t top)
{
	vaddr_t base = top - KSTACK_SIZE;
	uint32_t slot = (uint32_t)((base - PAGE_SIZE - KSTACK_AREA_BASE) / SLOT_SIZE);

	unmap_stack(base, STACK_PAGES);
	free_slots[free_top++] = slot;
}

bool kstack_is_guard(vaddr_t va)
{
	if (va < KSTACK_AREA_BASE || va >= KSTACK_AREA_BASE + KSTACK_AREA_SIZE)
		return false;
	return ((va - KSTACK_AREA_BASE) % SLOT_SIZE) < PAGE_SIZE;
}
