/* SPDX-License-Identifier: MIT */
/*
 * Per-process handle tables. A handle is (generation << 16) | slot index, so
 * a stale handle to a reused slot is rejected. Each slot holds a reference
 * to its object, the rights, and (for endpoints) a badge.
 */
#pragma once

#include "kernel/object.h"

#define HANDLE_MAX_SLOTS 65535u

struct handle_slot {
	struct kobj *obj; /* NULL: free; then `next_free` links it */
	uint32_t rights;
	uint16_t gen;
	uint16_t unused;
	uint64_t badge;
	uint32_t next_free;
};

struct handle_table {
	struct handle_slot *slots;
	uint32_t capacity;
	uint32_t free_head; /* 0: none (slot 0 is never used) */
	uint32_t used;
};

int handle_table_init(struct handle_table *ht);
/* Close every handle, then free the table. */
void handle_table_destroy(struct handle_table *ht);
/* Insert `obj` (taking a new reference) and return its handle. */
int handle_insert(struct handle_table *ht, struct kobj *obj, uint32_t rights, uint64_t badge,
		  handle_t *out);
/* The slot for h if it names an object of `type` (KOBJ_NONE: any) with `rights`. */
int handle_lookup(struct handle_table *ht, handle_t h, enum kobj_type type, uint32_t rights,
		  struct handle_slot **out);
int handle_remove(struct handle_table *ht, handle_t h);
