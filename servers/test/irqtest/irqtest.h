/* SPDX-License-Identifier: MIT */
/*
 * irqtest's handlers (irqtest.c): the ops of proto/irqtest.h over a struct
 * irqtest_state (their ctx). What they do to the machine goes through
 * struct irqtest_machine: system calls in main.c, fakes in the host test.
 */
#pragma once

#include <stdint.h>

#include "proto/irqtest.h"
#include "sys/device.h"
#include "sys/start.h"

struct irqtest_machine {
	long (*irq_trigger)(handle_t irq);
	long (*ntfn_wait)(handle_t ntfn, uint64_t timeout);
	long (*irq_info)(handle_t irq, struct irq_info *out);
	long (*irq_ack)(handle_t irq);
	/* The first dword of the ECAM window (bus_start's device 0, function 0). */
	long (*ecam_read)(handle_t ecam, uint32_t *dword);
	/* CMOS register `reg`, through the port range (index port, then data port). */
	long (*cmos_read)(handle_t ports, uint8_t reg, uint8_t *value);
	/* The physical address of a new contiguous page, through the dma resource. */
	long (*dma_page)(handle_t dma, uint64_t *phys);
};

#define IRQTEST_IRQ_BIT 1 /* the notification bit the IRQ is bound to */

struct irqtest_state {
	const struct irqtest_machine *machine;
	handle_t irq, ntfn;	    /* bound together at start */
	handle_t ecam, ioport, dma; /* HANDLE_INVALID: not given */
	struct start_pci pci;	    /* the ECAM's geometry, from the start_info */
	const struct start_handle *handles;
	uint32_t handle_count;
	uint64_t pid;
};

/* The first of st's handles whose name begins with `prefix`, or NULL. */
const struct start_handle *irqtest_find(const struct irqtest_state *st, const char *prefix);

extern const struct irqtest_ops irqtest_ops;
