/* SPDX-License-Identifier: MIT */
/*
 * Self-tests of fixes at the edge of the kernel that ring 3 cannot reach
 * on this machine: an IRQ line the IOAPICs cannot route, and boot modules
 * handed out in place rather than copied.
 */
#include "boot/mb2.h"
#include "kernel/bootinfo.h"
#include "kernel/device.h"
#include "kernel/ipc.h"
#include "kernel/layout.h"
#include "kernel/mobj.h"
#include "kernel/pmm.h"
#include "kernel/string.h"
#include "sys/errors.h"
#include "test/test.h"

#define NO_SUCH_GSI 0x00FFFFF0u /* beyond every IOAPIC */

TEST(sec, irq_bind_unroutable, "a bind the IOAPIC refuses leaves the line masked and unlinked")
{
	struct irq line = {.gsi = NO_SUCH_GSI, .vector = 0x40};
	struct ntfn *n;

	T_ASSERT(ntfn_create(&n) == E_OK);
	T_ASSERT(irq_bind(&line, n, 1) == E_RANGE);
	bool unlinked = n->irqs == NULL && line.ntfn == NULL;
	kobj_put(&n->obj);
	T_ASSERT(unlinked);
	T_ASSERT(line.masked);
}

/* The module's bytes in the object's last page, then zeros. */
static bool tail_matches(struct mobj *m, paddr_t start, uint64_t size)
{
	const uint8_t *page = mobj_page(m, m->npages - 1);
	uint64_t tail = size % PAGE_SIZE;
	const uint8_t *module = phys_to_virt(start + size - tail);

	for (uint64_t i = 0; i < PAGE_SIZE; i++)
		if (page[i] != (i < tail ? module[i] : 0))
			return false;
	return true;
}

TEST(sec, boot_module_in_place,
     "a boot module's object shares its frames; only a partial page is copied")
{
	const struct boot_info *bi = kernel_boot_info();
	struct mobj *m;

	T_ASSERT(bi->module_count > 0);
	paddr_t start = bi->modules[0].start;
	uint64_t size = bi->modules[0].end - start, before = pmm_free_count();
	T_ASSERT(mobj_create_boot(start + 1, size, &m) == E_INVAL);
	T_ASSERT(mobj_create_boot(start, size, &m) == E_OK);
	T_ASSERT(m->pages[0] == start && m->borrowed == size / PAGE_SIZE);
	T_ASSERT(pmm_free_count() == before - (size % PAGE_SIZE ? 1 : 0));
	T_ASSERT(size % PAGE_SIZE == 0 || tail_matches(m, start, size));
	kobj_put(&m->obj);
	T_ASSERT(pmm_free_count() == before); /* the module's own frames were never freed */
}
