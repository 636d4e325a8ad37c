/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the multiboot2 parser's tag decoding (kernel/boot/mb2.c):
 * a complete structure checked field by field, then each kind of tag on its
 * own: ACPI RSDP copies, missing tags and the meminfo fallback, memory map
 * entry sizes and limits, modules, strings, framebuffer formats, and the
 * warning names. Run under ASan and UBSan. Fixture: mb2_fixture.h; the
 * warning-name check is shared with ACPI in warning_names.h.
 */
#include "mb2_fixture.h"
#include "warning_names.h"

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
	CHECK_EQ(bi.mmap_count, ARRAY_SIZE(good_mmap));
	for (size_t i = 0; i < ARRAY_SIZE(good_mmap) && i < bi.mmap_count; i++) {
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
	for (size_t i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct mmap_in){i * 0x10000, 0x8000, 1};
	many[3] = (struct mmap_in){0xFFFFFFFFFFFFF000ull, 0x2000, 1}; /* wraps */
	many[4] = (struct mmap_in){0x123000, 0, 1};		      /* empty */
	struct mb_build b;
	mb_init(&b);
	mb_mmap(&b, 24, many, ARRAY_SIZE(many));
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

static void test_warning_names(void)
{
	CHECK_EQ(check_distinct_warning_names(mb2_warning_name), 18);
	CHECK(strcmp(mb2_warning_name(MB2_WARN_BAD_TAG), "unknown warning") != 0);
	CHECK(strcmp(mb2_warning_name(0), "unknown warning") == 0);
	CHECK(strcmp(mb2_warning_name(3), "unknown warning") == 0);
}

int main(void)
{
	test_good();
	test_good_fb_acpi();
	test_acpi_tags();
	test_missing();
	test_mmap_entry_size();
	test_mmap_limits();
	test_modules();
	test_strings();
	test_framebuffer();
	test_warning_names();
	return check_summary("mb2_tags");
}
