/* SPDX-License-Identifier: MIT */
/*
 * Where a process maps the rings of the streams it has open: a window of
 * STREAM_MAP_SLOTS slots from STREAM_VA (proto/stream.h), one ring each,
 * claimed and released with atomic bit operations so threads may open and
 * close streams at once. Host tests replace this file.
 */
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define SLOT_BYTES 0x10000ull /* a ring rounded up to 64 KiB */
_Static_assert(STREAM_RING_BYTES <= SLOT_BYTES, "a ring fits its slot");
_Static_assert(STREAM_MAP_SLOTS == 64, "one word of slot bits");

static uint64_t slots_used;

static int claim_slot(void)
{
	for (int i = 0; i < STREAM_MAP_SLOTS; i++) {
		uint64_t bit = 1ull << i;
		if (!(__atomic_fetch_or(&slots_used, bit, __ATOMIC_ACQ_REL) & bit))
			return i;
	}
	return -1;
}

static uintptr_t slot_va(int slot)
{
	return (uintptr_t)(STREAM_VA + (uint64_t)slot * SLOT_BYTES);
}

void *stream_map_ring(handle_t ring, int *slot)
{
	int i = claim_slot();

	*slot = -1;
	if (i < 0)
		return NULL;
	if (sys_mobj_map(HANDLE_SELF, ring, slot_va(i), 0, STREAM_RING_BYTES, R_READ | R_WRITE) <
	    0) {
		__atomic_fetch_and(&slots_used, ~(1ull << i), __ATOMIC_RELEASE);
		return NULL;
	}
	*slot = i;
	return (void *)slot_va(i);
}

void stream_unmap_ring(int slot)
{
	if (slot < 0 || slot >= STREAM_MAP_SLOTS)
		return;
	sys_unmap(HANDLE_SELF, slot_va(slot), STREAM_RING_BYTES);
	__atomic_fetch_and(&slots_used, ~(1ull << slot), __ATOMIC_RELEASE);
}
