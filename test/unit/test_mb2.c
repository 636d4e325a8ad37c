/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the multiboot2 parser (kernel/boot/mb2.c). A small
 * builder assembles information structures tag by tag in memory; the tests
 * check a complete one field by field, then feed it missing, malformed,
 * truncated, misaligned and randomly mutated variants. Run under ASan and
 * UBSan, so any read outside the buffer fails the test.
 */
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

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void mb_init(struct mb_build *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

/* Append a tag with the given payload; size_override != 0 writes that size instead. */
static size_t mb_tag_sized(struct mb_build *b, uint32_t type, const void *payload, size_t plen,
			   uint32_t size_override)
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

static size_t mb_tag(struct mb_build *b, uint32_t type, const void *payload, size_t plen)
{
	return mb_tag_sized(b, type, payload, plen, 0);
}

static void mb_string(struct mb_build *b, uint32_t type, const char *s)
{
	mb_tag(b, type, s, strlen(s) + 1);
}

static void mb_module(struct mb_build *b, uint32_t start, uint32_t end, const char *cmd)
{
	uint8_t p[64] = {0};
	put32(p, start);
	put32(p + 4, end);
	size_t n = strlen(cmd) + 1;
	memcpy(p + 8, cmd, n);
	mb_tag(b, 3, p, 8 + n);
}

static void mb_meminfo(struct mb_build *b, uint32_t lower, uint32_t upper)
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
static void mb_mmap(struct mb_build *b, uint32_t entry_size, const struct mmap_in *e, size_t n)
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

static void mb_fb(struct mb_build *b, uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h,
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

static void make_rsdp(uint8_t *r, uint8_t revision)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "TESTOE", 6);
	r[15] = revision;
	put32(r + 16, 0xE0000);
	put32(r + 20, 36);
	put64(r + 24, 0xE1000);
}

static void mb_acpi(struct mb_build *b, bool is_new)
{
	uint8_t r[36];
	make_rsdp(r, is_new ? 2 : 0);
	mb_tag(b, is_new ? 15 : 14, r, is_new ? 36 : 20);
}

static void mb_finish(struct mb_build *b)
{
	mb_tag(b, 0, NULL, 0);
	put32(b->buf, (uint32_t)b->len);
}

static const struct mmap_in good_mmap[] = {
	{0x0, 0x9fc00, 1},	 {0x9fc00, 0x400, 2},	   {0x100000, 0x7ee0000, 1},
	{0x7fe0000, 0x20000, 3}, {0xfffc0000, 0x40000, 4}, {0x100000000ull, 0x1000, 5},
};

static const uint8_t rgb_fields[6] = {16, 8, 8, 8, 0, 8};

static void build_good(struct mb_build *b)
{
	mb_init(b);
	mb_string(b, 1, "console=ttyS0 debug");
	mb_string(b, 2, "GRUB 2.06");
	mb_meminfo(b, 639, 130048);
	mb_mmap(b, 24, good_mmap, ARRAY_LEN(good_mmap));
	mb_module(b, 0x200000, 0x210000, "init");
	mb_module(b, 0x210000, 0x218123, "fat --ro");
	mb_fb(b, 0xfd000000, 4096, 1024, 768, 32, 1, rgb_fields, 6);
	mb_acpi(b, false);
	mb_acpi(b, true);
	mb_tag(b, 21, "\0\0\0\0", 4); /* load base address: ignored */
	mb_finish(b);
}

static struct boot_info bi;

static void test_good(void)
{
	struct mb_build b;
	build_good(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK_EQ(bi.warnings, 0);
	CHECK_EQ(bi.total_size, b.len);
	CHECK(bi.cmdline && strcmp(bi.cmdline, "console=ttyS0 debug") == 0);
	CHECK(bi.loader_name && strcmp(bi.loader_name, "GRUB 2.06") == 0);
	CHECK(bi.has_meminfo);
	CHECK_EQ(bi.mem_lower_kib, 639);
	CHECK_EQ(bi.mem_upper_kib, 130048);
	CHECK(bi.has_mmap);
	CHECK_EQ(bi.mmap_count, ARRAY_LEN(good_mmap));
	for (size_t i = 0; i < ARRAY_LEN(good_mmap) && i < bi.mmap_count; i++) {
		CHECK_EQ(bi.mmap[i].base, good_mmap[i].base);
		CHECK_EQ(bi.mmap[i].length, good_mmap[i].len);
		CHECK_EQ(bi.mmap[i].type, good_mmap[i].type);
	}
	CHECK_EQ(bi.mmap[3].type, MB2_MEM_ACPI_RECLAIMABLE);
	CHECK_EQ(bi.mmap[5].type, MB2_MEM_BAD);
	CHECK_EQ(bi.module_count, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x210000);
	CHECK(bi.modules[0].cmdline && strcmp(bi.modules[0].cmdline, "init") == 0);
	CHECK_EQ(bi.modules[1].end, 0x218123);
	CHECK(bi.modules[1].cmdline && strcmp(bi.modules[1].cmdline, "fat --ro") == 0);
}

static void test_good_fb_acpi(void)
{
	struct mb_build b;
	build_good(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.fb.present);
	CHECK(bi.fb.usable);
	CHECK_EQ(bi.fb.type, MB2_FB_RGB);
	CHECK_EQ(bi.fb.addr, 0xfd000000);
	CHECK_EQ(bi.fb.pitch, 4096);
	CHECK_EQ(bi.fb.width, 1024);
	CHECK_EQ(bi.fb.height, 768);
	CHECK_EQ(bi.fb.bpp, 32);
	CHECK_EQ(bi.fb.red_pos, 16);
	CHECK_EQ(bi.fb.red_size, 8);
	CHECK_EQ(bi.fb.green_pos, 8);
	CHECK_EQ(bi.fb.blue_pos, 0);
	CHECK_EQ(bi.fb.blue_size, 8);
	CHECK(bi.has_rsdp);
	CHECK(bi.rsdp_from_new);
	CHECK_EQ(bi.rsdp_len, 36);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK(memcmp(bi.rsdp, "RSD PTR ", 8) == 0);
	uint8_t r[36];
	make_rsdp(r, 2);
	CHECK(memcmp(bi.rsdp, r, 36) == 0);
}

static void test_acpi_tags(void)
{
	struct mb_build b;
	mb_init(&b);
	mb_acpi(&b, true);
	mb_acpi(&b, false); /* an old tag after the new one must not win */
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.rsdp_from_new);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK_EQ(bi.rsdp_len, 36);

	mb_init(&b);
	mb_acpi(&b, false);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.has_rsdp && !bi.rsdp_from_new);
	CHECK_EQ(bi.rsdp_len, 20);
	CHECK_EQ(bi.rsdp_revision, 0);
	CHECK_EQ(bi.rsdp[20], 0); /* nothing copied past the 20 bytes */
	CHECK(!(bi.warnings & MB2_WARN_NO_ACPI));

	uint8_t r[36];
	make_rsdp(r, 2);
	mb_init(&b);
	mb_tag(&b, 15, r, 20); /* a new tag holding only 20 bytes */
	mb_tag(&b, 14, r, 10);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(!bi.has_rsdp);
	CHECK(bi.warnings & MB2_WARN_BAD_ACPI);
	CHECK(bi.warnings & MB2_WARN_NO_ACPI);
}

static void test_missing(void)
{
	struct mb_build b;
	mb_init(&b);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK_EQ(bi.warnings, MB2_WARN_NO_MMAP | MB2_WARN_NO_FRAMEBUFFER | MB2_WARN_NO_ACPI);
	CHECK(bi.cmdline == NULL && bi.loader_name == NULL);
	CHECK(!bi.has_mmap && bi.mmap_count == 0 && bi.module_count == 0);

	/* Basic meminfo only: two ranges are synthesised. */
	mb_init(&b);
	mb_meminfo(&b, 639, 2048);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_NO_MMAP);
	CHECK(bi.warnings & MB2_WARN_MMAP_FROM_MEMINFO);
	CHECK(bi.has_mmap);
	CHECK_EQ(bi.mmap_count, 2);
	CHECK_EQ(bi.mmap[0].base, 0);
	CHECK_EQ(bi.mmap[0].length, 639 * 1024);
	CHECK_EQ(bi.mmap[1].base, 0x100000);
	CHECK_EQ(bi.mmap[1].length, 2048 * 1024);
	CHECK_EQ(bi.mmap[1].type, MB2_MEM_AVAILABLE);

	/* Too short a meminfo tag is ignored, not trusted. */
	mb_init(&b);
	mb_tag(&b, 4, "\1\0\0\0", 4);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MEMINFO);
	CHECK(!bi.has_meminfo && bi.mmap_count == 0);
}

static void test_header_errors(void)
{
	struct mb_build b;
	build_good(&b);
	CHECK_EQ(mb2_parse(NULL, b.len, &bi), MB2_EINVAL);
	CHECK_EQ(mb2_parse(b.buf, b.len, NULL), MB2_EINVAL);
	CHECK_EQ(mb2_parse(b.buf, 7, &bi), MB2_EINVAL);
	CHECK_EQ(mb2_parse(b.buf, b.len - 1, &bi), MB2_ETRUNC);
	CHECK_EQ(bi.mmap_count, 0); /* nothing reported on error */
	CHECK_EQ(mb2_parse(b.buf, b.len + 100, &bi), 0);
	put32(b.buf, 7);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), MB2_EINVAL);
	put32(b.buf, 0xFFFFFFFF);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), MB2_ETRUNC);
	/* total_size 8: a header only, no tags at all. */
	put32(b.buf, 8);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_NO_END_TAG);
	CHECK_EQ(mb2_check_magic(0x36d76289), 0);
	CHECK_EQ(mb2_check_magic(0x2badb002), MB2_EINVAL);
}

/* A string is in bounds if it starts and ends (NUL included) inside [p, p + n). */
static bool str_within(const char *s, const uint8_t *p, size_t n)
{
	if (s == NULL)
		return true;
	if ((const uint8_t *)s < p || (const uint8_t *)s >= p + n)
		return false;
	return memchr(s, 0, n - (size_t)((const uint8_t *)s - p)) != NULL;
}

static bool strings_within(const struct boot_info *r, const uint8_t *p, size_t n)
{
	bool ok = str_within(r->cmdline, p, n) && str_within(r->loader_name, p, n);
	for (size_t i = 0; i < r->module_count && i < MB2_MAX_MODULES; i++)
		ok = ok && str_within(r->modules[i].cmdline, p, n);
	return ok;
}

static size_t tags_fitting(const struct mb_build *b, uint32_t type, size_t cut)
{
	size_t n = 0;
	for (size_t i = 0; i < b->tag_count; i++)
		n += b->tag_type[i] == type && b->tag_end[i] <= cut;
	return n;
}

/* Cut the good buffer at len bytes into an exact-size heap copy whose total_size says len. */
static void check_cut(const struct mb_build *b, const struct boot_info *full, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	memcpy(p, b->buf, len);
	if (len >= 4)
		put32(p, (uint32_t)len);
	int rc = mb2_parse(p, len, &bi);
	if (len < 8) {
		CHECK_EQ(rc, MB2_EINVAL);
		free(p);
		return;
	}
	CHECK_EQ(rc, 0);
	CHECK(strings_within(&bi, p, len));
	CHECK_EQ(bi.module_count, tags_fitting(b, 3, len));
	CHECK_EQ(bi.fb.present, tags_fitting(b, 8, len));
	size_t fallback = tags_fitting(b, 4, len) ? 2 : 0;
	CHECK_EQ(bi.mmap_count, tags_fitting(b, 6, len) ? full->mmap_count : fallback);
	CHECK_EQ(bi.cmdline != NULL, tags_fitting(b, 1, len));
	if (len < b->len)
		CHECK(bi.warnings & (MB2_WARN_BAD_TAG | MB2_WARN_NO_END_TAG));
	free(p);
}

static void test_truncation(void)
{
	struct mb_build b;
	struct boot_info full;
	build_good(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &full), 0);
	for (size_t len = 0; len <= b.len; len++) {
		/* As given: total_size still says the full size. */
		uint8_t *p = malloc(len ? len : 1);
		memcpy(p, b.buf, len);
		int rc = mb2_parse(p, len, &bi);
		CHECK_EQ(rc, len < 8 ? MB2_EINVAL : len < b.len ? MB2_ETRUNC : 0);
		free(p);
		check_cut(&b, &full, len);
	}
}

static void expect_bad_tag(uint32_t bad_size)
{
	struct mb_build b;
	mb_init(&b);
	mb_string(&b, 1, "kept");
	size_t off = mb_tag(&b, 2, "lost\0\0\0\0", 8);
	mb_module(&b, 0x1000, 0x2000, "after");
	mb_finish(&b);
	put32(b.buf + off + 4, bad_size);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_TAG);
	CHECK(!(bi.warnings & MB2_WARN_NO_END_TAG));
	CHECK(bi.cmdline && strcmp(bi.cmdline, "kept") == 0);
	CHECK(bi.loader_name == NULL);
	CHECK_EQ(bi.module_count, 0);
}

static void test_bad_tag_sizes(void)
{
	expect_bad_tag(0);
	expect_bad_tag(7);
	expect_bad_tag(0xFFFFFFF0);
	expect_bad_tag(0xFFFFFFFF);
	expect_bad_tag(200); /* runs 1..n bytes past total_size */

	/* A tag whose padding would run past total_size ends the walk cleanly. */
	struct mb_build b;
	mb_init(&b);
	mb_tag(&b, 1, "ab\0", 3);
	put32(b.buf, 19); /* total_size cuts the padding off */
	CHECK_EQ(mb2_parse(b.buf, 19, &bi), 0);
	CHECK(bi.cmdline && strcmp(bi.cmdline, "ab") == 0);
	CHECK(bi.warnings & MB2_WARN_NO_END_TAG);
	CHECK(bi.warnings & MB2_WARN_UNALIGNED);
}

static void expect_bad_entry_size(uint32_t entry_size)
{
	struct mb_build b;
	uint8_t p[8 + 3 * 40] = {0};
	put32(p, entry_size);
	put64(p + 8, 0x100000);
	put64(p + 16, 0x100000);
	put32(p + 24, 1);
	mb_init(&b);
	mb_meminfo(&b, 600, 1024);
	mb_tag(&b, 6, p, sizeof(p));
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MMAP);
	CHECK(bi.warnings & MB2_WARN_NO_MMAP);
	CHECK(bi.warnings & MB2_WARN_MMAP_FROM_MEMINFO);
	CHECK_EQ(bi.mmap_count, 2); /* the meminfo fallback */
}

static void test_mmap_entry_size(void)
{
	expect_bad_entry_size(0);
	expect_bad_entry_size(16);
	expect_bad_entry_size(20);
	expect_bad_entry_size(28);
	expect_bad_entry_size(0xFFFFFFF8);

	/* A larger entry_size is honoured: the extra bytes are skipped. */
	struct mb_build b;
	mb_init(&b);
	mb_mmap(&b, 40, good_mmap, 3);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK_EQ(bi.mmap_count, 3);
	CHECK_EQ(bi.mmap[2].base, good_mmap[2].base);
	CHECK_EQ(bi.mmap[2].length, good_mmap[2].len);
	CHECK(!(bi.warnings & (MB2_WARN_BAD_MMAP | MB2_WARN_NO_MMAP)));

	/* A partial last entry is dropped with a warning; whole ones are kept. */
	mb_init(&b);
	uint8_t p[8 + 24 + 10] = {0};
	put32(p, 24);
	put64(p + 8, 0x5000);
	put64(p + 16, 0x1000);
	put32(p + 24, 1);
	mb_tag(&b, 6, p, sizeof(p));
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MMAP);
	CHECK_EQ(bi.mmap_count, 1);
	CHECK_EQ(bi.mmap[0].base, 0x5000);

	/* A tag too short to hold entry_size. */
	mb_init(&b);
	mb_tag(&b, 6, "\x18\0\0", 3);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MMAP);
	CHECK(!bi.has_mmap);
}

static void test_mmap_limits(void)
{
	static struct mmap_in many[MB2_MAX_MMAP + 5];
	for (size_t i = 0; i < ARRAY_LEN(many); i++)
		many[i] = (struct mmap_in){i * 0x10000, 0x8000, 1};
	many[3] = (struct mmap_in){0xFFFFFFFFFFFFF000ull, 0x2000, 1}; /* wraps */
	many[4] = (struct mmap_in){0x123000, 0, 1};		      /* empty */
	struct mb_build b;
	mb_init(&b);
	mb_mmap(&b, 24, many, ARRAY_LEN(many));
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MMAP_ENTRY);
	CHECK(bi.warnings & MB2_WARN_MMAP_TRUNCATED);
	CHECK_EQ(bi.mmap_count, MB2_MAX_MMAP);
	CHECK_EQ(bi.mmap[3].base, 5 * 0x10000);
	CHECK_EQ(bi.mmap[MB2_MAX_MMAP - 1].base, (MB2_MAX_MMAP + 1) * 0x10000);
}

static void test_modules(void)
{
	struct mb_build b;
	mb_init(&b);
	mb_module(&b, 0x3000, 0x2000, "backwards");
	mb_module(&b, 0x4000, 0x4000, "empty");
	mb_tag(&b, 3, "\0\0\1\0", 4); /* too short for start and end */
	uint8_t nocmd[12] = {0, 0x10, 0, 0, 0, 0x20, 0, 0, 'a', 'b', 'c', 'd'};
	mb_tag(&b, 3, nocmd, sizeof(nocmd)); /* string without NUL */
	for (int i = 0; i < MB2_MAX_MODULES; i++)
		mb_module(&b, 0x100000 * (uint32_t)i, 0x100000 * (uint32_t)i + 5, "m");
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_MODULE);
	CHECK(bi.warnings & MB2_WARN_BAD_STRING);
	CHECK(bi.warnings & MB2_WARN_TOO_MANY_MODULES);
	CHECK_EQ(bi.module_count, MB2_MAX_MODULES);
	CHECK_EQ(bi.modules[0].start, 0x4000);
	CHECK(bi.modules[0].cmdline && strcmp(bi.modules[0].cmdline, "empty") == 0);
	CHECK_EQ(bi.modules[1].start, 0x1000);
	CHECK_EQ(bi.modules[1].end, 0x2000);
	CHECK(bi.modules[1].cmdline == NULL);
	CHECK_EQ(bi.modules[2].start, 0);
	CHECK_EQ(bi.modules[15].start, 0x100000 * 13);
}

static void test_strings(void)
{
	struct mb_build b;
	mb_init(&b);
	mb_tag(&b, 1, "abcd", 4); /* padding after the tag is zero, but outside it */
	mb_tag(&b, 2, NULL, 0);	  /* no room for even a NUL */
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.warnings & MB2_WARN_BAD_STRING);
	CHECK(bi.cmdline == NULL);
	CHECK(bi.loader_name == NULL);

	mb_init(&b);
	mb_string(&b, 1, "");
	mb_string(&b, 1, "second");
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.cmdline && bi.cmdline[0] == '\0');
	CHECK(bi.warnings & MB2_WARN_DUPLICATE_TAG);
	CHECK(!(bi.warnings & MB2_WARN_BAD_STRING));
}

static void expect_fb(uint32_t pitch, uint8_t bpp, uint8_t type, const uint8_t *fields,
		      size_t nfields, uint32_t expect_warn, bool usable)
{
	struct mb_build b;
	mb_init(&b);
	mb_fb(&b, 0xfd000000, pitch, 800, 600, bpp, type, fields, nfields);
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(bi.fb.present);
	CHECK_EQ(bi.fb.usable, usable);
	CHECK_EQ(bi.fb.type, type);
	CHECK_EQ(bi.fb.width, 800);
	CHECK_EQ(bi.warnings & ~(MB2_WARN_NO_MMAP | MB2_WARN_NO_ACPI), expect_warn);
}

static void test_framebuffer(void)
{
	uint8_t bad_field[6] = {16, 8, 8, 8, 28, 8}; /* blue runs past bit 32 */
	uint8_t rgb565[6] = {11, 5, 5, 6, 0, 5};
	expect_fb(3200, 32, 1, rgb_fields, 6, 0, true);
	expect_fb(1600, 16, 1, rgb565, 6, 0, true);
	expect_fb(2400, 24, 1, rgb_fields, 6, 0, true);
	expect_fb(800, 8, 0, (const uint8_t *)"\0\0", 2, MB2_WARN_FB_UNSUPPORTED, false);
	expect_fb(160, 16, 2, (const uint8_t *)"", 0, MB2_WARN_FB_UNSUPPORTED, false);
	expect_fb(3199, 32, 1, rgb_fields, 6, MB2_WARN_BAD_FRAMEBUFFER, false);
	expect_fb(3200, 32, 1, bad_field, 6, MB2_WARN_BAD_FRAMEBUFFER, false);
	expect_fb(3200, 7, 1, rgb_fields, 6, MB2_WARN_BAD_FRAMEBUFFER, false);
	expect_fb(3200, 32, 1, rgb_fields, 5, MB2_WARN_BAD_FRAMEBUFFER, false);

	struct mb_build b;
	mb_init(&b);
	mb_tag(&b, 8, "\0\0\0\0\0\0\0\0\0\0\0\0", 12); /* shorter than the common part */
	mb_finish(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &bi), 0);
	CHECK(!bi.fb.present);
	CHECK(bi.warnings & MB2_WARN_BAD_FRAMEBUFFER);
	CHECK(bi.warnings & MB2_WARN_NO_FRAMEBUFFER);
}

static void test_unaligned(void)
{
	struct mb_build b;
	struct boot_info ref;
	build_good(&b);
	CHECK_EQ(mb2_parse(b.buf, b.len, &ref), 0);
	for (size_t shift = 1; shift < 8; shift++) {
		uint8_t *p = malloc(b.len + shift);
		memcpy(p + shift, b.buf, b.len);
		CHECK_EQ(mb2_parse(p + shift, b.len, &bi), 0);
		CHECK_EQ(bi.warnings, MB2_WARN_UNALIGNED);
		CHECK_EQ(bi.mmap_count, ref.mmap_count);
		CHECK_EQ(bi.mmap[4].base, ref.mmap[4].base);
		CHECK_EQ(bi.fb.addr, ref.fb.addr);
		CHECK_EQ(bi.modules[1].end, ref.modules[1].end);
		CHECK(bi.cmdline && strcmp(bi.cmdline, ref.cmdline) == 0);
		CHECK(memcmp(bi.rsdp, ref.rsdp, 36) == 0);
		free(p);
	}
}

static void test_warning_names(void)
{
	const char *seen[32] = {0};
	int named = 0;
	for (int i = 0; i < 32; i++) {
		const char *n = mb2_warning_name(1u << i);
		if (strcmp(n, "unknown warning") == 0)
			continue;
		for (int j = 0; j < named; j++)
			CHECK(strcmp(seen[j], n) != 0);
		seen[named++] = n;
	}
	CHECK_EQ(named, 18);
	CHECK(strcmp(mb2_warning_name(MB2_WARN_BAD_TAG), "unknown warning") != 0);
	CHECK(strcmp(mb2_warning_name(0), "unknown warning") == 0);
	CHECK(strcmp(mb2_warning_name(3), "unknown warning") == 0);
}

static uint32_t rng_state = 0x2545F491;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Damage a few bytes of the good buffer; the parser must stay in bounds. */
static void test_mutations(void)
{
	struct mb_build b;
	build_good(&b);
	int ok = 0;
	for (int iter = 0; iter < 20000; iter++) {
		uint8_t *p = malloc(b.len);
		memcpy(p, b.buf, b.len);
		int flips = 1 + (int)(rng() % 8);
		for (int i = 0; i < flips; i++) {
			uint32_t at = rng() % (uint32_t)b.len;
			p[at] = (rng() & 1) ? (uint8_t)rng()
					    : (uint8_t)(p[at] ^ (1u << (rng() % 8)));
		}
		int rc = mb2_parse(p, b.len, &bi);
		if (rc == 0) {
			ok++;
			if (!strings_within(&bi, p, b.len) || bi.mmap_count > MB2_MAX_MMAP ||
			    bi.module_count > MB2_MAX_MODULES || bi.rsdp_len > 36)
				CHECK(!"mutated buffer produced out-of-bounds results");
		} else {
			CHECK(rc == MB2_EINVAL || rc == MB2_ETRUNC);
		}
		free(p);
	}
	CHECK(ok > 10000); /* most mutations leave the header intact */
}

int main(void)
{
	test_good();
	test_good_fb_acpi();
	test_acpi_tags();
	test_missing();
	test_header_errors();
	test_truncation();
	test_bad_tag_sizes();
	test_mmap_entry_size();
	test_mmap_limits();
	test_modules();
	test_strings();
	test_framebuffer();
	test_unaligned();
	test_warning_names();
	test_mutations();
	return check_summary("mb2");
}
