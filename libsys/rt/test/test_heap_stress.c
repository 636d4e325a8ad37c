/* SPDX-License-Identifier: MIT */
/*
 * Random run of the libsys heap against a model. A fixed table of slots
 * holds the live objects; each step picks a slot and allocates (heap_alloc
 * or heap_calloc), frees, reallocates or re-reads it, with sizes from 0 to
 * 512 KiB across all three tiers. Every object holds a window of a random
 * reference buffer, so a lost byte, an overlap or a bad realloc copy shows
 * up as a mismatch. After every step the counters must equal the model's
 * and the provider's; every CHECK_EVERY steps heap_check runs and the live
 * objects are checked for overlap. At the end everything is freed and every
 * region must go back.
 */
#include "heap_fixture.h"

#define NR_SLOTS    2048
#define MAX_SIZE    ((size_t)512 << 10)
#define REF_BYTES   ((size_t)1 << 20)
#define CHECK_EVERY 997

struct obj {
	unsigned char *p;
	size_t size, usable;
	size_t off; /* the object holds ref[off .. off + size) */
};

struct model {
	struct obj slots[NR_SLOTS];
	uint64_t live, allocs, frees;
	size_t in_use;
	long bad; /* failed checks, summed so one CHECK reports a whole run */
};

static unsigned char ref[REF_BYTES + MAX_SIZE];
static unsigned char zeros[MAX_SIZE];
static struct model model;

static size_t random_size(void)
{
	uint64_t pick = rng_below(1000);

	if (pick < 550)
		return rng_below(257);
	if (pick < 750)
		return 257 + rng_below(HEAP_SMALL_MAX - 256);
	if (pick < 930)
		return HEAP_SMALL_MAX + 1 + rng_below(15 << 10);
	if (pick < 993)
		return (16 << 10) + rng_below(HEAP_HUGE_MIN - (16 << 10) + 1);
	return HEAP_HUGE_MIN + 1 + rng_below(MAX_SIZE - HEAP_HUGE_MIN);
}

static bool obj_intact(const struct obj *o, size_t n)
{
	return memcmp(o->p, ref + o->off, n) == 0;
}

static void model_alloc(struct heap *h, struct model *m, struct obj *o)
{
	size_t n = random_size();
	bool zeroed = rng_below(4) == 0;
	unsigned char *p = zeroed && n % 8 == 0 ? heap_calloc(h, n / 8, 8)
			   : zeroed		? heap_calloc(h, 1, n)
						: heap_alloc(h, n);

	if (!p) {
		m->bad++;
		return;
	}
	*o = (struct obj){p, n, heap_usable_size(h, p), rng_below(REF_BYTES)};
	m->bad += (uintptr_t)p % HEAP_ALIGN != 0 || o->usable < n;
	m->bad += zeroed && memcmp(p, zeros, n) != 0;
	memcpy(p, ref + o->off, n);
	m->live++;
	m->allocs++;
	m->in_use += o->usable;
}

static void model_free(struct heap *h, struct model *m, struct obj *o)
{
	m->bad += !obj_intact(o, o->size);
	m->bad += heap_free(h, o->p) != HEAP_OK;
	m->live--;
	m->frees++;
	m->in_use -= o->usable;
	o->p = NULL;
}

static void model_realloc(struct heap *h, struct model *m, struct obj *o)
{
	size_t n = random_size(), keep = n < o->size ? n : o->size;
	unsigned char *q;

	if (n == 0) {
		m->bad += !obj_intact(o, o->size);
		m->bad += heap_realloc(h, o->p, 0) != NULL;
		m->live--, m->frees++, m->in_use -= o->usable;
		o->p = NULL;
		return;
	}
	if (!(q = heap_realloc(h, o->p, n))) {
		m->bad++;
		return;
	}
	if (q != o->p)
		m->allocs++, m->frees++;
	m->in_use -= o->usable;
	o->p = q;
	o->size = n;
	o->usable = heap_usable_size(h, q);
	m->in_use += o->usable;
	m->bad += (uintptr_t)q % HEAP_ALIGN != 0 || o->usable < n || !obj_intact(o, keep);
	memcpy(q + keep, ref + o->off + keep, n - keep);
}

static void model_step(struct heap *h, struct model *m)
{
	struct obj *o = &m->slots[rng_below(NR_SLOTS)];
	uint64_t pick = rng_below(10);

	if (!o->p)
		model_alloc(h, m, o);
	else if (pick < 5)
		model_free(h, m, o);
	else if (pick < 9)
		model_realloc(h, m, o);
	else
		m->bad += !obj_intact(o, o->size) || heap_usable_size(h, o->p) != o->usable;
}

static bool model_stats_match(const struct heap *h, const struct model *m,
			      const struct provider *pv)
{
	struct heap_stats st;

	heap_stats(h, &st);
	if (st.live != m->live || st.allocs != m->allocs || st.frees != m->frees)
		return false;
	if (st.bytes_in_use != m->in_use || st.invalid_frees != 0 || st.grow_failures != 0)
		return false;
	return heap_matches_provider(h, pv);
}

static int obj_cmp(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/* No two live objects overlap, each counted at its usable size. */
static bool model_no_overlap(const struct model *m)
{
	static struct obj sorted[NR_SLOTS];
	size_t n = 0;

	for (size_t i = 0; i < NR_SLOTS; i++) {
		if (m->slots[i].p)
			sorted[n++] = m->slots[i];
	}
	qsort(sorted, n, sizeof(*sorted), obj_cmp);
	for (size_t i = 1; i < n; i++) {
		if (sorted[i - 1].p + sorted[i - 1].usable > sorted[i].p)
			return false;
	}
	return true;
}

static void run(bool with_shrink, uint64_t seed, long steps)
{
	struct heap h;
	struct provider pv;
	struct model *m = &model;
	long stats_bad = 0, check_bad = 0;

	memset(m, 0, sizeof(*m));
	rng_state = seed;
	heap_setup(&h, &pv, with_shrink);
	for (long i = 1; i <= steps; i++) {
		model_step(&h, m);
		stats_bad += !model_stats_match(&h, m, &pv);
		if (i % CHECK_EVERY == 0)
			check_bad += !heap_check(&h) || !model_no_overlap(m);
	}
	CHECK_EQ(m->bad, 0);
	CHECK_EQ(stats_bad, 0);
	CHECK_EQ(check_bad, 0);
	CHECK(m->allocs > (uint64_t)steps / 4 && m->frees > (uint64_t)steps / 4);
	for (size_t i = 0; i < NR_SLOTS; i++) {
		if (m->slots[i].p)
			model_free(&h, m, &m->slots[i]);
	}
	CHECK_EQ(m->bad, 0);
	CHECK(model_stats_match(&h, m, &pv) && heap_check(&h));
	CHECK_EQ(m->in_use, 0);
	CHECK(h.huge == NULL); /* every huge region went back or became an arena */
	if (with_shrink)
		CHECK_EQ(pv.nr_regions, h.nr_arenas);
	heap_trim(&h);
	CHECK(heap_check(&h) && heap_matches_provider(&h, &pv));
	if (with_shrink)
		CHECK_EQ(pv.held, 0);
	provider_release_all(&pv);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(ref); i++)
		ref[i] = (unsigned char)(rng_next() >> 56);
	run(true, 0x1234567887654321ull, 500000);
	run(false, 0xfeedfacecafebeefull, 100000);
	return check_summary("heap_stress");
}
