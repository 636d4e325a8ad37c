/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the libsys heap: one case per behaviour (size tiers,
 * realloc in place and moved, calloc, refused frees, provider failures,
 * coalescing and trimming). The random run against a model is in
 * test_heap_stress.c.
 */
#include "heap_fixture.h"
#include "sys/units.h"

static void fill(void *p, size_t n, unsigned seed)
{
	unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(seed + i * 7);
}

static bool intact(const void *p, size_t n, unsigned seed)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != (unsigned char)(seed + i * 7))
			return false;
	}
	return true;
}

static struct heap_stats stats_of(const struct heap *h)
{
	struct heap_stats st;

	heap_stats(h, &st);
	return st;
}

/* Tear down: everything freed, trimmed, given back. */
static void heap_finish(struct heap *h, struct provider *pv)
{
	CHECK(heap_check(h));
	CHECK_EQ(stats_of(h).live, 0);
	CHECK_EQ(stats_of(h).bytes_in_use, 0);
	heap_trim(h);
	CHECK(heap_check(h));
	CHECK_EQ(stats_of(h).bytes_held, 0);
	CHECK_EQ(pv->nr_regions, 0);
	CHECK(heap_matches_provider(h, pv));
}

static void test_init(void)
{
	struct heap h;
	struct provider pv;

	CHECK_EQ(heap_init(&h, &(struct heap_ops){NULL, provider_shrink, &pv}), HEAP_EINVAL);
	CHECK_EQ(heap_init(&h, NULL), HEAP_EINVAL);
	heap_setup(&h, &pv, true);
	CHECK(heap_check(&h));
	CHECK_EQ(stats_of(&h).bytes_held, 0);
	CHECK_EQ(heap_free(&h, NULL), HEAP_OK);
	CHECK_EQ(stats_of(&h).invalid_frees, 0);
}

/* Small classes: usable size is the class, at most 25% (or 15 bytes) over. */
static void test_small_sizes(void)
{
	struct heap h;
	struct provider pv;
	static const size_t classes[][2] = {
		{1, 16}, {17, 32}, {129, 160}, {257, 320}, {1024, 1024}};
	void *p[ARRAY_SIZE(classes)];
	long bad = 0;

	heap_setup(&h, &pv, true);
	for (size_t n = 0; n <= HEAP_SMALL_MAX; n++) {
		void *q = heap_alloc(&h, n);
		size_t u = heap_usable_size(&h, q);
		size_t most = n <= 128 ? (n + 15) / 16 * 16 : n + n / 4 + 16;

		bad += !q || (uintptr_t)q % HEAP_ALIGN || u < n || u > (most ? most : 16);
		fill(q, u, (unsigned)n);
		bad += !intact(q, u, (unsigned)n) || heap_free(&h, q) != HEAP_OK;
	}
	CHECK_EQ(bad, 0);
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		p[i] = heap_alloc(&h, classes[i][0]);
		CHECK_EQ(heap_usable_size(&h, p[i]), classes[i][1]);
	}
	CHECK_EQ(stats_of(&h).live, ARRAY_SIZE(classes));
	CHECK(heap_check(&h));
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		CHECK_EQ(heap_free(&h, p[i]), HEAP_OK);
	heap_finish(&h, &pv);
}

static void test_large_and_huge_sizes(void)
{
	struct heap h;
	struct provider pv;
	struct heap_stats st;
	void *p, *q;

	heap_setup(&h, &pv, true);
	p = heap_alloc(&h, HEAP_SMALL_MAX + 1);
	CHECK(p && (uintptr_t)p % HEAP_ALIGN == 0);
	CHECK(heap_usable_size(&h, p) >= HEAP_SMALL_MAX + 1);
	CHECK(heap_usable_size(&h, p) < HEAP_SMALL_MAX + 1 + 80);
	q = heap_alloc(&h, HEAP_HUGE_MIN);
	CHECK(q && heap_usable_size(&h, q) >= HEAP_HUGE_MIN);
	CHECK_EQ(heap_free(&h, q), HEAP_OK);
	q = heap_alloc(&h, HEAP_HUGE_MIN + 1);
	CHECK_EQ((uintptr_t)q % HEAP_PROVIDER_ALIGN, 48);
	CHECK_EQ(heap_usable_size(&h, q), 3 * HEAP_GROW_UNIT - 48);
	fill(q, heap_usable_size(&h, q), 3);
	CHECK(intact(q, heap_usable_size(&h, q), 3));
	st = stats_of(&h);
	CHECK_EQ(heap_free(&h, q), HEAP_OK);
	CHECK_EQ(stats_of(&h).bytes_held, st.bytes_held - 3 * HEAP_GROW_UNIT); /* given back */
	CHECK(heap_alloc(&h, HEAP_MAX_ALLOC + 1) == NULL);
	CHECK(heap_alloc(&h, SIZE_MAX) == NULL);
	CHECK_EQ(stats_of(&h).grow_failures, 0);
	CHECK_EQ(heap_free(&h, p), HEAP_OK);
	heap_finish(&h, &pv);
}

static void test_realloc_small(struct heap *h)
{
	char *p = heap_alloc(h, 20), *q;

	fill(p, 20, 1);
	CHECK(heap_realloc(h, p, 32) == p);
	CHECK(heap_realloc(h, p, 10) == p);
	q = heap_realloc(h, p, 100);
	CHECK(q && q != p && intact(q, 10, 1));
	CHECK_EQ(heap_usable_size(h, p), 0);
	p = heap_realloc(h, q, 5000);
	CHECK(p && intact(p, 10, 1));
	CHECK(heap_realloc(h, p, 0) == NULL);
	CHECK_EQ(heap_usable_size(h, p), 0);
	p = heap_realloc(h, NULL, 40);
	CHECK(p && heap_usable_size(h, p) == 48);
	CHECK_EQ(heap_free(h, p), HEAP_OK);
}

/* a, b, c adjacent: with b free, a grows into it without moving. */
static void test_realloc_large(struct heap *h)
{
	char *a = heap_alloc(h, 4000), *b = heap_alloc(h, 4000), *c = heap_alloc(h, 4000);

	CHECK(a + 4016 == b && b + 4016 == c);
	fill(a, 4000, 2);
	CHECK_EQ(heap_free(h, b), HEAP_OK);
	CHECK(heap_realloc(h, a, 8000) == a);
	CHECK(heap_usable_size(h, a) >= 8000 && intact(a, 4000, 2));
	CHECK(heap_check(h));
	fill(a, 8000, 3);
	CHECK(heap_realloc(h, a, 2000) == a);
	CHECK(heap_usable_size(h, a) < 2100 && intact(a, 2000, 3));
	CHECK(heap_check(h));
	b = heap_realloc(h, a, 100000);
	CHECK(b && b != a && intact(b, 2000, 3));
	CHECK(heap_check(h));
	CHECK_EQ(heap_free(h, b), HEAP_OK);
	CHECK_EQ(heap_free(h, c), HEAP_OK);
}

static void test_realloc_huge(struct heap *h, struct provider *pv)
{
	char *p = heap_alloc(h, 300000), *q;

	fill(p, 300000, 4);
	CHECK(heap_realloc(h, p, 250000) == p);
	q = heap_realloc(h, p, 600000);
	CHECK(q && q != p && intact(q, 250000, 4));
	pv->fail = true;
	CHECK(heap_realloc(h, q, 900000) == NULL);
	CHECK(heap_usable_size(h, q) >= 600000 && intact(q, 250000, 4));
	pv->fail = false;
	p = heap_realloc(h, q, 1000);
	CHECK(p && p != q && intact(p, 1000, 4));
	CHECK_EQ(heap_free(h, p), HEAP_OK);
}

static void test_realloc(void)
{
	struct heap h;
	struct provider pv;
	struct heap_stats st;

	heap_setup(&h, &pv, true);
	test_realloc_small(&h);
	test_realloc_large(&h);
	test_realloc_huge(&h, &pv);
	st = stats_of(&h);
	CHECK_EQ(st.allocs, st.frees);
	CHECK_EQ(st.invalid_frees, 0);
	CHECK_EQ(st.grow_failures, 1);
	heap_finish(&h, &pv);
}

static void test_calloc(void)
{
	struct heap h;
	struct provider pv;
	unsigned char *p;
	bool zero = true;

	heap_setup(&h, &pv, true);
	CHECK(heap_calloc(&h, SIZE_MAX, 2) == NULL);
	CHECK(heap_calloc(&h, SIZE_MAX / 2 + 1, 2) == NULL);
	CHECK(heap_calloc(&h, (size_t)1 << 32, (size_t)1 << 32) == NULL);
	CHECK_EQ(stats_of(&h).allocs, 0);
	for (size_t n = 8; n <= 400000; n *= 3) {
		p = heap_alloc(&h, n);
		memset(p, 0xff, n);
		CHECK_EQ(heap_free(&h, p), HEAP_OK);
		p = heap_calloc(&h, n / 8, 8);
		for (size_t i = 0; p && i < n; i++)
			zero &= p[i] == 0;
		CHECK(p != NULL);
		CHECK_EQ(heap_free(&h, p), HEAP_OK);
	}
	CHECK(zero);
	p = heap_calloc(&h, 0, 5);
	CHECK(p != NULL);
	CHECK_EQ(heap_free(&h, p), HEAP_OK);
	heap_finish(&h, &pv);
}

/* Frees that must be refused: each changes nothing but the counter. */
static void test_refused(struct heap *h, void *p, int expected, uint64_t *refused)
{
	struct heap_stats before = stats_of(h), after;
	int err = heap_free(h, p);

	after = stats_of(h);
	CHECK(expected ? err == expected : err != HEAP_OK);
	CHECK_EQ(after.invalid_frees, before.invalid_frees + 1);
	CHECK_EQ(after.live, before.live);
	CHECK_EQ(after.bytes_in_use, before.bytes_in_use);
	(*refused)++;
}

static void test_invalid_frees(bool with_shrink)
{
	struct heap h, other;
	struct provider pv, pv2;
	char *s, *l, *g, *x, buf[65536] __attribute__((aligned(16)));
	uint64_t refused = 0;

	heap_setup(&h, &pv, with_shrink);
	heap_setup(&other, &pv2, true);
	s = heap_alloc(&h, 64), l = heap_alloc(&h, 5000), g = heap_alloc(&h, 200000);
	x = heap_alloc(&other, 64);
	fill(s, 64, 5), fill(l, 5000, 6), fill(g, 200000, 7);
	test_refused(&h, s + 16, HEAP_EINVAL, &refused);
	test_refused(&h, l + 32, HEAP_EINVAL, &refused);
	test_refused(&h, l + 1, HEAP_EINVAL, &refused);
	test_refused(&h, g + 16, HEAP_EINVAL, &refused);
	test_refused(&h, g + 4096, HEAP_EINVAL, &refused);
	test_refused(&h, x, HEAP_EINVAL, &refused);
	test_refused(&h, (void *)16, HEAP_EINVAL, &refused);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)rng_next();
	for (int i = 0; i < 2000; i++)
		test_refused(&h, buf + 16 + rng_below(sizeof(buf) / 16 - 1) * 16, HEAP_EINVAL,
			     &refused);
	CHECK(heap_realloc(&h, l + 64, 10) == NULL);
	refused++;
	CHECK_EQ(heap_usable_size(&h, s + 16), 0);
	CHECK(heap_check(&h));
	CHECK(intact(s, 64, 5) && intact(l, 5000, 6) && intact(g, 200000, 7));
	CHECK_EQ(heap_free(&h, s), HEAP_OK);
	test_refused(&h, s, HEAP_EDOUBLE, &refused);
	CHECK_EQ(heap_free(&h, l), HEAP_OK);
	test_refused(&h, l, 0, &refused);
	CHECK_EQ(heap_free(&h, g), HEAP_OK);
	test_refused(&h, g, 0, &refused);
	CHECK_EQ(stats_of(&h).invalid_frees, refused);
	CHECK(heap_check(&h));
	CHECK_EQ(heap_free(&other, x), HEAP_OK);
	heap_finish(&other, &pv2);
	if (with_shrink)
		heap_finish(&h, &pv);
	provider_release_all(&pv);
}

static void test_grow_failures(void)
{
	struct heap h;
	struct provider pv;
	void *objs[4096];
	size_t n = 0;

	heap_setup(&h, &pv, true);
	pv.fail = true;
	CHECK(heap_alloc(&h, 1) == NULL);
	CHECK(heap_alloc(&h, 5000) == NULL);
	CHECK(heap_alloc(&h, 500000) == NULL);
	CHECK(heap_calloc(&h, 10, 10) == NULL);
	CHECK(heap_realloc(&h, NULL, 10) == NULL);
	CHECK_EQ(stats_of(&h).grow_failures, 5);
	CHECK(heap_check(&h));
	pv.fail = false;
	pv.misalign = true;
	CHECK(heap_alloc(&h, 1) == NULL);
	CHECK_EQ(stats_of(&h).grow_failures, 6);
	CHECK_EQ(pv.nr_regions, 0); /* handed straight back */
	pv.misalign = false;
	pv.limit = 1 << 20;
	while (n < ARRAY_SIZE(objs) && (objs[n] = heap_alloc(&h, n % 2 ? 3000 : 100)))
		n++;
	CHECK(n > 500 && n < ARRAY_SIZE(objs));
	CHECK(pv.held <= pv.limit && heap_check(&h));
	CHECK_EQ(stats_of(&h).live, n);
	while (n)
		CHECK_EQ(heap_free(&h, objs[--n]), HEAP_OK);
	heap_finish(&h, &pv);
}

/* Free in an interleaved order: only full coalescing empties the arenas. */
static void test_coalescing(void)
{
	struct heap h;
	struct provider pv;
	void *objs[300];

	heap_setup(&h, &pv, true);
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = heap_alloc(&h, 1025 + i * 37 % 3000);
	for (size_t start = 0; start < 3; start++) {
		for (size_t i = start; i < ARRAY_SIZE(objs); i += 3)
			CHECK_EQ(heap_free(&h, objs[i]), HEAP_OK);
		CHECK(heap_check(&h));
	}
	heap_finish(&h, &pv);
}

/* Without shrink, freed huge regions become arenas and are reused. */
static void test_no_shrink(void)
{
	struct heap h;
	struct provider pv;
	void *p;
	size_t held;

	heap_setup(&h, &pv, false);
	p = heap_alloc(&h, 400000);
	CHECK_EQ(heap_free(&h, p), HEAP_OK);
	held = stats_of(&h).bytes_held;
	for (int i = 0; i < 3; i++) {
		void *a = heap_alloc(&h, 100000), *b = heap_alloc(&h, 100000);

		CHECK(a && b && heap_check(&h));
		CHECK_EQ(heap_free(&h, a), HEAP_OK);
		CHECK_EQ(heap_free(&h, b), HEAP_OK);
	}
	CHECK_EQ(stats_of(&h).bytes_held, held);
	heap_trim(&h);
	CHECK(heap_check(&h) && heap_matches_provider(&h, &pv));
	provider_release_all(&pv);
}

/* Many objects of every class come and go; the spans go back on trim. */
static void test_spans(void)
{
	struct heap h;
	struct provider pv;
	static void *objs[20000];

	heap_setup(&h, &pv, true);
	for (size_t round = 0; round < 3; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
			objs[i] = heap_alloc(&h, (i * 13 + round) % (HEAP_SMALL_MAX + 1));
		CHECK(heap_check(&h));
		for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
			CHECK_EQ(heap_free(&h, objs[(i * 7919) % ARRAY_SIZE(objs)]), HEAP_OK);
		CHECK(heap_check(&h));
	}
	heap_finish(&h, &pv);
}

int main(void)
{
	test_init();
	test_small_sizes();
	test_large_and_huge_sizes();
	test_realloc();
	test_calloc();
	test_invalid_frees(true);
	test_invalid_frees(false);
	test_grow_failures();
	test_coalescing();
	test_no_shrink();
	test_spans();
	return check_summary("heap");
}
