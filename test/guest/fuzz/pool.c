/* SPDX-License-Identifier: MIT */
/*
 * The handle pool: a few slots per object type holding handles the child
 * made or received, shared by all its threads without locks (a handle one
 * thread closes while another uses it is just one more case to fuzz). A new
 * handle evicts a random one of its type, which is usually closed (so the
 * table stays small) and then remembered as stale. Handles granted into
 * other processes are kept too: valid numbers in the wrong table.
 */
#include "fuzz.h"

#define POOL_SLOTS 6
#define RING	   16

static handle_t pool[FK_COUNT][POOL_SLOTS];
static handle_t stale[RING], foreign[RING];
static unsigned stale_next, foreign_next;

static void ring_put(handle_t *ring, unsigned *next, handle_t h)
{
	unsigned i = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED) % RING;

	__atomic_store_n(&ring[i], h, __ATOMIC_RELAXED);
}

void fz_pool_put(struct fz_thread *t, enum fz_kind k, handle_t h)
{
	unsigned i = (unsigned)fz_below(&t->rng, POOL_SLOTS);
	handle_t old = __atomic_exchange_n(&pool[k][i], h, __ATOMIC_RELAXED);

	if (old == HANDLE_INVALID || old == h)
		return;
	if (fz_percent(&t->rng, 90)) /* the rest stay open until the child ends */
		sys_handle_close(old);
	ring_put(stale, &stale_next, old);
}

handle_t fz_pool_get(struct fz_thread *t, enum fz_kind k)
{
	for (int tries = 0; tries < 3; tries++) {
		handle_t h =
			__atomic_load_n(&pool[k][fz_below(&t->rng, POOL_SLOTS)], __ATOMIC_RELAXED);
		if (h != HANDLE_INVALID)
			return h;
	}
	return HANDLE_INVALID;
}

handle_t fz_pool_any(struct fz_thread *t)
{
	return fz_pool_get(t, (enum fz_kind)fz_below(&t->rng, FK_COUNT));
}

void fz_pool_foreign(handle_t h)
{
	ring_put(foreign, &foreign_next, h);
}

static handle_t ring_get(struct fz_thread *t, handle_t *ring)
{
	return __atomic_load_n(&ring[fz_below(&t->rng, RING)], __ATOMIC_RELAXED);
}

/* A handle value that names nothing we may use here, or names it wrongly. */
handle_t fz_pool_bogus(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	uint32_t slot = (uint32_t)fz_below(r, 0x10000);

	switch (fz_below(r, 8)) {
	case 0:
		return ring_get(t, stale);
	case 1:
		return ring_get(t, foreign);
	case 2:
		return slot; /* generation 0: never issued */
	case 3:
		return 0x7FFFu << 16 | slot;
	case 4:
		return HANDLE_SELF;
	case 5:
		return (handle_t)fz_next(r);
	case 6:
		return 0x8000u << 16 | (fz_pool_any(t) & 0xFFFF); /* top bit set */
	default:
		return HANDLE_INVALID;
	}
}

static enum fz_kind kind_of(uint32_t type)
{
	switch (type) {
	case KOBJ_ENDPOINT:
		return FK_EP;
	case KOBJ_NOTIFICATION:
		return FK_NTFN;
	case KOBJ_MOBJ:
		return FK_MOBJ;
	case KOBJ_PROCESS:
		return FK_PROC;
	case KOBJ_THREAD:
		return FK_THREAD;
	case KOBJ_REPLY:
		return FK_REPLY;
	default:
		return FK_OTHER;
	}
}

void fz_pool_classify(struct fz_thread *t, handle_t h)
{
	struct handle_info info;

	if (h == HANDLE_INVALID || sys_handle_info(h, &info) != E_OK)
		return;
	fz_pool_put(t, kind_of(info.type), h);
}
