/* SPDX-License-Identifier: MIT */
/*
 * Regions: memory objects mapped into a process. Each region holds a
 * reference to its memory object; regions never overlap, and unmapping
 * works on whole regions so a page is never half owned.
 */
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/process.h"
#include "sys/errors.h"

#define USER_VA_MIN 0x10000ull /* page 0 and its neighbours stay unmapped */

static bool overlaps(const struct process *p, vaddr_t va, uint64_t size)
{
	for (const struct region *r = p->regions; r; r = r->next) {
		if (va < r->va + r->npages * PAGE_SIZE && r->va < va + size)
			return true;
	}
	return false;
}

static void insert_sorted(struct process *p, struct region *n)
{
	struct region **link = &p->regions;

	while (*link && (*link)->va < n->va)
		link = &(*link)->next;
	n->next = *link;
	*link = n;
}

static void unmap_pages(struct process *p, vaddr_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		vm_unmap(&p->vs, va + i * PAGE_SIZE, NULL);
}

int region_map(struct process *p, vaddr_t va, struct mobj *m, uint64_t first_page,
	       uint64_t npages, unsigned rights)
{
	uint64_t size = npages * PAGE_SIZE;

	if ((va & PAGE_MASK) || npages == 0 || first_page + npages > m->npages ||
	    first_page + npages < first_page)
		return E_INVAL;
	if (va < USER_VA_MIN || va + size > USER_SPACE_END || va + size < va)
		return E_RANGE;
	if (p->exited)
		return E_CLOSED;
	if (overlaps(p, va, size))
		return E_EXISTS;
	struct region *r = kzalloc(sizeof(*r));
	if (!r)
		return E_NOMEM;
	for (uint64_t i = 0; i < npages; i++) {
		unsigned pt = rights | PT_USER | (m->device ? PT_UNCACHED : 0);
		if (vm_map(&p->vs, va + i * PAGE_SIZE, m->pages[first_page + i], pt)) {
			unmap_pages(p, va, i);
			kfree(r);
			return E_NOMEM;
		}
	}
	*r = (struct region){va, npages, m, first_page, rights, NULL};
	kobj_get(&m->obj);
	insert_sorted(p, r);
	return E_OK;
}

static void region_release(struct process *p, struct region *r)
{
	unmap_pages(p, r->va, r->npages);
	kobj_put(&r->mobj->obj);
	kfree(r);
}

int region_unmap(struct process *p, vaddr_t va, uint64_t size)
{
	struct region **link = &p->regions;
	int found = 0;

	if ((va & PAGE_MASK) || size == 0 || va + size < va)
		return E_INVAL;
	while (*link) {
		struct region *r = *link;
		bool inside = r->va >= va && r->va + r->npages * PAGE_SIZE <= va + size;
		if (inside) {
			*link = r->next;
			region_release(p, r);
			found++;
		} else {
			link = &r->next;
		}
	}
	return found ? E_OK : E_NOENT;
}

void region_unmap_all(struct process *p)
{
	while (p->regions) {
		struct region *r = p->regions;
		p->regions = r->next;
		region_release(p, r);
	}
}

void *region_kernel_page(struct process *p, vaddr_t va, unsigned rights, struct mobj **mobj)
{
	for (struct region *r = p->regions; r; r = r->next) {
		if (va < r->va || va >= r->va + r->npages * PAGE_SIZE)
			continue;
		if ((r->rights & rights) != rights || r->mobj->device)
			return NULL; /* device memory is not in the direct map */
		*mobj = r->mobj;
		return mobj_page(r->mobj, r->first_page + (va - r->va) / PAGE_SIZE);
	}
	return NULL;
}
