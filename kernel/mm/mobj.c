/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: eager, zeroed page sets with a page list. Mapping and
 * unmapping them in address spaces is proc/region.c's job.
 */
#include "kernel/mobj.h"

#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "sys/errors.h"

static void free_pages(struct mobj *m, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		pmm_free(m->pages[i]);
	kmem_free(m->pages, m->npages * sizeof(paddr_t));
}

int mobj_create(uint64_t size, struct mobj **out)
{
	if (size == 0 || size > (uint64_t)MOBJ_MAX_PAGES * PAGE_SIZE)
		return E_INVAL; /* checked before rounding up, which could wrap to 0 */
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

	if (n > pmm_free_count())
		return E_NOMEM;
	struct mobj *m = kzalloc(sizeof(*m));
	if (!m)
		return E_NOMEM;
	m->npages = n;
	m->pages = kmem_zalloc(n * sizeof(paddr_t));
	if (!m->pages) {
		kfree(m);
		return E_NOMEM;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (pmm_alloc(&m->pages[i]) != 0) {
			free_pages(m, i);
			kfree(m);
			return E_NOMEM;
		}
		memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
	}
	kobj_init(&m->obj, KOBJ_MOBJ);
	*out = m;
	return E_OK;
}

int mobj_create_from(const void *src, uint64_t size, struct mobj **out)
{
	int err = mobj_create(size, out);

	if (err)
		return err;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		memcpy(mobj_page(*out, off / PAGE_SIZE), (const char *)src + off,
		       MIN(PAGE_SIZE, size - off));
	return E_OK;
}

void *mobj_page(struct mobj *m, uint64_t index)
{
	return phys_to_virt(m->pages[index]);
}

void mobj_destroy(struct kobj *o)
{
	struct mobj *m = (struct mobj *)o;

	free_pages(m, m->npages);
	kfree(m);
}
