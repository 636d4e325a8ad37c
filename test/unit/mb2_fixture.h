/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the multiboot2 parser tests (kernel/boot/mb2.c): a small
 * builder that assembles information structures tag by tag in memory,
 * remembering where each tag ends, and build_good(), a complete structure
 * as GRUB would hand over. Include it from exactly one file per test
 * program, after check.h.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/boot/mb2.h"
#include "check.h"

#define BUILD_MAX 8192

/* An information structure under construction; tag_end[] remembers where each tag ends. */
struct mb_build {
	uint8_t buf[BUILD_MAX];
	size_t len;
	size_t tag_count;
	size_t tag_end[256];
	uint32_t tag_type[256];
};

static inline void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static inline void mb_init(struct mb_build *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

/* Append a tag with the given payload; size_override != 0 writes that size instead. */
static inline size_t mb_tag_sized(struct mb_build *b, uint32_t type, const void *payload,
				  size_t plen, uint32_t size_override)
{
	size_t off = b->len;
	uint32_t size = (uint32_t)(8 + plen);
	put32(b->buf + off, type);
	put32(b->buf + off + 4, size_override ? size_override : size);
	if (plen)
		memcpy(b->buf + off + 8, payload, plen);
	b->len = (off + size + 7) & ~(size_t)7;
	b->tag_type[b->tag_count] = type;
	b->tag_end[b->tag_count++] = off + size;
	return off;
}

static inline size_t mb_tag(struct mb_build *b, uint32_t type, const void *payload, size_t plen)
{
	return mb_tag_sized(b, type, payload, plen, 0);
}

static inline void mb_string(struct mb_build *b, uint32_t type, const char *s)
{
	mb_tag(b, type, s, strlen(s) + 1);
}

static inline void mb_module(struct mb_build *b, uint32_t start, uint32_t end, const char *cmd)
{
	uint8_t p[64] = {0};
	put32(p, start);
	put32(p + 4, end);
	size_t n = strlen(cmd) + 1;
	memcpy(p + 8, cmd, n);
	mb_tag(b, 3, p, 8 + n);
}

static inline void mb_meminfo(struct mb_build *b, uint32_t lower, uint32_t upper)
{
	uint8_t p[8];
	put32(p, lower);
	put32(p + 4, upper);
	mb_tag(b, 4, p, 8);
}

struct mmap_in {
	uint64_t base, len;
	uint32_t type;
};

/* A memory map tag with entries of entry_size bytes (extra bytes are 0xEE filler). */
static inline void mb_mmap(struct mb_build *b, uint32_t entry_size, const struct mmap_in *e,
			   size_t n)
{
	static uint8_t p[BUILD_MAX];
	memset(p, 0, sizeof(p));
	put32(p, entry_size);
	for (size_t i = 0; i < n; i++) {
		uint8_t *q = p + 8 + i * entry_size;
		put64(q, e[i].base);
		put64(q + 8, e[i].len);
		put32(q + 16, e[i].type);
		if (entry_size > 24)
			memset(q + 24, 0xEE, entry_size - 24);
	}
	mb_tag(b, 6, p, 8 + n * entry_size);
}

static inline void mb_fb(struct mb_build *b, uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h,
			 uint8_t bpp, uint8_t type, const uint8_t *fields, size_t nfields)
{
	uint8_t p[40] = {0};
	put64(p, addr);
	put32(p + 8, pitch);
	put32(p + 12, w);
	put32(p + 16, h);
	p[20] = bpp;
	p[21] = type;
	memcpy(p + 24, fields, nfields);
	mb_tag(b, 8, p, 24 + nfields);
}

static inline void make_rsdp(uint8_t *r, uint8_t revision)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "TESTOE", 6);
	r[15] = revision;
	put32(r + 16, 0xE0000);
	put32(r + 20, 36);
	put64(r + 24, 0xE1000);
}

static inline void mb_acpi(struct mb_build *b, bool is_new)
{
	uint8_t r[36];
	make_rsdp(r, is_new ? 2 : 0);
	mb_tag(b, is_new ? 15 : 14, r, is_new ? 36 : 20);
}

static inline void mb_finish(struct mb_build *b)
{
	mb_tag(b, 0, NULL, 0);
	put32(b->buf, (uint32_t)b->len);
}

static const struct mmap_in good_mmap[] = {
	{0x0, 0x9fc00, 1},	 {0x9fc00, 0x400, 2},	   {0x100000, 0x7ee0000, 1},
	{0x7fe0000, 0x20000, 3}, {0xfffc0000, 0x40000, 4}, {0x100000000ull, 0x1000, 5},
};

static const uint8_t rgb_fields[6] = {16, 8, 8, 8, 0, 8};

static inline void build_good(struct mb_build *b)
{
	mb_init(b);
	mb_string(b, 1, "console=ttyS0 debug");
	mb_string(b, 2, "GRUB 2.06");
	mb_meminfo(b, 639, 130048);
	mb_mmap(b, 24, good_mmap, ARRAY_SIZE(good_mmap));
	mb_module(b, 0x200000, 0x210000, "init");
	mb_module(b, 0x210000, 0x218123, "fat --ro");
	mb_fb(b, 0xfd000000, 4096, 1024, 768, 32, 1, rgb_fields, 6);
	mb_acpi(b, false);
	mb_acpi(b, true);
	mb_tag(b, 21, "\0\0\0\0", 4); /* load base address: ignored */
	mb_finish(b);
}

static struct boot_info bi;
