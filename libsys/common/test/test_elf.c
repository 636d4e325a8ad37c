/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the loader's ELF64 validator (servers/loader/elf.c).
 * A small builder lays out a static executable in memory (file header,
 * program headers, segment bytes); the tests check a good file's description
 * field by field, then apply one table-driven edit per rejection and expect
 * that exact error code. Truncation at every length and 50,000 random
 * mutations follow; every file is handed over in an exact-size heap copy, so
 * ASan catches any read past the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../include/sys/elf.h"
#include "check.h"
#include "sys/units.h"

#define T_SIZE	    0x2180u /* the good file's size; its last segment ends exactly here */
#define T_MAX_SIZE  0x3000u
#define T_PHOFF	    64u
#define T_NPH	    7u
#define T_PHDRS_END (T_PHOFF + T_NPH * 56u)
#define PAGE	    4096u
#define FUZZ_ROUNDS 50000

enum { PF_X = 1, PF_W = 2, PF_R = 4 };
enum { PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551 };

/* File header fields the builder writes, with their offset and width. */
enum { H_TYPE, H_MACHINE, H_VERSION, H_ENTRY, H_PHOFF, H_EHSIZE, H_PHENTSIZE, H_PHNUM, H_COUNT };
/* Program header fields; p_paddr is written as a copy of p_vaddr. */
enum { P_TYPE, P_FLAGS, P_OFFSET, P_VADDR, P_FILESZ, P_MEMSZ, P_ALIGN, P_COUNT };

struct layout {
	uint8_t off, bytes;
};

static const struct layout h_layout[H_COUNT] = {{16, 2}, {18, 2}, {20, 4}, {24, 8},
						{32, 8}, {52, 2}, {54, 2}, {56, 2}};
static const struct layout p_layout[P_COUNT] = {{0, 4},	 {4, 4},  {8, 8}, {16, 8},
						{32, 8}, {40, 8}, {48, 8}};

/* A file under construction. */
struct telf {
	uint8_t ident[16];
	uint64_t hdr[H_COUNT];
	uint64_t ph[T_NPH][P_COUNT];
	size_t size;
};

static void put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void telf_good(struct telf *t)
{
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
	static const uint64_t hdr[H_COUNT] = {2, 62, 1, 0x401010, T_PHOFF, 64, 56, T_NPH};
	static const uint64_t ph[T_NPH][P_COUNT] = {
		{PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x234, 0x234, 0x1000},
		{PT_LOAD, PF_R, 0x2000, 0x402000, 0x100, 0x100, 0x1000},
		{PT_LOAD, PF_R | PF_W, 0x2100, 0x403100, 0x80, 0x3000, 0x1000},
		{PT_NOTE, PF_R, 0x200, 0x400200, 0x20, 0x20, 4},
		{PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16},
		{PT_LOAD, PF_R, 0, 0, 0, 0, 0x1000}, /* empty: skipped, though at 0 */
		{0x70000001, 0xffffffff, ~0ull, ~0ull, ~0ull, 1, 3}, /* unknown: ignored */
	};

	memcpy(t->ident, ident, sizeof(ident));
	memcpy(t->hdr, hdr, sizeof(hdr));
	memcpy(t->ph, ph, sizeof(ph));
	t->size = T_SIZE;
}

/* Lay the file out in buf (T_MAX_SIZE bytes); other bytes are a position pattern. */
static void telf_write(const struct telf *t, uint8_t *buf)
{
	for (size_t i = 0; i < T_MAX_SIZE; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	memset(buf + 16, 0, 48);
	memcpy(buf, t->ident, 16);
	for (unsigned f = 0; f < H_COUNT; f++)
		put(buf + h_layout[f].off, t->hdr[f], h_layout[f].bytes);
	for (unsigned i = 0; i < T_NPH; i++) {
		uint8_t *p = buf + T_PHOFF + i * 56;
		for (unsigned f = 0; f < P_COUNT; f++)
			put(p + p_layout[f].off, t->ph[i][f], p_layout[f].bytes);
		put(p + 24, t->ph[i][P_VADDR], 8);
	}
}

/* Validate the first len bytes of buf from an exact-size heap copy. */
static int validate_copy(const uint8_t *buf, size_t len, const struct elf_limits *lim,
			 struct elf_image *img)
{
	uint8_t *copy = malloc(len ? len : 1);
	int err;

	memcpy(copy, buf, len);
	err = elf_validate(copy, len, lim, img);
	free(copy);
	return err;
}

static int telf_validate(const struct telf *t, const struct elf_limits *lim, struct elf_image *img)
{
	static uint8_t buf[T_MAX_SIZE];

	telf_write(t, buf);
	return validate_copy(buf, t->size, lim, img);
}

/* The good file in buf and the default limits. */
static void good_setup(uint8_t *buf, struct elf_limits *lim)
{
	struct telf t;

	telf_good(&t);
	telf_write(&t, buf);
	elf_limits_default(lim);
}

static void test_good_file(void)
{
	struct telf t;
	struct elf_limits lim;
	struct elf_image img;

	telf_good(&t);
	elf_limits_default(&lim);
	CHECK_EQ(telf_validate(&t, &lim, &img), ELF_OK);
	CHECK_EQ(img.entry, 0x401010);
	CHECK_EQ(img.segment_count, 3);
	CHECK_EQ(img.addr_lo, 0x401000);
	CHECK_EQ(img.addr_hi, 0x407000);
	CHECK_EQ(img.mem_total, 0x6000);
	for (unsigned i = 0; i < 3; i++) {
		const struct elf_segment *s = &img.segments[i];
		CHECK_EQ(s->vaddr, t.ph[i][P_VADDR]);
		CHECK_EQ(s->memsz, t.ph[i][P_MEMSZ]);
		CHECK_EQ(s->offset, t.ph[i][P_OFFSET]);
		CHECK_EQ(s->filesz, t.ph[i][P_FILESZ]);
		CHECK_EQ(s->align, t.ph[i][P_ALIGN]);
		CHECK_EQ(s->flags, t.ph[i][P_FLAGS]);
	}
}

/* One edit of the good file or of the limits; a case applies up to four. */
enum edit_kind { K_NONE, K_IDENT, K_HDR, K_PH, K_SIZE, K_LO, K_HI, K_MAXSEG, K_MAXMEM };

struct edit {
	uint8_t kind, index, field;
	uint64_t value;
};

struct edit_case {
	int expect;
	const char *what;
	struct edit e[4];
};

static void apply_edit(struct telf *t, struct elf_limits *lim, const struct edit *e)
{
	if (e->kind == K_IDENT)
		t->ident[e->index] = (uint8_t)e->value;
	else if (e->kind == K_HDR)
		t->hdr[e->field] = e->value;
	else if (e->kind == K_PH)
		t->ph[e->index][e->field] = e->value;
	else if (e->kind == K_SIZE)
		t->size = (size_t)e->value;
	else if (e->kind == K_LO)
		lim->user_lo = e->value;
	else if (e->kind == K_HI)
		lim->user_hi = e->value;
	else if (e->kind == K_MAXSEG)
		lim->max_segments = (uint32_t)e->value;
	else if (e->kind == K_MAXMEM)
		lim->max_memsz = e->value;
}

/* clang-format off */
#define ID(i, v)    {K_IDENT, (i), 0, (uint64_t)(v)}
#define HD(f, v)    {K_HDR, 0, (f), (uint64_t)(v)}
#define PH(i, f, v) {K_PH, (i), (f), (uint64_t)(v)}
#define LIM(k, v)   {(k), 0, 0, (uint64_t)(v)}
/* clang-format on */
#define M64 UINT64_MAX

static const struct edit_case edit_cases[] = {
	{ELF_OK, "good file", {LIM(K_NONE, 0)}},
	{ELF_OK, "OSABI GNU, extra p_flags bits", {ID(7, 3), PH(1, P_FLAGS, 0xff00004)}},
	{ELF_OK, "ends at user_hi", {PH(2, P_VADDR, 0x7fffffffd100), PH(2, P_MEMSZ, 0x2f00)}},
	{ELF_OK, "big congruent p_align", {PH(0, P_ALIGN, 0x200000)}},
	{ELF_OK, "p_align 0 and 1", {PH(0, P_ALIGN, 0), PH(1, P_ALIGN, 1)}},
	{ELF_OK, "entry at last text byte", {HD(H_ENTRY, 0x401233)}},
	{ELF_OK, "max_memsz == total", {LIM(K_MAXMEM, 0x6000)}},
	{ELF_OK, "max_segments == 3", {LIM(K_MAXSEG, 3)}},
	{ELF_OK, "out of order", {PH(0, P_VADDR, 0x501000), HD(H_ENTRY, 0x501000)}},
	{ELF_OK, "touching at a page boundary", {PH(0, P_MEMSZ, 0x1000)}},
	{ELF_ERR_LIMITS, "user_lo unaligned", {LIM(K_LO, 0x10001)}},
	{ELF_ERR_LIMITS, "user_hi unaligned", {LIM(K_HI, 0x7fffffffffff)}},
	{ELF_ERR_LIMITS, "user_lo >= user_hi", {LIM(K_HI, 0x10000)}},
	{ELF_ERR_LIMITS, "max_segments 0", {LIM(K_MAXSEG, 0)}},
	{ELF_ERR_LIMITS, "max_segments too big", {LIM(K_MAXSEG, ELF_MAX_SEGMENTS + 1)}},
	{ELF_ERR_LIMITS, "max_memsz 0", {LIM(K_MAXMEM, 0)}},
	{ELF_ERR_TRUNCATED, "63 bytes", {LIM(K_SIZE, 63)}},
	{ELF_ERR_TRUNCATED, "empty file", {LIM(K_SIZE, 0)}},
	{ELF_ERR_MAGIC, "bad magic", {ID(1, 'e')}},
	{ELF_ERR_CLASS, "ELFCLASS32", {ID(4, 1)}},
	{ELF_ERR_ENDIAN, "big-endian", {ID(5, 2)}},
	{ELF_ERR_VERSION, "EI_VERSION 0", {ID(6, 0)}},
	{ELF_ERR_VERSION, "e_version 2", {HD(H_VERSION, 2)}},
	{ELF_ERR_DYN_TYPE, "ET_DYN", {HD(H_TYPE, 3)}},
	{ELF_ERR_TYPE, "ET_REL", {HD(H_TYPE, 1)}},
	{ELF_ERR_TYPE, "ET_CORE", {HD(H_TYPE, 4)}},
	{ELF_ERR_MACHINE, "EM_386", {HD(H_MACHINE, 3)}},
	{ELF_ERR_EHSIZE, "e_ehsize 52", {HD(H_EHSIZE, 52)}},
	{ELF_ERR_PHENTSIZE, "e_phentsize 32", {HD(H_PHENTSIZE, 32)}},
	{ELF_ERR_NO_PHDRS, "e_phnum 0", {HD(H_PHNUM, 0)}},
	{ELF_ERR_PHNUM_XNUM, "e_phnum PN_XNUM", {HD(H_PHNUM, 0xffff)}},
	{ELF_ERR_TOO_MANY_PHDRS, "e_phnum 129", {HD(H_PHNUM, ELF_MAX_PHDRS + 1)}},
	{ELF_ERR_PHDRS_OUTSIDE, "table past the end", {HD(H_PHOFF, T_SIZE - 100)}},
	{ELF_ERR_PHDRS_OUTSIDE, "e_phoff at the end", {HD(H_PHOFF, T_SIZE)}},
	{ELF_ERR_PHDRS_OUTSIDE, "e_phoff near 2^64", {HD(H_PHOFF, M64 - 10)}},
	{ELF_ERR_PHDRS_OUTSIDE, "one byte short", {HD(H_PHOFF, T_SIZE - T_NPH * 56 + 1)}},
	{ELF_ERR_INTERP, "PT_INTERP", {PH(6, P_TYPE, PT_INTERP)}},
	{ELF_ERR_DYNAMIC, "PT_DYNAMIC", {PH(6, P_TYPE, PT_DYNAMIC)}},
	{ELF_ERR_EXEC_STACK, "PT_GNU_STACK RWX", {PH(4, P_FLAGS, PF_R | PF_W | PF_X)}},
	{ELF_ERR_SEG_FILESZ, "filesz > memsz", {PH(1, P_FILESZ, 0x101)}},
	{ELF_ERR_SEG_FILESZ, "empty with filesz", {PH(5, P_FILESZ, 1)}},
	{ELF_ERR_SEG_OUTSIDE, "one byte past the end", {PH(2, P_FILESZ, 0x81)}},
	{ELF_ERR_SEG_OUTSIDE, "offset past the end", {PH(1, P_OFFSET, T_SIZE + 0x1000)}},
	{ELF_ERR_SEG_OUTSIDE, "offset + filesz wraps", {PH(1, P_OFFSET, M64 - 0x7f)}},
	{ELF_ERR_SEG_OUTSIDE, "filesz 2^64-1", {PH(1, P_FILESZ, M64), PH(1, P_MEMSZ, M64)}},
	{ELF_ERR_SEG_WX, "RWX", {PH(2, P_FLAGS, PF_R | PF_W | PF_X)}},
	{ELF_ERR_SEG_WX, "WX without R", {PH(0, P_FLAGS, PF_W | PF_X)}},
	{ELF_ERR_SEG_ALIGN, "p_align 0x1001", {PH(0, P_ALIGN, 0x1001)}},
	{ELF_ERR_SEG_ALIGN, "p_align 2^64-1", {PH(0, P_ALIGN, M64)}},
	{ELF_ERR_SEG_ALIGN_MISMATCH, "vaddr-offset % align", {PH(2, P_ALIGN, 0x2000)}},
	{ELF_ERR_SEG_ALIGN_MISMATCH, "p_align 2^63", {PH(0, P_ALIGN, 1ull << 63)}},
	{ELF_ERR_SEG_PAGE_MISMATCH, "align 16", {PH(1, P_ALIGN, 16), PH(1, P_OFFSET, 0x2010)}},
	{ELF_ERR_SEG_PAGE_MISMATCH, "align 0", {PH(1, P_ALIGN, 0), PH(1, P_VADDR, 0x402008)}},
	{ELF_ERR_SEG_WRAP, "memsz 2^64-1", {PH(2, P_MEMSZ, M64)}},
	{ELF_ERR_SEG_WRAP, "end exactly 2^64", {PH(2, P_MEMSZ, 0 - 0x403100ull)}},
	{ELF_ERR_SEG_LOW, "page 0", {PH(0, P_VADDR, 0x1000)}},
	{ELF_ERR_SEG_LOW, "just below user_lo", {PH(0, P_VADDR, 0xf000)}},
	{ELF_ERR_SEG_KERNEL, "> user_hi", {PH(2, P_VADDR, 0x7ffffffff100), PH(2, P_MEMSZ, 4096)}},
	{ELF_ERR_SEG_KERNEL, "kernel half", {PH(0, P_VADDR, 0xffffffff80001000)}},
	{ELF_ERR_SEG_KERNEL, "non-canonical hole", {PH(1, P_VADDR, 0x0000800000000000)}},
	{ELF_ERR_TOO_MANY_SEGMENTS, "max_segments 2", {LIM(K_MAXSEG, 2)}},
	{ELF_ERR_NO_LOAD,
	 "no PT_LOAD",
	 {PH(0, P_TYPE, PT_NOTE), PH(1, P_TYPE, PT_NOTE), PH(2, P_TYPE, PT_NOTE)}},
	{ELF_ERR_NO_LOAD,
	 "only empty PT_LOADs",
	 {PH(0, P_TYPE, PT_NOTE), PH(1, P_TYPE, PT_NOTE), PH(2, P_MEMSZ, 0), PH(2, P_FILESZ, 0)}},
	{ELF_ERR_SEG_OVERLAP, "page, no byte", {PH(1, P_VADDR, 0x401800), PH(1, P_OFFSET, 0x1800)}},
	{ELF_ERR_SEG_OVERLAP, "same bytes", {PH(1, P_VADDR, 0x401000), PH(1, P_OFFSET, 0x1000)}},
	{ELF_ERR_SEG_OVERLAP, "bss into next", {PH(1, P_VADDR, 0x3ff000), PH(1, P_MEMSZ, 0x2001)}},
	{ELF_ERR_SEG_OVERLAP, "out of order", {PH(0, P_VADDR, 0x404000)}},
	{ELF_ERR_TOO_BIG, "max_memsz one short", {LIM(K_MAXMEM, 0x5fff)}},
	{ELF_ERR_ENTRY_OUTSIDE, "entry in no segment", {HD(H_ENTRY, 0x500000)}},
	{ELF_ERR_ENTRY_OUTSIDE, "entry one past text", {HD(H_ENTRY, 0x401234)}},
	{ELF_ERR_ENTRY_OUTSIDE, "entry 0", {HD(H_ENTRY, 0)}},
	{ELF_ERR_ENTRY_NOT_EXEC, "entry in rodata", {HD(H_ENTRY, 0x402010)}},
	{ELF_ERR_ENTRY_NOT_EXEC, "entry in bss", {HD(H_ENTRY, 0x406000)}},
};

static void test_edit_cases(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(edit_cases); i++) {
		const struct edit_case *c = &edit_cases[i];
		struct telf t;
		struct elf_limits lim;
		struct elf_image img;
		int err;

		telf_good(&t);
		elf_limits_default(&lim);
		for (size_t k = 0; k < 4; k++)
			apply_edit(&t, &lim, &c->e[k]);
		err = telf_validate(&t, &lim, &img);
		if (err != c->expect)
			fprintf(stderr, "case '%s': got %d (%s), want %d (%s)\n", c->what, err,
				elf_error_name(err), c->expect, elf_error_name(c->expect));
		CHECK_EQ(err, c->expect);
		if (err)
			CHECK_EQ(img.segment_count, 0);
	}
}

static void test_arguments(void)
{
	static uint8_t buf[T_MAX_SIZE];
	struct elf_limits lim;
	struct elf_image img, again;
	uint8_t *odd = malloc(T_SIZE + 1);

	good_setup(buf, &lim);
	CHECK_EQ(elf_validate(NULL, T_SIZE, &lim, &img), ELF_ERR_ARGUMENT);
	CHECK_EQ(elf_validate(buf, T_SIZE, NULL, &img), ELF_ERR_ARGUMENT);
	CHECK_EQ(elf_validate(buf, T_SIZE, &lim, NULL), ELF_ERR_ARGUMENT);
	/* An odd buffer address gives the same answer. */
	memcpy(odd + 1, buf, T_SIZE);
	memset(&img, 0, sizeof(img));
	memset(&again, 0, sizeof(again));
	CHECK_EQ(elf_validate(buf, T_SIZE, &lim, &img), ELF_OK);
	CHECK_EQ(elf_validate(odd + 1, T_SIZE, &lim, &again), ELF_OK);
	CHECK(memcmp(&img, &again, sizeof(img)) == 0);
	free(odd);
}

static void test_error_names(void)
{
	static const int codes[] = {
#define CODE(name, value, text) name,
		ELF_ERROR_LIST(CODE)
#undef CODE
	};
	size_t n = ARRAY_SIZE(codes);

	for (size_t i = 0; i < n; i++) {
		CHECK(strcmp(elf_error_name(codes[i]), "unknown error") != 0);
		for (size_t j = i + 1; j < n; j++) {
			CHECK(codes[i] != codes[j]);
			CHECK(strcmp(elf_error_name(codes[i]), elf_error_name(codes[j])) != 0);
		}
	}
	CHECK(strcmp(elf_error_name(12345), "unknown error") == 0);
}

/* Every proper prefix of the good file is refused, and the image comes back empty. */
static void test_truncation(void)
{
	static uint8_t buf[T_MAX_SIZE];
	struct elf_limits lim;
	struct elf_image img;
	unsigned refused = 0;

	good_setup(buf, &lim);
	for (size_t len = 0; len < T_SIZE; len++) {
		int err = validate_copy(buf, len, &lim, &img);
		refused += err < 0 && img.segment_count == 0;
	}
	CHECK_EQ(refused, T_SIZE);
	CHECK_EQ(validate_copy(buf, T_SIZE, &lim, &img), ELF_OK);
}

/* Load a segment into a zeroed buffer by its page plan; compare with what it must hold. */
static bool load_matches(const struct elf_segment *s, const uint8_t *file, size_t size)
{
	uint64_t pages = elf_segment_page_count(s), base = s->vaddr & ~(uint64_t)(PAGE - 1);
	uint8_t *mem = calloc(pages, PAGE);
	struct elf_page_fill fill;
	bool ok = true;

	for (uint64_t i = 0; i < pages && ok; i++) {
		ok = elf_segment_page(s, i, &fill) == ELF_OK && fill.page == base + i * PAGE &&
		     fill.dst_off + (uint64_t)fill.copy_len <= PAGE &&
		     (fill.copy_len == 0 || fill.file_off + fill.copy_len <= size);
		if (ok && fill.copy_len)
			memcpy(mem + i * PAGE + fill.dst_off, file + fill.file_off, fill.copy_len);
	}
	for (uint64_t a = base; a < base + pages * PAGE && ok; a++) {
		bool in_file = a >= s->vaddr && a - s->vaddr < s->filesz;
		ok = mem[a - base] == (in_file ? file[s->offset + (a - s->vaddr)] : 0);
	}
	free(mem);
	return ok;
}

static void test_page_plan(void)
{
	static uint8_t buf[T_MAX_SIZE];
	struct elf_segment wide = {0x401f00, 0x3000, 0xf00, 0x2020, 0x1000, PF_R};
	struct elf_segment empty = {0x401000, 0, 0x1000, 0, 0, PF_R};
	struct elf_page_fill f;
	struct elf_limits lim;
	struct elf_image img;

	good_setup(buf, &lim);
	CHECK_EQ(validate_copy(buf, T_SIZE, &lim, &img), ELF_OK);
	for (unsigned i = 0; i < img.segment_count; i++)
		CHECK(load_matches(&img.segments[i], buf, T_SIZE));
	/* The data segment: 0x80 file bytes at page offset 0x100, then three bss pages. */
	CHECK_EQ(elf_segment_page_count(&img.segments[2]), 4);
	CHECK_EQ(elf_segment_page(&img.segments[2], 0, &f), ELF_OK);
	CHECK(f.page == 0x403000 && f.dst_off == 0x100 && f.copy_len == 0x80 &&
	      f.file_off == 0x2100);
	CHECK_EQ(elf_segment_page(&img.segments[2], 3, &f), ELF_OK);
	CHECK(f.page == 0x406000 && f.copy_len == 0);
	CHECK_EQ(elf_segment_page(&img.segments[2], 4, &f), ELF_ERR_ARGUMENT);
	/* File bytes across three pages, then a bss page. */
	CHECK_EQ(elf_segment_page_count(&wide), 4);
	CHECK_EQ(elf_segment_page(&wide, 0, &f), ELF_OK);
	CHECK(f.dst_off == 0xf00 && f.copy_len == 0x100 && f.file_off == 0xf00);
	CHECK_EQ(elf_segment_page(&wide, 1, &f), ELF_OK);
	CHECK(f.dst_off == 0 && f.copy_len == PAGE && f.file_off == 0x1000);
	CHECK_EQ(elf_segment_page(&wide, 2, &f), ELF_OK);
	CHECK(f.page == 0x403000 && f.dst_off == 0 && f.copy_len == 0xf20 && f.file_off == 0x2000);
	CHECK_EQ(elf_segment_page(&wide, 3, &f), ELF_OK);
	CHECK(f.page == 0x404000 && f.copy_len == 0);
	CHECK(load_matches(&wide, buf, T_MAX_SIZE));
	CHECK_EQ(elf_segment_page_count(&empty), 0);
	CHECK_EQ(elf_segment_page(&empty, 0, &f), ELF_ERR_ARGUMENT);
	CHECK_EQ(elf_segment_page(NULL, 0, &f), ELF_ERR_ARGUMENT);
	CHECK_EQ(elf_segment_page(&wide, 0, NULL), ELF_ERR_ARGUMENT);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const uint64_t interesting[] = {
	0,
	1,
	2,
	3,
	4,
	56,
	64,
	0x7f,
	0x80,
	0xff,
	0xfff,
	0x1000,
	0x1001,
	0xffff,
	0x10000,
	T_SIZE,
	T_SIZE + 1,
	T_SIZE - 1,
	0x401000,
	0x401234,
	0x403100,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0x7ffffffff000,
	0x7fffffffffff,
	0x800000000000,
	0xffffffff80000000,
	1ull << 63,
	UINT64_MAX - 0xfff,
	UINT64_MAX - 1,
	UINT64_MAX,
};

/* One random change: bit flip, random byte, interesting value in a field, or a new size. */
static void mutate(uint8_t *buf, size_t *size)
{
	uint64_t r = rng(), v = interesting[rng() % ARRAY_SIZE(interesting)];
	unsigned ph = (unsigned)(rng() % T_NPH), f;

	switch (r % 6) {
	case 0:
		buf[rng() % T_PHDRS_END] ^= (uint8_t)(1u << (rng() % 8));
		break;
	case 1:
		buf[rng() % T_MAX_SIZE] = (uint8_t)rng();
		break;
	case 2:
		f = (unsigned)(rng() % H_COUNT);
		put(buf + h_layout[f].off, v, h_layout[f].bytes);
		break;
	case 3:
		f = (unsigned)(rng() % P_COUNT);
		put(buf + T_PHOFF + ph * 56 + p_layout[f].off, v + (rng() % 3) - 1,
		    p_layout[f].bytes);
		break;
	case 4:
		put(buf + rng() % (T_PHDRS_END - 8), v, 8);
		break;
	default:
		*size = (size_t)(rng() % (T_MAX_SIZE + 1));
		break;
	}
}

static uint64_t page_of(uint64_t addr)
{
	return addr / PAGE;
}

/* Checks an accepted image against the file, independently of elf.c's own logic. */
static bool segment_ok(const struct elf_segment *s, size_t size, const struct elf_limits *lim)
{
	return s->memsz > 0 && s->filesz <= s->memsz && s->vaddr >= lim->user_lo &&
	       s->vaddr < lim->user_hi && s->memsz <= lim->user_hi - s->vaddr &&
	       s->offset <= size && s->filesz <= size - s->offset &&
	       (s->flags & ~(uint32_t)(PF_R | PF_W | PF_X)) == 0 &&
	       (s->flags & (PF_W | PF_X)) != (PF_W | PF_X) && (s->vaddr - s->offset) % PAGE == 0;
}

static bool pages_disjoint(const struct elf_segment *a, const struct elf_segment *b)
{
	return page_of(a->vaddr + a->memsz - 1) < page_of(b->vaddr) ||
	       page_of(b->vaddr + b->memsz - 1) < page_of(a->vaddr);
}

static bool image_ok(const struct elf_image *img, const uint8_t *file, size_t size,
		     const struct elf_limits *lim)
{
	uint64_t lo = UINT64_MAX, hi = 0, total = 0;
	bool entry_ok = false;

	if (img->segment_count == 0 || img->segment_count > lim->max_segments)
		return false;
	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];
		uint64_t first = page_of(s->vaddr), last = page_of(s->vaddr + s->memsz - 1);

		if (!segment_ok(s, size, lim))
			return false;
		for (unsigned j = 0; j < i; j++)
			if (!pages_disjoint(s, &img->segments[j]))
				return false;
		entry_ok |= (s->flags & PF_X) && img->entry >= s->vaddr &&
			    img->entry - s->vaddr < s->memsz;
		lo = first * PAGE < lo ? first * PAGE : lo;
		hi = (last + 1) * PAGE > hi ? (last + 1) * PAGE : hi;
		total += (last - first + 1) * PAGE;
		if (last - first < 16 && !load_matches(s, file, size))
			return false;
	}
	return entry_ok && lo == img->addr_lo && hi == img->addr_hi && total == img->mem_total &&
	       total <= lim->max_memsz;
}

static void test_mutations(void)
{
	static uint8_t good[T_MAX_SIZE], buf[T_MAX_SIZE];
	struct elf_limits lim;
	struct elf_image img;
	unsigned accepted = 0, bad = 0;

	good_setup(good, &lim);
	lim.max_memsz = 64ull << 20;
	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		size_t size = T_SIZE;
		unsigned n = 1 + (unsigned)(rng() % 4);
		int err;

		memcpy(buf, good, sizeof(buf));
		while (n--)
			mutate(buf, &size);
		err = validate_copy(buf, size, &lim, &img);
		if (err == ELF_OK)
			accepted++;
		if (err == ELF_OK ? !image_ok(&img, buf, size, &lim)
				  : img.segment_count != 0 || err >= 0 ||
					    strcmp(elf_error_name(err), "unknown error") == 0)
			bad++;
	}
	printf("elf: %d mutations, %u accepted\n", FUZZ_ROUNDS, accepted);
	CHECK_EQ(bad, 0);
	CHECK(accepted > FUZZ_ROUNDS / 20 && accepted < FUZZ_ROUNDS);
}

int main(void)
{
	test_good_file();
	test_edit_cases();
	test_arguments();
	test_error_names();
	test_truncation();
	test_page_plan();
	test_mutations();
	return check_summary("elf");
}
