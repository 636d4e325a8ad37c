/* SPDX-License-Identifier: MIT */
/*
 * Self-tests of the kernel's own limits: handle numbers that can never
 * collide with HANDLE_SELF or HANDLE_INVALID however often a slot is reused,
 * and accounts that charge up the tree and refuse past any limit.
 */
#include "kernel/account.h"
#include "kernel/handle.h"
#include "sys/errors.h"
#include "test/test.h"

#define LAST_SLOT 0xFFFFu

static bool handle_ok(handle_t h)
{
	return h != HANDLE_SELF && h != HANDLE_INVALID;
}

/* Fill `ht` until the last slot is handed out; that slot's handle. */
static handle_t fill_to_last(struct handle_table *ht, struct kobj *o)
{
	handle_t h = HANDLE_INVALID;

	while ((h & 0xFFFF) != LAST_SLOT)
		if (handle_insert(ht, o, R_ALL, 0, &h) != E_OK)
			return HANDLE_INVALID;
	return h;
}

TEST(quota, handle_never_self, "every generation of the last slot differs from HANDLE_SELF")
{
	struct kobj o = {.type = KOBJ_ENDPOINT, .refs = 1}; /* never reaches 0 */
	struct account *a;
	struct handle_table ht;
	bool all_ok = true;

	T_ASSERT(account_create(NULL, &a) == E_OK);
	T_ASSERT(handle_table_init(&ht, a, NULL) == E_OK);
	handle_t h = fill_to_last(&ht, &o);
	for (uint32_t i = 0; i <= 0x10000 && all_ok; i++) {
		all_ok = handle_ok(h) && handle_remove(&ht, h) == E_OK &&
			 handle_insert(&ht, &o, R_ALL, 0, &h) == E_OK && (h & 0xFFFF) == LAST_SLOT;
	}
	handle_table_destroy(&ht);
	bool refunded = a->used == 0 && o.refs == 1;
	account_put(a);
	T_ASSERT(all_ok);
	T_ASSERT(refunded);
}

TEST(quota, account_tree, "a charge counts at every level above and stops at any limit")
{
	struct account *root, *mid, *leaf;

	T_ASSERT(account_create(NULL, &root) == E_OK);
	T_ASSERT(account_create(root, &mid) == E_OK);
	T_ASSERT(account_create(mid, &leaf) == E_OK);
	mid->limit = 100;
	bool ok = account_charge(leaf, 60) == E_OK && account_charge(leaf, 41) == E_QUOTA &&
		  leaf->used == 60 && mid->used == 60 && root->used == 60;
	ok = ok && account_move(leaf, root) == E_OK && mid->used == 0 && root->used == 60;
	account_uncharge(leaf, 60);
	ok = ok && root->used == 0 && account_covers(root, leaf) && !account_covers(mid, leaf);
	account_put(leaf);
	account_put(mid);
	account_put(root);
	T_ASSERT(ok);
}
