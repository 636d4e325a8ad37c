/* SPDX-License-Identifier: MIT */
/*
 * Handle tables: a growable array of slots with a free list threaded through
 * the unused ones. Lookups are O(1) and check generation, type and rights,
 * in that order, so each failure has its own error.
 */
#include "kernel/handle.h"

#include "kernel/kheap.h"
#include "kernel/string.h"
#include "sys/errors.h"

#define INITIAL_SLOTS 32u

static void link_free(struct handle_table *ht, uint32_t from, uint32_t to)
{
	for (uint32_t i = to; i-- > from;) {
		ht->slots[i].obj = NULL;
		ht->slots[i].next_free = ht->free_head;
		ht->free_head = i;
	}
}

int handle_table_init(struct handle_table *ht)
{
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

static int grow(struct handle_table *ht)
{
	uint32_t cap = ht->capacity * 2;

	if (ht->capacity >= HANDLE_MAX_SLOTS)
		return E_NOSPACE;
	if (cap > HANDLE_MAX_SLOTS + 1)
		cap = HANDLE_MAX_SLOTS + 1;
	struct handle_slot *s = kmem_zalloc(cap * sizeof(*s));
	if (!s)
		return E_NOMEM;
	memcpy(s, ht->slots, ht->capacity * sizeof(*s));
	for (uint32_t i = ht->capacity; i < cap; i++)
		s[i].gen = 1;
	kmem_free(ht->slots, ht->capacity * sizeof(*s));
	ht->slots = s;
	link_free(ht, ht->capacity, cap);
	ht->capacity = cap;
	return E_OK;
}

void handle_table_destroy(struct handle_table *ht)
{
	for (uint32_t i = 1; i < ht->capacity; i++) {
		struct kobj *o = ht->slots[i].obj;
		if (o) {
			ht->slots[i].obj = NULL;
			kobj_put(o);
		}
	}
	kmem_free(ht->slots, ht->capacity * sizeof(*ht->slots));
	ht->slots = NULL;
	ht->capacity = 0;
}

int handle_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge,
		  handle_t *out)
{
	if (!ht->free_head) {
		int err = grow(ht);
		if (err)
			return err;
	}
	uint32_t i = ht->free_head;
	struct handle_slot *s = &ht->slots[i];
	ht->free_head = s->next_free;
	kobj_get(obj);
	s->obj = obj;
	s->rights = rights;
	s->badge = badge;
	ht->used++;
	*out = ((handle_t)s->gen << 16) | i;
	return E_OK;
}

int handle_lookup(struct handle_table *ht, handle_t h, enum kobj_type type, uint32_t rights,
		  struct handle_slot **out)
{
	uint32_t i = h & 0xFFFF;

	if (i == 0 || i >= ht->capacity)
		return E_BADHANDLE;
	struct handle_slot *s = &ht->slots[i];
	if (!s->obj || s->gen != (h >> 16))
		return E_BADHANDLE;
	if (type != KOBJ_NONE && s->obj->type != type)
		return E_TYPE;
	if ((s->rights & rights) != rights)
		return E_RIGHTS;
	*out = s;
	return E_OK;
}

int handle_remove(struct handle_table *ht, handle_t h)
{
	struct handle_slot *s;
	int err = handle_lookup(ht, h, KOBJ_NONE, 0, &s);

	if (err)
		return err;
	struct kobj *o = s->obj;
	s->obj = NULL;
	s->gen = s->gen == 0xFFFF ? 1 : s->gen + 1;
	s->next_free = ht->free_head;
	ht->free_head = (uint32_t)(s - ht->slots);
	ht->used--;
	kobj_put(o);
	return E_OK;
}
