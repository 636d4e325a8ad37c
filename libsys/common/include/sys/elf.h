/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executable validator, shared by the kernel (to start init) and the
 * loader server (everything else). elf_validate() checks a
 * whole file, treated as hostile, against the limits of one address space and
 * describes what to load: the entry point and the PT_LOAD segments. It maps
 * nothing and allocates nothing, so a rejected file leaves no trace. The
 * loader then walks each segment page by page with elf_segment_page().
 *
 * Only static x86-64 executables are accepted (ET_EXEC, no PT_INTERP, no
 * PT_DYNAMIC); PIE and shared objects (ET_DYN) are refused with their own
 * code. Rules chosen here:
 *  - a PT_LOAD with p_memsz 0 is skipped (nothing to map), after checking
 *    p_filesz <= p_memsz;
 *  - two segments that touch the same 4 KiB page overlap and are refused,
 *    so every page has exactly one set of permissions;
 *  - a segment that is both writable and executable is refused (W^X), and
 *    so is PT_GNU_STACK with PF_X;
 *  - p_vaddr and p_offset must agree modulo 4096 (and modulo p_align when
 *    p_align > 1), so file pages could be mapped directly;
 *  - the entry point must lie inside an executable segment;
 *  - section headers are never read; unknown segment types are ignored.
 *
 * Pure portable C with no library calls: every field is assembled byte by
 * byte, so an unaligned buffer is fine, and the file builds both in the
 * freestanding loader and in the host unit tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_PAGE_SIZE	 4096u
#define ELF_MAX_SEGMENTS 16  /* capacity of struct elf_image */
#define ELF_MAX_PHDRS	 128 /* e_phnum above this is refused */

/* Segment permissions in struct elf_segment.flags (the ELF PF_* values). */
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

/*
 * Every result of elf_validate() and elf_segment_page(): one list, expanded
 * into the enum and into elf_error_name(). Each entry: name, value, text.
 */
#define ELF_ERROR_LIST(X)                                                                          \
	X(ELF_OK, 0, "ok")                                                                         \
	X(ELF_ERR_ARGUMENT, -1, "NULL argument or page index out of range")                        \
	X(ELF_ERR_LIMITS, -2, "limits unaligned, empty or above ELF_MAX_SEGMENTS")                 \
	X(ELF_ERR_TRUNCATED, -3, "file smaller than the ELF header")                               \
	X(ELF_ERR_MAGIC, -4, "bad magic (not an ELF file)")                                        \
	X(ELF_ERR_CLASS, -5, "not ELFCLASS64")                                                     \
	X(ELF_ERR_ENDIAN, -6, "not little-endian")                                                 \
	X(ELF_ERR_VERSION, -7, "EI_VERSION or e_version is not 1")                                 \
	X(ELF_ERR_DYN_TYPE, -8, "ET_DYN (PIE or shared object): only static ET_EXEC is supported") \
	X(ELF_ERR_TYPE, -9, "e_type is not ET_EXEC")                                               \
	X(ELF_ERR_MACHINE, -10, "e_machine is not EM_X86_64")                                      \
	X(ELF_ERR_EHSIZE, -11, "e_ehsize is not 64")                                               \
	X(ELF_ERR_PHENTSIZE, -12, "e_phentsize is not 56")                                         \
	X(ELF_ERR_NO_PHDRS, -13, "e_phnum is 0")                                                   \
	X(ELF_ERR_PHNUM_XNUM, -14, "e_phnum is PN_XNUM (extended numbering unsupported)")          \
	X(ELF_ERR_TOO_MANY_PHDRS, -15, "e_phnum above ELF_MAX_PHDRS")                              \
	X(ELF_ERR_PHDRS_OUTSIDE, -16, "program header table extends past the file")                \
	X(ELF_ERR_INTERP, -17, "PT_INTERP present (dynamic linking unsupported)")                  \
	X(ELF_ERR_DYNAMIC, -18, "PT_DYNAMIC present (dynamic linking unsupported)")                \
	X(ELF_ERR_EXEC_STACK, -19, "PT_GNU_STACK asks for an executable stack")                    \
	X(ELF_ERR_SEG_FILESZ, -20, "segment p_filesz > p_memsz")                                   \
	X(ELF_ERR_SEG_OUTSIDE, -21, "segment file bytes extend past the file")                     \
	X(ELF_ERR_SEG_WX, -22, "segment is writable and executable (W^X)")                         \
	X(ELF_ERR_SEG_ALIGN, -23, "segment p_align is not a power of two")                         \
	X(ELF_ERR_SEG_ALIGN_MISMATCH, -24, "segment p_vaddr - p_offset not a multiple of p_align") \
	X(ELF_ERR_SEG_PAGE_MISMATCH, -25, "segment p_vaddr and p_offset differ modulo the page")   \
	X(ELF_ERR_SEG_WRAP, -26, "segment p_vaddr + p_memsz wraps around")                         \
	X(ELF_ERR_SEG_LOW, -27, "segment starts below user_lo")                                    \
	X(ELF_ERR_SEG_KERNEL, -28, "segment reaches user_hi (kernel space)")                       \
	X(ELF_ERR_TOO_MANY_SEGMENTS, -29, "more non-empty PT_LOAD segments than max_segments")     \
	X(ELF_ERR_NO_LOAD, -30, "no non-empty PT_LOAD segment")                                    \
	X(ELF_ERR_SEG_OVERLAP, -31, "two segments share a page")                                   \
	X(ELF_ERR_TOO_BIG, -32, "segments' pages add up to more than max_memsz")                   \
	X(ELF_ERR_ENTRY_OUTSIDE, -33, "entry point is in no segment")                              \
	X(ELF_ERR_ENTRY_NOT_EXEC, -34, "entry point is in a segment without PF_X")

enum elf_error {
#define ELF_ERROR_ENUM(name, value, text) name = (value),
	ELF_ERROR_LIST(ELF_ERROR_ENUM)
#undef ELF_ERROR_ENUM
};

/* What one address space allows. user_lo and user_hi must be page-aligned. */
struct elf_limits {
	uint64_t user_lo;      /* lowest address a segment may use (keeps page 0 unmapped) */
	uint64_t user_hi;      /* end of user space, exclusive */
	uint64_t max_memsz;    /* cap on the sum of the segments' page-rounded sizes */
	uint32_t max_segments; /* 1 .. ELF_MAX_SEGMENTS */
};

/* One non-empty PT_LOAD segment, checked. */
struct elf_segment {
	uint64_t vaddr;	 /* first byte, in [user_lo, user_hi) */
	uint64_t memsz;	 /* > 0; vaddr + memsz <= user_hi */
	uint64_t offset; /* file offset of the first byte */
	uint64_t filesz; /* <= memsz; offset + filesz <= file size; the rest is zero (bss) */
	uint64_t align;	 /* p_align as given (0 or a power of two) */
	uint32_t flags;	 /* ELF_SEG_R | ELF_SEG_W | ELF_SEG_X; never W and X together */
};

/* What elf_validate() found: segments in program header order. */
struct elf_image {
	uint64_t entry;
	uint64_t addr_lo;   /* page-aligned start of the lowest segment */
	uint64_t addr_hi;   /* page-aligned end of the highest segment, exclusive */
	uint64_t mem_total; /* sum of the segments' page-rounded sizes, in bytes */
	uint32_t segment_count;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/*
 * How to fill one page of a segment: zero the page, then copy copy_len bytes
 * from file offset file_off to page offset dst_off. copy_len 0 means the
 * page is all zeros (pure bss).
 */
struct elf_page_fill {
	uint64_t page;	   /* virtual address of the page */
	uint64_t file_off; /* meaningful only when copy_len > 0 */
	uint32_t dst_off;
	uint32_t copy_len;
};

/* The usual limits: user_lo 64 KiB, user_hi 2^47, 16 segments, 1 GiB. */
void elf_limits_default(struct elf_limits *lim);

/*
 * Check file[0, size) and describe it in *out. Returns ELF_OK or a negative
 * ELF_ERR_*; on error *out holds no segments (segment_count 0).
 */
int elf_validate(const void *file, size_t size, const struct elf_limits *lim,
		 struct elf_image *out);

/* Number of pages segment seg touches (at least 1 for a checked segment). */
uint64_t elf_segment_page_count(const struct elf_segment *seg);

/* Fill plan for page index (0 .. page_count - 1) of a checked segment. */
int elf_segment_page(const struct elf_segment *seg, uint64_t index, struct elf_page_fill *out);

/* The text for an error code ("unknown error" for a value not in the list). */
const char *elf_error_name(int err);
