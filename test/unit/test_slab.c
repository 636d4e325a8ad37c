/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the slab allocator (kernel/mm/slab.c).
 *
 * Layered as: a page provider over aligned_alloc that counts pages out and
 * can be told to fail or to hand out misaligned pages; a model of live
 * objects (address, size, fill pattern) with expected counters; and test
 * cases, from size-class edges to a 200k-operation random run that checks
 * patterns, overlaps, alignment and every counter after each step.
 */
#include "../../kernel/mm/slab.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* ---- page provider ---- */

struct provider {
	long outstanding; /* pages handed to the heap and not yet returned */
	bool fail;	  /* alloc_page returns NULL */
	bool misalign;	  /* alloc_page returns a page 64 bytes off alignment */
};

static void *provider_alloc(void *ctx)
{
	struct provider *pv = ctx;
	char *p;

	if (pv->fail)
		return NULL;
	p = aligned_alloc(SLAB_PAGE_SIZE, pv->misalign ? 2 * SLAB_PAGE_SIZE : SLAB_PAGE_SIZE);
	memset(p, 0xa5, SLAB_PAGE_SIZE); /* garbage, as a fresh frame would hold */
	pv->outstanding++;
	return pv->misalign ? p + 64 : p;
}

static void provider_free(void *ctx, void *page)
{
	struct provider *pv = ctx;
	uintptr_t addr = (uintptr_t)page;

	pv->outstanding--;
	free((void *)(addr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1)));
}

static void heap_setup(struct slab_heap *h, struct provider *pv)
{
	struct slab_page_ops ops = {provider_alloc, provider_free, pv};

	memset(pv, 0, sizeof(*pv));
	CHECK_EQ(slab_init(h, &ops), SLAB_OK);
}

/* ---- random numbers (xorshift64*) ---- */

static uint64_t rng_state;

static uint64_t rng_below(uint64_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull % n;
}

/* ---- model ---- */

struct obj {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

struct model {
	struct obj *objs;
	size_t n, cap;
	uint64_t allocs, frees, class_live[SLAB_NR_CLASSES];
	long bad; /* failed checks, summed so one CHECK reports a whole run */
};

static unsigned size_class(size_t size)
{
	unsigned ci = 0;

	while ((size_t)16 << ci < size)
		ci++;
	return ci;
}

static void obj_fill(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++)
		o->p[i] = (unsigned char)(o->tag + i);
}

static bool obj_intact(const struct obj *o)
{
	for (size_t i = 0; i < o->size; i++) {
		if (o->p[i] != (unsigned char)(o->tag + i))
			return false;
	}
	return true;
}

static size_t random_size(void)
{
	uint64_t pick = rng_below(10);

	if (pick < 5)
		return 1 + rng_below(64);
	if (pick < 8)
		return 65 + rng_below(448);
	return 513 + rng_below(SLAB_MAX_SIZE - 512);
}

static void model_alloc(struct slab_heap *h, struct model *m)
{
	struct obj o = {.size = random_size(), .tag = (unsigned char)rng_below(256)};
	size_t align;

	o.p = slab_alloc(h, o.size);
	if (!o.p) {
		m->bad++;
		return;
	}
	align = MIN((size_t)16 << size_class(o.size), (size_t)64);
	m->bad += (uintptr_t)o.p % align != 0;
	m->bad += (uintptr_t)o.p % SLAB_PAGE_SIZE < SLAB_HDR_SIZE;
	obj_fill(&o);
	m->objs[m->n++] = o;
	m->allocs++;
	m->class_live[size_class(o.size)]++;
}

static void model_free(struct slab_heap *h, struct model *m, size_t i)
{
	struct obj o = m->objs[i];

	m->bad += !obj_intact(&o);
	m->bad += slab_free(h, o.p) != SLAB_OK;
	m->objs[i] = m->objs[--m->n];
	m->frees++;
	m->class_live[size_class(o.size)]--;
}

/* Counters must match the model and the provider exactly. */
static bool model_stats_match(const struct slab_heap *h, const struct model *m,
			      const struct provider *pv)
{
	struct slab_stats st;

	slab_stats(h, &st);
	if (st.live != m->n || st.allocs != m->allocs || st.frees != m->frees)
		return false;
	if (st.pages != (uint64_t)pv->outstanding || st.invalid_frees != 0)
		return false;
	for (unsigned ci = 0; ci < SLAB_NR_CLASSES; ci++) {
		if (st.classes[ci].live != m->class_live[ci])
			return false;
	}
	return true;
}

static int obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/* No two live slots overlap, counting each at its full class size. */
static bool model_no_overlap(struct model *m)
{
	qsort(m->objs, m->n, sizeof(*m->objs), obj_cmp);
	for (size_t i = 1; i < m->n; i++) {
		size_t prev_slot = (size_t)16 << size_class(m->objs[i - 1].size);

		if (m->objs[i - 1].p + prev_slot > m->objs[i].p)
			return false;
	}
	return true;
}

/* ---- cases ---- */

static void test_size_classes(void)
{
	struct slab_heap h;
	struct provider pv;
	struct slab_stats st;
	void *p;

	heap_setup(&h, &pv);
	CHECK(slab_alloc(&h, 0) == NULL);
	CHECK(slab_alloc(&h, SLAB_MAX_SIZE + 1) == NULL);
	CHECK(slab_alloc(&h, (size_t)-1) == NULL);
	for (size_t size = 1; size <= SLAB_MAX_SIZE; size = size * 2 + 1) {
		p = slab_alloc(&h, size);
		CHECK(p != NULL);
		slab_stats(&h, &st);
		CHECK_EQ(st.classes[size_class(size)].live, 1);
		CHECK_EQ(slab_free(&h, p), SLAB_OK);
	}
	p = slab_alloc(&h, SLAB_MAX_SIZE);
	slab_stats(&h, &st);
	CHECK_EQ(st.classes[SLAB_NR_CLASSES - 1].live, 1);
	CHECK_EQ(st.classes[0].size, 16);
	CHECK_EQ(st.classes[0].objs_per_page, 252);
	CHECK_EQ(st.classes[SLAB_NR_CLASSES - 1].size, 2048);
	CHECK_EQ(st.classes[SLAB_NR_CLASSES - 1].objs_per_page, 1);
	CHECK_EQ(slab_free(&h, p), SLAB_OK);
	CHECK_EQ(slab_free(&h, NULL), SLAB_OK);
	CHECK(slab_check(&h));
	slab_shrink(&h);
	CHECK_EQ(pv.outstanding, 0);
	CHECK_EQ(slab_init(&h, &(struct slab_page_ops){NULL, provider_free, &pv}), SLAB_EINVAL);
}

/* Fill whole pages of one class: pages come and go as the lists say. */
static void test_page_lifecycle(void)
{
	struct slab_heap h;
	struct provider pv;
	void *objs[3 * 252];

	heap_setup(&h, &pv);
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = slab_alloc(&h, 16);
	CHECK_EQ(pv.outstanding, 3);
	CHECK(slab_check(&h));
	for (size_t i = 0; i < ARRAY_SIZE(objs); i++)
		CHECK_EQ(slab_free(&h, objs[i]), SLAB_OK);
	CHECK_EQ(pv.outstanding, 1); /* one empty page cached */
	CHECK(slab_check(&h));
	objs[0] = slab_alloc(&h, 16); /* reuses the cached page */
	CHECK_EQ(pv.outstanding, 1);
	CHECK_EQ(slab_free(&h, objs[0]), SLAB_OK);
	slab_shrink(&h);
	CHECK_EQ(pv.outstanding, 0);
	CHECK(slab_check(&h));
}

static void test_provider_failure(void)
{
	struct slab_heap h;
	struct provider pv;
	struct slab_stats st;
	void *p;

	heap_setup(&h, &pv);
	pv.fail = true;
	CHECK(slab_alloc(&h, 100) == NULL);
	pv.fail = false;
	pv.misalign = true;
	CHECK(slab_alloc(&h, 100) == NULL);
	CHECK_EQ(pv.outstanding, 0); /* the misaligned page went back */
	pv.misalign = false;
	p = slab_alloc(&h, 100);
	CHECK(p != NULL);
	slab_stats(&h, &st);
	CHECK_EQ(st.page_failures, 2);
	CHECK_EQ(st.live, 1);
	CHECK_EQ(st.allocs, 1);
	CHECK_EQ(slab_free(&h, p), SLAB_OK);
	slab_shrink(&h);
	CHECK_EQ(pv.outstanding, 0);
}

/* Every bad free is rejected, counted, and changes nothing else. */
static void test_invalid_frees(void)
{
	struct slab_heap h, other;
	struct provider pv, pv2;
	struct slab_stats before, after;
	unsigned char *a, *big, *spare_obj, *foreign;

	heap_setup(&h, &pv);
	heap_setup(&other, &pv2);
	a = slab_alloc(&h, 40);
	big = slab_alloc(&h, 1024);
	spare_obj = slab_alloc(&h, 200);
	memset(a, 0x11, 40);
	CHECK_EQ(slab_free(&h, spare_obj), SLAB_OK); /* its page becomes the spare */
	foreign = aligned_alloc(SLAB_PAGE_SIZE, SLAB_PAGE_SIZE);
	memset(foreign, 0, SLAB_PAGE_SIZE);

	CHECK_EQ(slab_free(&h, a), SLAB_OK);
	CHECK_EQ(slab_free(&h, a), SLAB_EDOUBLE);
	a = slab_alloc(&h, 40);
	slab_stats(&h, &before);
	CHECK_EQ(slab_free(&h, a + 1), SLAB_EINVAL);  /* inside an object */
	CHECK_EQ(slab_free(&h, a - 32), SLAB_EINVAL); /* another slot's middle */
	CHECK_EQ(slab_free(&h, (void *)((uintptr_t)a & ~(uintptr_t)(SLAB_PAGE_SIZE - 1))),
		 SLAB_EINVAL);				      /* the header */
	CHECK_EQ(slab_free(&h, big + 3 * 1024), SLAB_EINVAL); /* slack past the last slot */
	CHECK_EQ(slab_free(&h, spare_obj), SLAB_EDOUBLE);     /* slot of the cached page */
	CHECK_EQ(slab_free(&h, foreign + 64), SLAB_EINVAL);   /* not a slab page */
	CHECK_EQ(slab_free(&other, a), SLAB_EINVAL);	      /* someone else's heap */
	slab_stats(&h, &after);
	CHECK_EQ(after.invalid_frees, before.invalid_frees + 6);
	after.invalid_frees = before.invalid_frees;
	CHECK(memcmp(&before, &after, sizeof(before)) == 0);
	CHECK(slab_check(&h));
	CHECK_EQ(slab_free(&h, a), SLAB_OK);
	CHECK_EQ(slab_free(&h, big), SLAB_OK);
	slab_shrink(&h);
	CHECK_EQ(pv.outstanding, 0);
	free(foreign);
}

static void random_run(uint64_t seed, long ops, size_t max_live)
{
	struct slab_heap h;
	struct provider pv;
	struct model m = {.cap = max_live};
	struct slab_stats st;

	heap_setup(&h, &pv);
	m.objs = calloc(max_live, sizeof(*m.objs));
	rng_state = seed;
	for (long op = 0; op < ops; op++) {
		bool grow = m.n == 0 ||
			    (m.n < m.cap && rng_below(100) < (op % 30000 < 15000 ? 70 : 35));

		if (grow)
			model_alloc(&h, &m);
		else
			model_free(&h, &m, rng_below(m.n));
		m.bad += !model_stats_match(&h, &m, &pv);
		if (op % 5000 == 0)
			m.bad += !slab_check(&h) || !model_no_overlap(&m);
	}
	CHECK_EQ(m.bad, 0);
	CHECK(model_no_overlap(&m) && slab_check(&h));
	while (m.n > 0)
		model_free(&h, &m, m.n - 1);
	CHECK_EQ(m.bad, 0);
	CHECK(model_stats_match(&h, &m, &pv) && slab_check(&h));
	slab_stats(&h, &st);
	for (unsigned ci = 0; ci < SLAB_NR_CLASSES; ci++)
		CHECK(st.classes[ci].pages <= 1); /* only the cached page is kept */
	CHECK(pv.outstanding <= SLAB_NR_CLASSES);
	slab_shrink(&h);
	CHECK_EQ(pv.outstanding, 0);
	slab_stats(&h, &st);
	CHECK_EQ(st.pages, 0);
	free(m.objs);
}

static void test_random(void)
{
	random_run(1, 200000, 4000);
	random_run(2, 100000, 300);
}

int main(void)
{
	test_size_classes();
	test_page_lifecycle();
	test_provider_failure();
	test_invalid_frees();
	test_random();
	return check_summary("slab");
}
