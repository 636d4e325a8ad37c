/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page tables. This layer only edits tables: it never flushes
 * the TLB and never touches a frame it did not allocate as a table, so it is
 * compiled into the host unit tests too. Table memory comes from three hooks
 * the caller provides (the kernel: frame allocator and direct map; the tests:
 * malloc). Callers flush the TLB as the return values tell them.
 */
#pragma once

#include "kernel/types.h"

/* Mapping rights, independent of the hardware bit layout. Read is implied. */
#define PT_WRITE	   (1u << 0)
#define PT_EXEC		   (1u << 1)
#define PT_USER		   (1u << 2)
#define PT_UNCACHED	   (1u << 3)
#define PT_GLOBAL	   (1u << 4)
#define PT_WRITE_COMBINING (1u << 5) /* 4 KiB pages only: PAT entry 4 (pt_set_pat_wc) */

#define PT_SIZE_4K (1ull << 12)
#define PT_SIZE_2M (1ull << 21)
#define PT_SIZE_1G (1ull << 30)

/* Hardware bits, exported for tests and for the boot code's checks. */
#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE   (1ull << 1)
#define PTE_USER    (1ull << 2)
#define PTE_PWT	    (1ull << 3)
#define PTE_PCD	    (1ull << 4)
#define PTE_HUGE    (1ull << 7)
#define PTE_PAT_4K  (1ull << 7) /* in a 4 KiB page's entry the same bit selects PAT entries 4-7 */
#define PTE_GLOBAL  (1ull << 8)
#define PTE_NX	    (1ull << 63)
#define PTE_ADDR    0x000FFFFFFFFFF000ull

enum {
	PT_OK = 0,
	PT_ENOMEM = -1, /* no frame for a table */
	PT_EINVAL = -2, /* unaligned, non-canonical, bad size or rights for that half */
	PT_EEXIST = -3, /* something is already mapped there */
	PT_ENOENT = -4, /* nothing mapped there */
};

/* Hooks: allocate a zeroed table frame, free one, and reach one by address. */
int pt_alloc_table(paddr_t *out);
void pt_free_table(paddr_t pa);
uint64_t *pt_table_virt(paddr_t pa);

/* Whether NX may be used (EFER.NXE set); without it PT_EXEC is implied. */
void pt_set_nx_supported(bool nx);
/*
 * Whether PAT entry 4 is write-combining (the kernel programs the PAT so at
 * boot, when the CPU has one). Without it PT_WRITE_COMBINING maps uncached.
 */
void pt_set_pat_wc(bool wc);

uint64_t pt_encode(paddr_t pa, unsigned rights, uint64_t size);
unsigned pt_decode_rights(uint64_t pte);
/* PT_WRITE_COMBINING if a leaf entry of this page size selects PAT entry 4 (pt_lookup adds it). */
unsigned pt_decode_wc(uint64_t pte, uint64_t size);
bool pt_is_canonical(vaddr_t va);
static inline unsigned pt_index(vaddr_t va, int level) /* level 3 = PML4 ... 0 = PT */
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* A new top-level table whose kernel half (slots 256-511) copies `kernel_pml4`. */
int pt_create(paddr_t kernel_pml4, paddr_t *out_pml4);
int pt_map(paddr_t pml4, vaddr_t va, paddr_t pa, uint64_t size, unsigned rights);
/* Unmap one page of any size; *out_pa and *out_size say what was there. */
int pt_unmap(paddr_t pml4, vaddr_t va, paddr_t *out_pa, uint64_t *out_size);
int pt_lookup(paddr_t pml4, vaddr_t va, paddr_t *out_pa, unsigned *out_rights);
/* Free the last-level table covering va if nothing is mapped in it (PT_OK);
 * PT_EEXIST if something is, PT_ENOENT if there is no such table. */
int pt_prune(paddr_t pml4, vaddr_t va);
/* Free every user-half table and the top table; leaf frames are the caller's. */
uint64_t pt_destroy(paddr_t pml4);
