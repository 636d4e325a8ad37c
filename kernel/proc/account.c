/* SPDX-License-Identifier: MIT */
/*
 * Memory accounts (see kernel/account.h): a tree of byte counters with a
 * limit each. A charge walks from the account to the root twice, first to
 * check every limit, then to add, so a refused charge changes nothing.
 */
#include "kernel/account.h"

#include "kernel/kheap.h"
#include "kernel/layout.h"
#include "kernel/panic.h"
#include "sys/errors.h"

int account_create(struct account *parent, struct account **out)
{
	if (parent && parent->depth + 1 > ACCOUNT_MAX_DEPTH)
		return E_RANGE;
	struct account *a = kzalloc(sizeof(*a));
	if (!a)
		return E_NOMEM;
	a->refs = 1;
	a->limit = ACCOUNT_UNLIMITED;
	a->parent = parent;
	if (parent) {
		a->depth = parent->depth + 1;
		account_get(parent);
	}
	*out = a;
	return E_OK;
}

void account_get(struct account *a)
{
	a->refs++;
}

void account_put(struct account *a)
{
	while (a) {
		KASSERT(a->refs > 0);
		if (--a->refs > 0)
			return;
		KASSERT(a->used == 0);
		struct account *parent = a->parent;
		kfree(a);
		a = parent;
	}
}

static bool fits(const struct account *a, uint64_t bytes)
{
	return bytes <= a->limit && a->used <= a->limit - bytes;
}

int account_charge(struct account *a, uint64_t bytes)
{
	for (struct account *x = a; x; x = x->parent)
		if (!fits(x, bytes))
			return E_QUOTA;
	for (struct account *x = a; x; x = x->parent)
		x->used += bytes;
	return E_OK;
}

void account_uncharge(struct account *a, uint64_t bytes)
{
	for (struct account *x = a; x; x = x->parent) {
		KASSERT(x->used >= bytes);
		x->used -= bytes;
	}
}

bool account_covers(const struct account *anc, const struct account *a)
{
	for (; a; a = a->parent)
		if (a == anc)
			return true;
	return false;
}

/*
 * The new payer is charged before the old chain is refunded, so an account
 * above both briefly counts `a` twice: a move can be refused near a common
 * ancestor's limit even though it would end within it.
 */
int account_move(struct account *a, struct account *payer)
{
	KASSERT(payer != a && account_covers(payer, a));
	if (payer == a->parent)
		return E_OK;
	int err = account_charge(payer, a->used);
	if (err)
		return err;
	account_uncharge(a->parent, a->used);
	account_get(payer);
	account_put(a->parent);
	a->parent = payer;
	a->depth = payer->depth + 1; /* lower than before; descendants keep a bound */
	return E_OK;
}

uint64_t account_pages_to_bytes(uint64_t pages)
{
	return pages >= ACCOUNT_UNLIMITED / PAGE_SIZE ? ACCOUNT_UNLIMITED : pages * PAGE_SIZE;
}

uint64_t account_bytes_to_pages(uint64_t bytes)
{
	if (bytes == ACCOUNT_UNLIMITED)
		return ACCOUNT_UNLIMITED;
	return bytes / PAGE_SIZE + (bytes % PAGE_SIZE != 0);
}
