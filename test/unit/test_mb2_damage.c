/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the multiboot2 parser (kernel/boot/mb2.c) on damaged
 * input: header errors, the good structure cut at every length, impossible
 * tag sizes, misaligned copies and random mutations. Run under ASan and
 * UBSan, so any read outside the buffer fails the test. Fixture:
 * mb2_fixture.h; random numbers: rng.h.
 */
#include "mb2_fixture.h"
#include "rng.h"

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

static uint32_t rng_state = 0x2545F491;

static uint32_t rng(void)
{
	return xorshift32(&rng_state);
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
	test_header_errors();
	test_truncation();
	test_bad_tag_sizes();
	test_unaligned();
	test_mutations();
	return check_summary("mb2_damage");
}
