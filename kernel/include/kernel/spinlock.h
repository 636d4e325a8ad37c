/* SPDX-License-Identifier: MIT */
/*
 * Ticket spin locks. Kernel locks are always taken with interrupts disabled
 * (spin_lock_irqsave), so an interrupt handler can never spin on a lock that
 * the code it interrupted holds, and a holder is never preempted.
 */
#pragma once

#include "arch/cpu.h"
#include "kernel/types.h"

struct spinlock {
	uint32_t next;
	uint32_t owner;
};

static inline bool spin_lock_irqsave(struct spinlock *l)
{
	bool irq = irq_save();
	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
	return irq;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, bool irq)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	irq_restore(irq);
}
