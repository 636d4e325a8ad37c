/* SPDX-License-Identifier: MIT */
/*
 * Regions: memory objects mapped into a process. Each region holds a
 * reference to its memory object; regions never overlap, and unmapping
 * works on whole regions so a page is never half owned. The region record
 * and the page tables a mapping needs are charged to the process: the most
 * tables the range could need before mapping, and the unused part given back
 * after. Tables stay (and stay charged) until the address space goes.
 */
#include "kernel/account.h"
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/process.h"
#include "sys/errors.h"

#define USER_VA_MIN	 0x10000ull /* page 0 and its neighbours stay unmapped */
/* Address bits one entry of a level-`level` page table spans. */
#define PT_COVERS(level) (12 + 9 * (level))

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

/* Tables below the top one that mapping [va, va + size) could need at most. */
static uint64_t tables_needed(vaddr_t va, uint64_t size)
{
	uint64_t n = 0;

	for (int level = 1; level <= 3; level++)
		n += ((va + size - 1) >> PT_COVERS(level)) - (va >> PT_COVERS(level)) + 1;
	return n;
}

static int check_map(struct process *p, vaddr_t va, struct mobj *m, uint64_t first_page,
		     uint64_t npages)
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
	return E_OK;
}

/* Device memory is uncached, or write-combining when made so (framebuffers). */
static unsigned mobj_cache_rights(const struct mobj *m)
{
	if (!m->device)
		return 0;
	return m->write_combining ? PT_WRITE_COMBINING : PT_UNCACHED;
}

static int map_pages(struct process *p, vaddr_t va, struct mobj *m, uint64_t first_page,
		     uint64_t npages, unsigned rights)
{
	for (uint64_t i = 0; i < npages; i++) {
		unsigned pt = rights | PT_USER | mobj_cache_rights(m);
		if (vm_map(&p->vs, va + i * PAGE_SIZE, m->pages[first_page + i], pt)) {
			unmap_pages(p, va, i);
			return E_NOMEM;
		}
	}
	return E_OK;
}

int region_map(struct process *p, vaddr_t va, struct mobj *m, uint64_t first_page, uint64_t npages,
	       unsigned rights)
{
	int err = check_map(p, va, m, first_page, npages);

	if (err)
		return err;
	uint64_t worst = tables_needed(va, npages * PAGE_SIZE) * PAGE_SIZE + sizeof(struct region);
	if (account_charge(p->acct, worst))
		return E_QUOTA;
	struct region *r = kzalloc(sizeof(*r));
	uint64_t tables_before = vm_table_count();
	err = r ? map_pages(p, va, m, first_page, npages, rights) : E_NOMEM;
	uint64_t made = vm_table_count() - tables_before; /* kept even if mapping failed */
	p->vs.tables += made;
	account_uncharge(p->acct, worst - made * PAGE_SIZE - (err ? 0 : sizeof(*r)));
	if (err) {
		kfree(r);
		return err;
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
	account_uncharge(p->acct, sizeof(*r));
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
