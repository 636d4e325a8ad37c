/* SPDX-License-Identifier: MIT */
/* Memory accounts (see kernel/account.h). */
#include "kernel/account.h"

#include "kernel/kheap.h"
#include "kernel/panic.h"
#include "sys/errors.h"

struct account *account_create(void)
{
	struct account *a = kzalloc(sizeof(*a));

	if (a) {
		a->refs = 1;
		a->limit = ACCOUNT_UNLIMITED;
	}
	return a;
}

void account_get(struct account *a)
{
	a->refs++;
}

void account_put(struct account *a)
{
	KASSERT(a->refs > 0);
	if (--a->refs == 0) {
		KASSERT(a->used == 0);
		kfree(a);
	}
}

int account_charge(struct account *a, uint64_t pages)
{
	if (pages > a->limit || a->used > a->limit - pages)
		return E_QUOTA;
	a->used += pages;
	return E_OK;
}

void account_uncharge(struct account *a, uint64_t pages)
{
	KASSERT(a->used >= pages);
	a->used -= pages;
}
