/* SPDX-License-Identifier: MIT */
/*
 * Handle tables: a growable array of slots with a free list threaded through
 * the unused ones. Lookups are O(1) and check generation, type and rights,
 * in that order, so each failure has its own error. Growth is charged to the
 * owner's account before it happens and given back when the table goes.
 * Endpoint handles with a badge are counted per badge as they come and go
 * (ipc/client.c), so a server can learn when a client is gone.
 */
#include "kernel/handle.h"

#include "kernel/account.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/string.h"
#include "sys/errors.h"

#define INITIAL_SLOTS HANDLE_INITIAL_SLOTS

static void link_free(struct handle_table *ht, uint32_t from, uint32_t to)
{
	for (uint32_t i = to; i-- > from;) {
		ht->slots[i].obj = NULL;
		ht->slots[i].type = KOBJ_NONE;
		ht->slots[i].next_free = ht->free_head;
		ht->free_head = i;
	}
}

int handle_table_init(struct handle_table *ht, struct account *acct, struct kobj *owner)
{
	ht->acct = acct;
	ht->owner = owner;
	ht->slots = kmem_zalloc(INITIAL_SLOTS * sizeof(*ht->slots));
	if (!ht->slots)
		return E_NOMEM;
	ht->capacity = INITIAL_SLOTS;
	ht->free_head = 0;
	ht->used = 0;
	for (uint32_t i = 0; i < INITIAL_SLOTS; i++)
		ht->slots[i].gen = 1;
	link_free(ht, 1, INITIAL_SLOTS);
	return E_OK;
}

static uint64_t slot_bytes(uint32_t n)
{
	return (uint64_t)n * sizeof(struct handle_slot);
}

static int grow(struct handle_table *ht)
{
	uint32_t cap = ht->capacity * 2;

	if (ht->capacity >= HANDLE_MAX_SLOTS)
		return E_NOSPACE;
	if (cap > HANDLE_MAX_SLOTS + 1)
		cap = HANDLE_MAX_SLOTS + 1;
	uint64_t more = slot_bytes(cap) - slot_bytes(ht->capacity);
	if (account_charge(ht->acct, more))
		return E_QUOTA;
	struct handle_slot *s = kmem_zalloc(slot_bytes(cap));
	if (!s) {
		account_uncharge(ht->acct, more);
		return E_NOMEM;
	}
	memcpy(s, ht->slots, slot_bytes(ht->capacity));
	for (uint32_t i = ht->capacity; i < cap; i++)
		s[i].gen = 1;
	kmem_free(ht->slots, slot_bytes(ht->capacity));
	ht->slots = s;
	link_free(ht, ht->capacity, cap);
	ht->capacity = cap;
	return E_OK;
}

/* Endpoint handles with a badge are counted per badge, for client-death notices. */
static bool counted(const struct kobj *obj, uint64_t badge)
{
	return obj->type == KOBJ_ENDPOINT && badge != 0;
}

/* Drop what slot s holds (nothing for a weak one). */
static void release(struct handle_slot *s)
{
	struct kobj *o = s->obj;
	bool weak = s->weak;

	s->obj = NULL;
	s->weak = 0;
	s->type = KOBJ_NONE;
	if (counted(o, s->badge))
		ep_client_unref((struct endpoint *)o, s->badge); /* before o may go */
	if (!weak)
		kobj_put(o);
}

void handle_table_destroy(struct handle_table *ht)
{
	for (uint32_t i = 1; i < ht->capacity; i++)
		if (ht->slots[i].obj)
			release(&ht->slots[i]);
	account_uncharge(ht->acct, slot_bytes(ht->capacity) - HANDLE_TABLE_BASE_BYTES);
	kmem_free(ht->slots, slot_bytes(ht->capacity));
	ht->slots = NULL;
	ht->capacity = 0;
}

int handle_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge,
		  handle_t *out)
{
	bool count = counted(obj, badge);
	int err = count ? ep_client_ref((struct endpoint *)obj, badge, ht->acct) : E_OK;

	if (!err && !ht->free_head && (err = grow(ht)) != E_OK && count)
		ep_client_unref((struct endpoint *)obj, badge);
	if (err)
		return err;
	uint32_t i = ht->free_head;
	struct handle_slot *s = &ht->slots[i];
	ht->free_head = s->next_free;
	s->weak = obj == ht->owner;
	if (!s->weak)
		kobj_get(obj);
	s->obj = obj;
	s->type = (uint8_t)obj->type;
	s->rights = rights;
	s->badge = badge;
	ht->used++;
	*out = ((handle_t)s->gen << 16) | i;
	return E_OK;
}

void handle_table_clear(struct handle_table *ht)
{
	for (uint32_t i = 1; i < ht->capacity; i++) /* by index: a release may grow the table */
		if (ht->slots[i].obj)
			handle_remove(ht, ((handle_t)ht->slots[i].gen << 16) | i);
}

int handle_remove(struct handle_table *ht, handle_t h)
{
	struct handle_slot *s;
	int err = handle_lookup(ht, h, KOBJ_NONE, 0, &s);

	if (err)
		return err;
	s->gen = s->gen == HANDLE_GEN_MAX ? 1 : s->gen + 1;
	s->next_free = ht->free_head;
	ht->free_head = (uint32_t)(s - ht->slots);
	ht->used--;
	release(s); /* last: it may destroy objects that close handles of ours */
	return E_OK;
}
