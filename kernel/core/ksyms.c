/* SPDX-License-Identifier: MIT */
/*
 * Address-to-name lookup over the generated, address-sorted symbol table.
 */
#include "kernel/ksyms.h"

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	uint64_t lo = 0, hi = ksym_count;

	while (lo < hi) { /* first symbol with addr > target */
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct ksym *s = &ksym_table[lo - 1];
	if (addr - s->addr >= (s->size ? s->size : 1))
		return NULL;
	*offset = addr - s->addr;
	return &ksym_names[s->name_offset];
}
