/* SPDX-License-Identifier: MIT */
/*
 * Memory objects: eager, zeroed page sets with a page list, or borrowed
 * frames (device memory, boot modules). Mapping and unmapping them in
 * address spaces is proc/region.c's job.
 */
#include "kernel/mobj.h"

#include "kernel/account.h"
#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "sys/errors.h"

static void free_frames(struct mobj *m, uint64_t first, uint64_t end)
{
	for (uint64_t i = first; i < end; i++)
		pmm_free(m->pages[i]);
}

static int alloc_frames(struct mobj *m, bool contiguous)
{
	if (contiguous) {
		paddr_t base;
		if (pmm_alloc_run(m->npages, 1, &base) != 0)
			return E_NOMEM;
		for (uint64_t i = 0; i < m->npages; i++) {
			m->pages[i] = base + i * PAGE_SIZE;
			memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
		}
		return E_OK;
	}
	for (uint64_t i = 0; i < m->npages; i++) {
		if (pmm_alloc(&m->pages[i]) != 0) {
			free_frames(m, 0, i);
			return E_NOMEM;
		}
		memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
	}
	return E_OK;
}

static int create(uint64_t size, struct account *acct, bool contiguous, struct mobj **out)
{
	if (size == 0 || size > (uint64_t)MOBJ_MAX_PAGES * PAGE_SIZE)
		return E_INVAL; /* checked before rounding up, which could wrap to 0 */
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

	if (n > pmm_free_count())
		return E_NOMEM;
	if (acct && account_charge(acct, n * PAGE_SIZE))
		return E_QUOTA;
	struct mobj *m = kzalloc(sizeof(*m));
	if (m) {
		m->npages = n;
		m->pages = kmem_zalloc(n * sizeof(paddr_t));
	}
	if (!m || !m->pages || alloc_frames(m, contiguous)) {
		if (m && m->pages)
			kmem_free(m->pages, n * sizeof(paddr_t));
		kfree(m);
		if (acct)
			account_uncharge(acct, n * PAGE_SIZE);
		return E_NOMEM;
	}
	m->acct = acct;
	if (acct)
		account_get(acct);
	kobj_init(&m->obj, KOBJ_MOBJ);
	*out = m;
	return E_OK;
}

int mobj_create(uint64_t size, struct account *acct, struct mobj **out)
{
	return create(size, acct, false, out);
}

int mobj_create_contiguous(uint64_t size, struct account *acct, struct mobj **out)
{
	return create(size, acct, true, out);
}

int mobj_create_device(paddr_t phys, uint64_t size, struct mobj **out)
{
	if ((phys & PAGE_MASK) || size == 0 || size > (uint64_t)MOBJ_MAX_PAGES * PAGE_SIZE ||
	    phys + size < phys)
		return E_INVAL;
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	for (uint64_t i = 0; i < n; i++)
		if (pmm_is_ram(phys + i * PAGE_SIZE))
			return E_RANGE;
	struct mobj *m = kzalloc(sizeof(*m));
	if (!m || !(m->pages = kmem_zalloc(n * sizeof(paddr_t)))) {
		kfree(m);
		return E_NOMEM;
	}
	m->npages = n;
	m->device = true;
	for (uint64_t i = 0; i < n; i++)
		m->pages[i] = phys + i * PAGE_SIZE;
	kobj_init(&m->obj, KOBJ_MOBJ);
	*out = m;
	return E_OK;
}

/* The module's last, partial page as a fresh zeroed frame holding its bytes. */
static int copy_tail(struct mobj *m, paddr_t phys, uint64_t size)
{
	uint64_t last = size / PAGE_SIZE;

	if (pmm_alloc(&m->pages[last]) != 0)
		return E_NOMEM;
	void *page = memset(phys_to_virt(m->pages[last]), 0, PAGE_SIZE);
	memcpy(page, phys_to_virt(phys + last * PAGE_SIZE), size % PAGE_SIZE);
	return E_OK;
}

/*
 * A boot module in place: its frames stay reserved for ever (pmm.c), so the
 * object borrows its whole pages instead of copying them. Only the partial
 * last page is copied, so what follows the module in that page (boot
 * information) never reaches user space.
 */
int mobj_create_boot(paddr_t phys, uint64_t size, struct mobj **out)
{
	if ((phys & PAGE_MASK) || size == 0 || size > (uint64_t)MOBJ_MAX_PAGES * PAGE_SIZE)
		return E_INVAL;
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	struct mobj *m = kzalloc(sizeof(*m));
	if (!m || !(m->pages = kmem_zalloc(n * sizeof(paddr_t)))) {
		kfree(m);
		return E_NOMEM;
	}
	m->npages = n;
	m->borrowed = size / PAGE_SIZE;
	for (uint64_t i = 0; i < m->borrowed; i++)
		m->pages[i] = phys + i * PAGE_SIZE;
	if (m->borrowed < n && copy_tail(m, phys, size)) {
		kmem_free(m->pages, n * sizeof(paddr_t));
		kfree(m);
		return E_NOMEM;
	}
	kobj_init(&m->obj, KOBJ_MOBJ);
	*out = m;
	return E_OK;
}

uint64_t mobj_meta_bytes(const struct mobj *m)
{
	return sizeof(*m) + m->npages * sizeof(paddr_t);
}

void *mobj_page(struct mobj *m, uint64_t index)
{
	return phys_to_virt(m->pages[index]);
}

void mobj_destroy(struct kobj *o)
{
	struct mobj *m = (struct mobj *)o;

	if (!m->device)
		free_frames(m, m->borrowed, m->npages);
	kmem_free(m->pages, m->npages * sizeof(paddr_t));
	if (m->acct) {
		account_uncharge(m->acct, m->npages * PAGE_SIZE);
		account_put(m->acct);
	}
	kfree(m);
}
