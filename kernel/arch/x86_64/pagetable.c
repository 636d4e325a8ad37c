/* SPDX-License-Identifier: MIT */
/*
 * Page-table editing for x86-64 4-level paging: encode rights into entries,
 * walk and build the four levels, map and unmap 4 KiB, 2 MiB and 1 GiB pages,
 * and tear down a user address space. No TLB work and no policy here.
 */
#include "arch/pagetable.h"

#define LEVELS	      4
#define USER_HALF_END 256 /* PML4 slots 0-255 are user space */

static bool nx_supported = true;
static bool pat_wc;

void pt_set_nx_supported(bool nx)
{
	nx_supported = nx;
}

void pt_set_pat_wc(bool wc)
{
	pat_wc = wc;
}

/* Memory type bits: PAT entry 3 (uncached), or 4 (write-combining) for a 4 KiB page. */
static uint64_t encode_cache(unsigned rights, uint64_t size)
{
	bool wc = (rights & PT_WRITE_COMBINING) && !(rights & PT_UNCACHED);

	if (wc && pat_wc && size == PT_SIZE_4K)
		return PTE_PAT_4K;
	if (wc || (rights & PT_UNCACHED))
		return PTE_PCD | PTE_PWT;
	return 0;
}

bool pt_is_canonical(vaddr_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1FFFF;
}

static bool is_user_va(vaddr_t va)
{
	return (va >> 47) == 0;
}

uint64_t pt_encode(paddr_t pa, unsigned rights, uint64_t size)
{
	uint64_t e = (pa & PTE_ADDR) | PTE_PRESENT;

	if (rights & PT_WRITE)
		e |= PTE_WRITE;
	if (rights & PT_USER)
		e |= PTE_USER;
	e |= encode_cache(rights, size);
	if (rights & PT_GLOBAL)
		e |= PTE_GLOBAL;
	if (!(rights & PT_EXEC) && nx_supported)
		e |= PTE_NX;
	if (size != PT_SIZE_4K)
		e |= PTE_HUGE;
	return e;
}

unsigned pt_decode_rights(uint64_t pte)
{
	unsigned r = 0;

	if (pte & PTE_WRITE)
		r |= PT_WRITE;
	if (pte & PTE_USER)
		r |= PT_USER;
	if (pte & PTE_PCD)
		r |= PT_UNCACHED;
	if (pte & PTE_GLOBAL)
		r |= PT_GLOBAL;
	if (!(pte & PTE_NX))
		r |= PT_EXEC;
	return r;
}

unsigned pt_decode_wc(uint64_t pte, uint64_t size)
{
	bool pat4 = size == PT_SIZE_4K && (pte & PTE_PAT_4K) && !(pte & (PTE_PCD | PTE_PWT));

	return pat4 ? PT_WRITE_COMBINING : 0;
}

static int size_level(uint64_t size)
{
	switch (size) {
	case PT_SIZE_4K:
		return 0;
	case PT_SIZE_2M:
		return 1;
	case PT_SIZE_1G:
		return 2;
	default:
		return -1;
	}
}

/* Entry for va at `level`, creating missing tables above it when `create`. */
static int walk(paddr_t pml4, vaddr_t va, int level, bool create, uint64_t **out)
{
	uint64_t *table = pt_table_virt(pml4);
	uint64_t link = PTE_PRESENT | PTE_WRITE | (is_user_va(va) ? PTE_USER : 0);

	for (int l = LEVELS - 1; l > level; l--) {
		uint64_t *e = &table[pt_index(va, l)];
		if (!(*e & PTE_PRESENT)) {
			paddr_t t;
			if (!create)
				return PT_ENOENT;
			if (pt_alloc_table(&t) != 0)
				return PT_ENOMEM;
			*e = t | link;
		} else if (*e & PTE_HUGE) {
			return create ? PT_EEXIST : PT_ENOENT;
		}
		table = pt_table_virt(*e & PTE_ADDR);
	}
	*out = &table[pt_index(va, level)];
	return PT_OK;
}

static int check_map_args(vaddr_t va, paddr_t pa, uint64_t size, unsigned rights)
{
	int level = size_level(size);

	if (level < 0 || (va & (size - 1)) || (pa & (size - 1)) || (pa & ~PTE_ADDR))
		return PT_EINVAL;
	if (!pt_is_canonical(va) || !pt_is_canonical(va + size - 1))
		return PT_EINVAL;
	if (((rights & PT_USER) != 0) != is_user_va(va))
		return PT_EINVAL;
	return level;
}

int pt_map(paddr_t pml4, vaddr_t va, paddr_t pa, uint64_t size, unsigned rights)
{
	uint64_t *e;
	int level = check_map_args(va, pa, size, rights);

	if (level < 0)
		return level;
	int err = walk(pml4, va, level, true, &e);
	if (err)
		return err;
	if (*e & PTE_PRESENT)
		return PT_EEXIST;
	*e = pt_encode(pa, rights, size);
	return PT_OK;
}

/* The leaf entry mapping va, whatever its size. */
static int find_leaf(paddr_t pml4, vaddr_t va, uint64_t **out, uint64_t *size)
{
	if (!pt_is_canonical(va))
		return PT_EINVAL;
	uint64_t *table = pt_table_virt(pml4);
	for (int l = LEVELS - 1; l >= 0; l--) {
		uint64_t *e = &table[pt_index(va, l)];
		if (!(*e & PTE_PRESENT))
			return PT_ENOENT;
		if (l == 0 || (l < 3 && (*e & PTE_HUGE))) {
			*out = e;
			*size = 1ull << (12 + 9 * l);
			return PT_OK;
		}
		table = pt_table_virt(*e & PTE_ADDR);
	}
	return PT_ENOENT;
}

int pt_unmap(paddr_t pml4, vaddr_t va, paddr_t *out_pa, uint64_t *out_size)
{
	uint64_t *e, size;
	int err = find_leaf(pml4, va, &e, &size);

	if (err)
		return err;
	if (va & (size - 1))
		return PT_EINVAL;
	if (out_pa)
		*out_pa = *e & PTE_ADDR & ~(size - 1);
	if (out_size)
		*out_size = size;
	*e = 0;
	return PT_OK;
}

static bool table_empty(const uint64_t *t)
{
	for (unsigned i = 0; i < 512; i++)
		if (t[i])
			return false;
	return true;
}

int pt_prune(paddr_t pml4, vaddr_t va)
{
	uint64_t *pde;
	int err = walk(pml4, va, 1, false, &pde);

	if (err)
		return err;
	if (!(*pde & PTE_PRESENT) || (*pde & PTE_HUGE))
		return PT_ENOENT;
	paddr_t table = *pde & PTE_ADDR;
	if (!table_empty(pt_table_virt(table)))
		return PT_EEXIST;
	*pde = 0;
	pt_free_table(table);
	return PT_OK;
}

int pt_lookup(paddr_t pml4, vaddr_t va, paddr_t *out_pa, unsigned *out_rights)
{
	uint64_t *e, size;
	int err = find_leaf(pml4, va, &e, &size);

	if (err)
		return err;
	if (out_pa)
		*out_pa = (*e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
	if (out_rights)
		*out_rights = pt_decode_rights(*e) | pt_decode_wc(*e, size);
	return PT_OK;
}

int pt_create(paddr_t kernel_pml4, paddr_t *out_pml4)
{
	paddr_t t;

	if (pt_alloc_table(&t) != 0)
		return PT_ENOMEM;
	const uint64_t *k = pt_table_virt(kernel_pml4);
	uint64_t *n = pt_table_virt(t);
	for (unsigned i = USER_HALF_END; i < 512; i++)
		n[i] = k[i];
	*out_pml4 = t;
	return PT_OK;
}

/* Free the tables under one table entry at `level` (1 = PD ... 3 = PML4). */
static uint64_t free_subtree(paddr_t table_pa, int level)
{
	uint64_t freed = 0;
	uint64_t *t = pt_table_virt(table_pa);

	if (level > 0) {
		for (unsigned i = 0; i < 512; i++) {
			if ((t[i] & PTE_PRESENT) && !(t[i] & PTE_HUGE))
				freed += free_subtree(t[i] & PTE_ADDR, level - 1);
		}
	}
	pt_free_table(table_pa);
	return freed + 1;
}

uint64_t pt_destroy(paddr_t pml4)
{
	uint64_t freed = 0;
	uint64_t *t = pt_table_virt(pml4);

	for (unsigned i = 0; i < USER_HALF_END; i++) {
		if (t[i] & PTE_PRESENT)
			freed += free_subtree(t[i] & PTE_ADDR, 2);
		t[i] = 0;
	}
	pt_free_table(pml4);
	return freed + 1;
}
