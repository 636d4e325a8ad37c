/* SPDX-License-Identifier: MIT */
/*
 * Reference counting for kernel objects and per-type live counters (the
 * leak check that tests read through SYS_KINFO).
 */
#include "kernel/object.h"

#include "kernel/panic.h"

static uint64_t live[KOBJ_TYPES];

static void (*const destructors[KOBJ_TYPES])(struct kobj *) = {
	[KOBJ_PROCESS] = process_destroy, [KOBJ_THREAD] = thread_destroy,
	[KOBJ_ENDPOINT] = endpoint_destroy, [KOBJ_NOTIFICATION] = ntfn_destroy,
	[KOBJ_MOBJ] = mobj_destroy,         [KOBJ_REPLY] = reply_destroy,
	[KOBJ_RESOURCE] = resource_destroy, [KOBJ_IRQ] = irq_destroy,
	[KOBJ_IOPORT] = ioport_destroy,
};

void kobj_init(struct kobj *o, enum kobj_type type)
{
	o->type = type;
	o->refs = 1;
	live[type]++;
}

void kobj_get(struct kobj *o)
{
	KASSERT(o->refs > 0);
	o->refs++;
}

void kobj_put(struct kobj *o)
{
	KASSERT(o->refs > 0);
	if (--o->refs > 0)
		return;
	live[o->type]--;
	destructors[o->type](o);
}

uint64_t kobj_live(enum kobj_type type)
{
	return type < KOBJ_TYPES ? live[type] : 0;
}
