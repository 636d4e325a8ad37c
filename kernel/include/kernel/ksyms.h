/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own symbol table, generated at build time from the first link
 * (kernel/gen_ksyms.py) and linked into .ksyms, so backtraces name functions.
 */
#pragma once

#include "kernel/types.h"

struct ksym {
	uint64_t addr;
	uint32_t size;
	uint32_t name_offset; /* into ksym_names */
};

extern const uint64_t ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

/* Find the function containing addr; returns its name and sets *offset, or NULL. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);
