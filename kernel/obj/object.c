/* SPDX-License-Identifier: MIT */
/*
 * Reference counting for kernel objects and per-type live counters (the
 * leak check that tests read through SYS_KINFO).
 */
#include "kernel/object.h"

#include "kernel/account.h"
#include "kernel/panic.h"
#include "sys/errors.h"

static uint64_t live[KOBJ_TYPES];

static void (*const destructors[KOBJ_TYPES])(struct kobj *) = {
	[KOBJ_PROCESS] = process_destroy,   [KOBJ_THREAD] = thread_destroy,
	[KOBJ_ENDPOINT] = endpoint_destroy, [KOBJ_NOTIFICATION] = ntfn_destroy,
	[KOBJ_MOBJ] = mobj_destroy,	    [KOBJ_REPLY] = reply_destroy,
	[KOBJ_RESOURCE] = resource_destroy, [KOBJ_IRQ] = irq_destroy,
	[KOBJ_IOPORT] = ioport_destroy,
};

void kobj_init(struct kobj *o, enum kobj_type type)
{
	o->type = type;
	o->refs = 1;
	o->charge = 0;
	o->acct = NULL;
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
	struct account *a = o->acct;
	uint64_t charge = o->charge;

	live[o->type]--;
	destructors[o->type](o); /* frees o */
	if (a) {
		account_uncharge(a, charge);
		account_put(a);
	}
}

int kobj_charge(struct kobj *o, struct account *a, uint64_t bytes)
{
	int err = account_charge(a, bytes);
	if (err)
		return err;
	kobj_adopt_charge(o, a, bytes);
	return E_OK;
}

void kobj_adopt_charge(struct kobj *o, struct account *a, uint64_t bytes)
{
	KASSERT(!o->acct);
	account_get(a);
	o->acct = a;
	o->charge = bytes;
}

uint64_t kobj_live(enum kobj_type type)
{
	return type < KOBJ_TYPES ? live[type] : 0;
}
