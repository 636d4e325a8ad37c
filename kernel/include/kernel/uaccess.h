/* SPDX-License-Identifier: MIT */
/* Helpers shared by the syscall handlers: the caller and its handles. */
#pragma once

#include "kernel/process.h"

static inline struct process *current_process(void)
{
	return current_thread()->proc;
}

/* Look up a handle of the calling process. */
static inline int cap_lookup(handle_t h, enum kobj_type type, uint32_t rights,
			     struct handle_slot **out)
{
	return handle_lookup(&current_process()->handles, h, type, rights, out);
}

/* A process argument: HANDLE_SELF or a process handle with `rights`. */
int cap_process(handle_t h, uint32_t rights, struct process **out);
/* Insert into the caller's table; the caller keeps its own reference. */
long cap_give(struct kobj *obj, uint32_t rights, uint64_t badge);
/* The same for a just-made object: its creation reference goes to the handle
 * (or, if no handle could be made, the object goes). */
long cap_give_new(struct kobj *obj, uint32_t rights);
/* cap_give_new, first charging the caller `bytes` for the object (E_QUOTA: it goes). */
long cap_give_charged(struct kobj *obj, uint32_t rights, uint64_t bytes);
