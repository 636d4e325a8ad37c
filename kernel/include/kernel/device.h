/* SPDX-License-Identifier: MIT */
/*
 * Hardware as kernel objects (see libsys/abi/include/sys/device.h for the
 * rules): resources (the roots init receives), IRQs routed to
 * notifications, and I/O port ranges opened through the TSS bitmap.
 */
#pragma once

#include "kernel/object.h"

struct mobj;
struct ntfn;
struct process;

struct resource {
	struct kobj obj;
	uint32_t kind; /* enum resource_kind */
};

struct irq {
	struct kobj obj;
	uint32_t gsi; /* IRQ_NO_GSI for MSI */
	uint8_t vector;
	bool level, active_low, masked;
	bool pending;	   /* an MSI came while masked: delivered at the acknowledgement */
	struct ntfn *ntfn; /* bound notification (weak: it unbinds us when it goes) */
	uint64_t bits;
	struct irq *ntfn_next; /* other IRQs bound to the same notification */
	uint64_t count, last_entry_tsc;
	/* An MSI's mask bit at its device (irq_set_mask), or none. */
	struct mobj *mask_mobj;	     /* holds the device memory while we point into it */
	volatile uint32_t *mask_reg; /* the kernel's uncached mapping of that dword */
	uint32_t mask_bit;
};

#define IRQ_NO_GSI 0xFFFFFFFFu

struct ioport {
	struct kobj obj;
	uint16_t base;
	uint32_t count;
};

int resource_create(uint32_t kind, struct resource **out);
int irq_create(uint32_t gsi, uint32_t flags, struct irq **out);
int irq_bind(struct irq *irq, struct ntfn *n, uint64_t bits);
void irq_ack(struct irq *irq);
/* Where an MSI is masked at its device: bit `bit` of the dword at `offset` in m (or none). */
int irq_set_mask(struct irq *irq, struct mobj *m, uint64_t offset, uint32_t bit);
/* Raise the IRQ's vector on this CPU, as if the device had (tests, bench). */
void lapic_self_ipi_for(struct irq *irq);
/* The notification is going away: every IRQ bound to it is masked and unbound. */
void irq_unbind_all(struct irq *first);
int ioport_create(uint16_t base, uint32_t count, struct ioport **out);
int ioport_enable(struct process *p, const struct ioport *io);
/* Load the I/O bitmap of the process about to run (NULL: kernel thread). */
void ioport_switch(struct process *p);
/* The I/O bitmap in the TSS now (NULL: none); ioport_switch(p) does nothing when it is p's. */
extern const uint8_t *ioport_loaded;
void ioport_process_exit(struct process *p);
