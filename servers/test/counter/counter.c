/* SPDX-License-Identifier: MIT */
/*
 * counter's handlers. The count is in the state memory object that outlives
 * each instance, so every update is one aligned 8-byte store: a crash at
 * any instruction leaves either the old count or the new one, never a torn
 * one.
 */
#include "counter.h"

bool counter_state_open(struct counter_state *s)
{
	bool corrupted = false;

	if (s->magic != COUNTER_STATE_MAGIC) {
		corrupted = s->magic != 0 || s->count != 0;
		s->count = 0;
		s->instances = 0;
		s->magic = COUNTER_STATE_MAGIC;
	}
	s->instances++;
	return corrupted;
}

static long counter_add_op(void *ctx, const struct counter_add_request *rq,
			   struct counter_add_reply *rp)
{
	struct counter_state *s = ctx;
	uint64_t count = s->count + rq->amount;

	__atomic_store_n(&s->count, count, __ATOMIC_RELEASE);
	rp->count = count;
	return 0;
}

static long counter_get_op(void *ctx, struct counter_get_reply *rp)
{
	const struct counter_state *s = ctx;

	rp->count = __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
	rp->instances = s->instances;
	return 0;
}

const struct counter_ops counter_ops = {.add = counter_add_op, .get = counter_get_op};
