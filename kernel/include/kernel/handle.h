/* SPDX-License-Identifier: MIT */
/*
 * Per-process handle tables. A handle is (generation << 16) | slot index, so
 * a stale handle to a reused slot is rejected; generations run 1..0x7FFF, so
 * no handle is 0 (HANDLE_INVALID) or has the top bit set (HANDLE_SELF). Each
 * slot holds a reference to its object, the rights, and (for endpoints) a
 * badge. A slot naming the table's own process holds no reference (it is
 * weak), so a process never keeps itself alive through its own table.
 * Growing the table is charged to the process's account.
 */
#pragma once

#include "kernel/object.h"
#include "sys/errors.h"

#define HANDLE_MAX_SLOTS	65535u
#define HANDLE_GEN_MAX		0x7FFFu
#define HANDLE_INITIAL_SLOTS	32u
#define HANDLE_TABLE_BASE_BYTES (HANDLE_INITIAL_SLOTS * sizeof(struct handle_slot))

struct account;

struct handle_slot {
	struct kobj *obj; /* NULL: free; then `next_free` links it */
	uint32_t rights;
	uint16_t gen;
	uint8_t weak; /* obj is the owner: no reference held */
	uint8_t type; /* obj->type, KOBJ_NONE when free: gen and type are one dword for the
		       * asm fastpath's lookup */
	uint64_t badge;
	uint32_t next_free;
};

struct handle_table {
	struct handle_slot *slots;
	uint32_t capacity;
	uint32_t free_head; /* 0: none (slot 0 is never used) */
	uint32_t used;
	struct account *acct; /* charged for growth past the initial slots */
	struct kobj *owner;   /* the process the table belongs to */
};

int handle_table_init(struct handle_table *ht, struct account *acct, struct kobj *owner);
/* Close every handle, then free the table. */
void handle_table_destroy(struct handle_table *ht);
/* Close every handle; the table stays, empty. */
void handle_table_clear(struct handle_table *ht);
/* Insert `obj` (taking a new reference) and return its handle. */
int handle_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge,
		  handle_t *out);
/*
 * The slot for h if it names an object of `type` (KOBJ_NONE: any) with
 * `rights`. Inline: every syscall that takes a handle runs it.
 */
static inline int handle_lookup(struct handle_table *ht, handle_t h, enum kobj_type type,
				uint32_t rights, struct handle_slot **out)
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
int handle_remove(struct handle_table *ht, handle_t h);
