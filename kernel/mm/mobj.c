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
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "sys/device.h"
#include "sys/errors.h"

#define MOBJ_4G	  (4ull << 30)
#define BELOW_RUN 512 /* pages per run of a large object below 4 GiB */

static void free_frames(struct mobj *m, uint64_t first, uint64_t end)
{
	for (uint64_t i = first; i < end; i++)
		pmm_free(m->pages[i]);
}

/*
 * Pages below a limit for an object that need not be contiguous, in runs of
 * up to BELOW_RUN pages (halved when none is free), so a large object costs
 * few walks of the free lists.
 */
static int alloc_below_in_runs(struct mobj *m, paddr_t limit)
{
	uint64_t run = BELOW_RUN;

	for (uint64_t i = 0; i < m->npages;) {
		uint64_t n = MIN(run, m->npages - i);
		paddr_t base;
		if (pmm_alloc_run_below(n, 1, limit, &base) != 0) {
			if (n == 1) {
				free_frames(m, 0, i);
				return E_NOMEM;
			}
			run = n / 2;
			continue;
		}
		for (uint64_t k = 0; k < n; k++, i++) {
			m->pages[i] = base + k * PAGE_SIZE;
			memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
		}
	}
	return E_OK;
}

static int alloc_contiguous(struct mobj *m, paddr_t limit)
{
	paddr_t base;

	if (pmm_alloc_run_below(m->npages, 1, limit, &base) != 0)
		return E_NOMEM;
	for (uint64_t i = 0; i < m->npages; i++) {
		m->pages[i] = base + i * PAGE_SIZE;
		memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
	}
	return E_OK;
}

static int alloc_frames(struct mobj *m, uint32_t flags)
{
	paddr_t limit = (flags & MOBJ_BELOW_4G) ? MOBJ_4G : PMM_NO_LIMIT;

	if (flags & MOBJ_CONTIGUOUS)
		return alloc_contiguous(m, limit);
	if (flags & MOBJ_BELOW_4G)
		return alloc_below_in_runs(m, limit);
	for (uint64_t i = 0; i < m->npages; i++) {
		if (pmm_alloc(&m->pages[i]) != 0) {
			free_frames(m, 0, i);
			return E_NOMEM;
		}
		memset(phys_to_virt(m->pages[i]), 0, PAGE_SIZE);
	}
	return E_OK;
}

int mobj_create_flags(uint64_t size, struct account *acct, uint32_t flags, struct mobj **out)
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
	if (!m || !m->pages || alloc_frames(m, flags)) {
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
	return mobj_create_flags(size, acct, 0, out);
}

/*
 * Live exclusive device objects (DEVMEM_EXCLUSIVE): no two cover the same
 * page, so a device's registers or the framebuffer have one holder at a time.
 */
static struct mobj *exclusive_list;
static struct spinlock exclusive_lock;

static bool exclusive_overlaps(paddr_t phys, uint64_t n)
{
	for (struct mobj *e = exclusive_list; e; e = e->exclusive_next)
		if (phys < e->pages[0] + e->npages * PAGE_SIZE &&
		    e->pages[0] < phys + n * PAGE_SIZE)
			return true;
	return false;
}

static int exclusive_claim(struct mobj *m)
{
	bool irq = spin_lock_irqsave(&exclusive_lock);
	bool busy = exclusive_overlaps(m->pages[0], m->npages);

	if (!busy) {
		m->exclusive_next = exclusive_list;
		exclusive_list = m;
		m->exclusive = true;
	}
	spin_unlock_irqrestore(&exclusive_lock, irq);
	return busy ? E_BUSY : E_OK;
}

static void exclusive_release(struct mobj *m)
{
	bool irq = spin_lock_irqsave(&exclusive_lock);

	for (struct mobj **link = &exclusive_list; *link; link = &(*link)->exclusive_next) {
		if (*link == m) {
			*link = m->exclusive_next;
			break;
		}
	}
	spin_unlock_irqrestore(&exclusive_lock, irq);
}

static int check_device_range(paddr_t phys, uint64_t size)
{
	if ((phys & PAGE_MASK) || size == 0 || size > (uint64_t)MOBJ_MAX_PAGES * PAGE_SIZE ||
	    phys + size < phys)
		return E_INVAL;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		if (pmm_is_ram(phys + off))
			return E_RANGE;
	return E_OK;
}

/* An object of n pages whose frames the caller names (device memory, a boot module). */
static struct mobj *alloc_over_memory(uint64_t n)
{
	struct mobj *m = kzalloc(sizeof(*m));

	if (!m || !(m->pages = kmem_zalloc(n * sizeof(paddr_t)))) {
		kfree(m);
		return NULL;
	}
	m->npages = n;
	return m;
}

int mobj_create_device(paddr_t phys, uint64_t size, uint32_t flags, struct mobj **out)
{
	int err = check_device_range(phys, size);

	if (err)
		return err;
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	struct mobj *m = alloc_over_memory(n);
	if (!m)
		return E_NOMEM;
	m->device = true;
	m->write_combining = (flags & DEVMEM_WC) != 0;
	for (uint64_t i = 0; i < n; i++)
		m->pages[i] = phys + i * PAGE_SIZE;
	if ((flags & DEVMEM_EXCLUSIVE) && exclusive_claim(m) != E_OK) {
		kmem_free(m->pages, n * sizeof(paddr_t));
		kfree(m);
		return E_BUSY;
	}
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
	struct mobj *m = alloc_over_memory(n);
	if (!m)
		return E_NOMEM;
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

	if (m->exclusive)
		exclusive_release(m);
	if (!m->device)
		free_frames(m, m->borrowed, m->npages);
	kmem_free(m->pages, m->npages * sizeof(paddr_t));
	if (m->acct) {
		account_uncharge(m->acct, m->npages * PAGE_SIZE);
		account_put(m->acct);
	}
	kfree(m);
}
