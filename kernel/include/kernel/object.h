/* SPDX-License-Identifier: MIT */
/*
 * Kernel objects: the header every object that handles can name starts with,
 * and reference counting. A handle holds a reference; so does a thread on its
 * process, a mapping on its memory object, and a blocked thread on the object
 * it waits on. The last kobj_put destroys the object through its type, then
 * gives back what creating it was charged (kobj_charge) to the account that
 * paid.
 */
#pragma once

#include "kernel/types.h"
#include "sys/handle.h"

struct account;

struct kobj {
	uint32_t type; /* enum kobj_type */
	uint32_t refs;
	uint64_t charge;      /* bytes charged to `acct` for this object */
	struct account *acct; /* NULL: charged to nobody */
};

#define KOBJ_TYPES 10

void kobj_init(struct kobj *o, enum kobj_type type);
void kobj_get(struct kobj *o);
void kobj_put(struct kobj *o);
uint64_t kobj_live(enum kobj_type type);
/* Charge `bytes` for `o` to `a` (E_QUOTA: nothing charged); refunded when `o` goes. */
int kobj_charge(struct kobj *o, struct account *a, uint64_t bytes);
/* Record a charge of `bytes` already made to `a` (account_charge) as `o`'s. */
void kobj_adopt_charge(struct kobj *o, struct account *a, uint64_t bytes);

/* Destructors, one per type, called by kobj_put when refs reach zero. */
void process_destroy(struct kobj *o);
void thread_destroy(struct kobj *o);
void endpoint_destroy(struct kobj *o);
void ntfn_destroy(struct kobj *o);
void mobj_destroy(struct kobj *o);
void reply_destroy(struct kobj *o);
void resource_destroy(struct kobj *o);
void irq_destroy(struct kobj *o);
void ioport_destroy(struct kobj *o);
