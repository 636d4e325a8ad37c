/* SPDX-License-Identifier: MIT */
/*
 * pcitest's parts: the handles it was granted (main.c) and just enough of
 * an xHCI driver to make the controller raise interrupts (xhci.c): reset,
 * a command ring and one event ring in DMA memory below 4 GiB, interrupter
 * 0 on MSI-X vector 0, and No Op commands, whose completion events are the
 * interrupts.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pci/pci.h"
#include "sys/handle.h"
#include "sys/units.h"

#define PAGE	     4096u
#define XHCI_TRBS    (PAGE / 16) /* one page per ring */
#define XHCI_DMA_PGS 4		 /* command ring, event ring, segment table, DCBAA */

struct xhci_trb {
	uint32_t w[4]; /* parameter low, high, status, control */
};

struct xhci {
	volatile uint8_t *cap, *op, *rt;
	volatile uint32_t *doorbells;
	struct xhci_trb *cmd, *events;
	uint64_t phys[XHCI_DMA_PGS];
	unsigned cmd_index, event_index;
	uint32_t cmd_cycle, event_cycle;
};

/*
 * Reset and start the controller whose registers are mapped at `bar`, with
 * DMA memory `dma` (mapped at `dma_va`, XHCI_DMA_PGS pages below 4 GiB) and
 * the physical addresses from `dma_resource`. Interrupter 0 signals; the
 * caller programs and enables MSI-X before (xhci_start enables the
 * interrupter last). E_TIMEOUT if the controller does not answer.
 */
long xhci_start(struct xhci *x, volatile uint8_t *bar, handle_t dma_resource, handle_t dma,
		void *dma_va);
/* Queue a No Op command and ring the command doorbell. */
void xhci_noop(struct xhci *x);
/* Consume the events the controller wrote; the command completions among them. */
unsigned xhci_take_events(struct xhci *x);
