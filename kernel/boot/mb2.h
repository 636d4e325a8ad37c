/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 boot information parser. mb2_parse() walks the tag list that
 * GRUB hands the kernel and copies what the kernel needs (memory map,
 * modules, framebuffer, ACPI RSDP, command line, loader name) into a
 * fixed-size struct boot_info. The input is treated as hostile: every tag
 * size is checked against the bytes known to be readable, and anything odd
 * sets a named warning bit instead of being trusted.
 *
 * Pure portable C: no asm, no printing, no global state, so the same file
 * builds in the freestanding kernel and in the host unit tests.
 */
#pragma once

#include "kernel/types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

#define MB2_MAX_MMAP	128
#define MB2_MAX_MODULES 64 /* iso/mkiso.py refuses more */
#define MB2_RSDP_MAX	36

/* Errors returned by mb2_parse and mb2_check_magic (0 means success). */
#define MB2_EINVAL (-1) /* NULL argument, avail < 8, total_size < 8, or bad magic */
#define MB2_ETRUNC (-2) /* total_size claims more bytes than are readable */

/* Memory map entry types as the multiboot2 specification numbers them. */
enum mb2_mem_type {
	MB2_MEM_AVAILABLE = 1,
	MB2_MEM_RESERVED = 2,
	MB2_MEM_ACPI_RECLAIMABLE = 3,
	MB2_MEM_NVS = 4,
	MB2_MEM_BAD = 5,
};

/* Framebuffer types; only MB2_FB_RGB (direct colour) is usable by us. */
enum mb2_fb_type {
	MB2_FB_INDEXED = 0,
	MB2_FB_RGB = 1,
	MB2_FB_EGA_TEXT = 2,
};

/*
 * Warning bits in boot_info.warnings: one list, expanded into the enum and
 * into mb2_warning_name(). Each entry: name, bit number, short text.
 */
#define MB2_WARNING_LIST(X)                                                                        \
	X(MB2_WARN_NO_MMAP, 0, "no memory map tag")                                                \
	X(MB2_WARN_NO_FRAMEBUFFER, 1, "no framebuffer tag")                                        \
	X(MB2_WARN_NO_ACPI, 2, "no ACPI RSDP tag")                                                 \
	X(MB2_WARN_MMAP_TRUNCATED, 3, "memory map has more entries than fit")                      \
	X(MB2_WARN_BAD_MODULE, 4, "module with end < start or too short, skipped")                 \
	X(MB2_WARN_BAD_TAG, 5, "tag size < 8 or past the end; parsing stopped")                    \
	X(MB2_WARN_NO_END_TAG, 6, "tag list ends without an end tag")                              \
	X(MB2_WARN_FB_UNSUPPORTED, 7, "framebuffer is not direct RGB")                             \
	X(MB2_WARN_BAD_MMAP, 8, "memory map tag malformed (entry_size or length)")                 \
	X(MB2_WARN_BAD_MMAP_ENTRY, 9, "memory map entry wraps past 2^64, skipped")                 \
	X(MB2_WARN_TOO_MANY_MODULES, 10, "more modules than fit, extra skipped")                   \
	X(MB2_WARN_BAD_STRING, 11, "string not NUL-terminated within its tag")                     \
	X(MB2_WARN_BAD_FRAMEBUFFER, 12, "framebuffer tag malformed or geometry invalid")           \
	X(MB2_WARN_BAD_ACPI, 13, "ACPI RSDP tag too short, ignored")                               \
	X(MB2_WARN_DUPLICATE_TAG, 14, "a tag that should appear once appeared again, ignored")     \
	X(MB2_WARN_BAD_MEMINFO, 15, "basic meminfo tag too short, ignored")                        \
	X(MB2_WARN_UNALIGNED, 16, "info start or total_size not 8-byte aligned")                   \
	X(MB2_WARN_MMAP_FROM_MEMINFO, 17, "memory map synthesised from basic meminfo")

enum mb2_warning {
#define MB2_WARNING_ENUM(name, bit, text) name = 1u << (bit),
	MB2_WARNING_LIST(MB2_WARNING_ENUM)
#undef MB2_WARNING_ENUM
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum mb2_mem_type, or another value meaning reserved */
};

struct mb2_module {
	uint32_t start; /* physical, half-open [start, end) */
	uint32_t end;
	const char *cmdline; /* NULL if missing or not NUL-terminated */
};

struct mb2_framebuffer {
	bool present; /* a framebuffer tag was found */
	bool usable;  /* direct RGB with sane geometry */
	uint8_t type; /* enum mb2_fb_type */
	uint8_t bpp;
	uint64_t addr;
	uint32_t pitch; /* bytes per scan line */
	uint32_t width;
	uint32_t height;
	uint8_t red_pos, red_size;
	uint8_t green_pos, green_size;
	uint8_t blue_pos, blue_size;
};

struct boot_info {
	uint32_t total_size; /* of the multiboot2 information structure */
	uint32_t warnings;   /* MB2_WARN_* bits */

	const char *cmdline;	 /* tag 1; NULL if absent or malformed */
	const char *loader_name; /* tag 2; NULL if absent or malformed */

	bool has_meminfo; /* tag 4, in KiB: below 1 MiB and above 1 MiB */
	uint32_t mem_lower_kib;
	uint32_t mem_upper_kib;

	bool has_mmap; /* tag 6 gave entries, or see MB2_WARN_MMAP_FROM_MEMINFO */
	size_t mmap_count;
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];

	size_t module_count;
	struct mb2_module modules[MB2_MAX_MODULES];

	struct mb2_framebuffer fb;

	bool has_rsdp;	    /* tag 15 (preferred) or tag 14 */
	bool rsdp_from_new; /* came from tag 15 */
	uint8_t rsdp_revision;
	size_t rsdp_len; /* bytes valid in rsdp[]: 20 (old tag) or 36 (new tag) */
	uint8_t rsdp[MB2_RSDP_MAX];
};

/* Memory that holds RAM or firmware tables (available, ACPI reclaimable, NVS). */
static inline bool mb2_mem_is_ram(uint32_t type)
{
	return type == MB2_MEM_AVAILABLE || type == MB2_MEM_ACPI_RECLAIMABLE || type == MB2_MEM_NVS;
}

/* Returns 0 if eax holds the multiboot2 boot loader magic, else MB2_EINVAL. */
int mb2_check_magic(uint32_t eax);

/*
 * Parse the information structure at info, of which avail bytes are
 * readable. Returns 0 (check out->warnings), MB2_EINVAL or MB2_ETRUNC.
 * The info pointer need not be aligned. Strings in *out point into info.
 */
int mb2_parse(const void *info, size_t avail, struct boot_info *out);

/* Name of one MB2_WARN_* bit, or "unknown warning". */
const char *mb2_warning_name(uint32_t bit);
