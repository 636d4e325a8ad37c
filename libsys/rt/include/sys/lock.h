/* SPDX-License-Identifier: MIT */
/*
 * A lock between the threads of one process. A holder preempted mid-way is
 * waited out by yielding, and then by sleeping, so that a lower-priority
 * holder gets the CPU to finish (yielding alone would starve it).
 */
#pragma once

#include "sys/sys.h"

struct sys_lock {
	int held;
};

static inline void sys_lock(struct sys_lock *l)
{
	for (int tries = 0; __atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE); tries++) {
		if (tries < 8)
			sys_yield();
		else
			sys_sleep(1000000);
	}
}

static inline void sys_unlock(struct sys_lock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}
