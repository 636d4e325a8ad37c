/* SPDX-License-Identifier: MIT */
/*
 * Just enough xHCI (eXtensible Host Controller Interface 1.2) to make a
 * controller interrupt: stop and reset it, give it a command ring, one
 * event ring segment and a device context array in DMA memory, start it
 * with interrupter 0 enabled, then queue No Op commands (section 4.6.2),
 * each completed by a Command Completion Event that raises interrupter 0.
 * The registers (servers/xhci/regs.h) are the driver's.
 */
#include <string.h>

#include "../../xhci/regs.h"
#include "pcitest.h"
#include "sys/device.h"
#include "sys/sys.h"

#define TRB_CYCLE   0x1
#define TRB_LINK_TC 0x2
#define TRB_TYPE(t) ((uint32_t)(t) << 10)
#define TRB_LINK    6
#define TRB_NOOP    23
#define EVT_CMD	    33
#define CC_SUCCESS  1
#define DMA_CMD	    0
#define DMA_EVENTS  1
#define DMA_ERST    2
#define DMA_DCBAA   3

/* Until (*r & mask) == want, for at most 200 ms. */
static long wait_for(volatile uint32_t *r, uint32_t mask, uint32_t want)
{
	uint64_t start = sys_clock();

	while ((*r & mask) != want) {
		if (sys_clock() - start > 200 * MS)
			return E_TIMEOUT;
		sys_yield();
	}
	return E_OK;
}

static long reset(struct xhci *x)
{
	*reg(x->op, OP_USBCMD) = 0;
	long err = wait_for(reg(x->op, OP_USBSTS), STS_HALTED, STS_HALTED);
	if (err == E_OK) {
		*reg(x->op, OP_USBCMD) = CMD_RESET;
		err = wait_for(reg(x->op, OP_USBCMD), CMD_RESET, 0);
	}
	return err == E_OK ? wait_for(reg(x->op, OP_USBSTS), STS_NOT_READY, 0) : err;
}

/* One event ring segment of XHCI_TRBS TRBs; dequeue at its start. */
static void setup_events(struct xhci *x)
{
	uint32_t *erst = (uint32_t *)((uint8_t *)x->cmd + DMA_ERST * PAGE);

	erst[0] = (uint32_t)x->phys[DMA_EVENTS];
	erst[1] = (uint32_t)(x->phys[DMA_EVENTS] >> 32);
	erst[2] = XHCI_TRBS;
	erst[3] = 0;
	*reg(x->rt, IR0_ERSTSZ) = 1;
	write64(x->rt, IR0_ERSTBA, x->phys[DMA_ERST]);
	write64(x->rt, IR0_ERDP, x->phys[DMA_EVENTS]);
	*reg(x->rt, IR0_IMOD) = 0;
	x->event_index = 0;
	x->event_cycle = 1;
}

static long map_dma(struct xhci *x, handle_t dma_resource, handle_t dma, void *va)
{
	long n = sys_mobj_phys_list(dma_resource, dma, 0, x->phys, XHCI_DMA_PGS);

	if (n < 0)
		return n;
	memset(va, 0, XHCI_DMA_PGS * PAGE);
	x->cmd = va;
	x->events = (struct xhci_trb *)((uint8_t *)va + DMA_EVENTS * PAGE);
	x->cmd_index = 0;
	x->cmd_cycle = 1;
	return E_OK;
}

long xhci_start(struct xhci *x, volatile uint8_t *bar, handle_t dma_resource, handle_t dma,
		void *dma_va)
{
	x->cap = bar;
	x->op = bar + *reg(bar, CAP_LENGTH) % 256;
	x->rt = bar + (*reg(bar, CAP_RTSOFF) & ~0x1Fu);
	x->doorbells = reg(bar, *reg(bar, CAP_DBOFF) & ~0x3u);
	long err = map_dma(x, dma_resource, dma, dma_va);
	if (err == E_OK)
		err = reset(x);
	if (err < 0)
		return err;
	*reg(x->op, OP_CONFIG) = 1; /* one device slot */
	write64(x->op, OP_DCBAAP, x->phys[DMA_DCBAA]);
	write64(x->op, OP_CRCR, x->phys[DMA_CMD] | TRB_CYCLE);
	setup_events(x);
	*reg(x->rt, IR0_IMAN) = IMAN_IE | IMAN_IP;
	*reg(x->op, OP_USBCMD) = CMD_RUN | CMD_INTE;
	return wait_for(reg(x->op, OP_USBSTS), STS_HALTED, 0);
}

/* The last TRB of the ring links back to its start, flipping the cycle bit. */
static void wrap_commands(struct xhci *x)
{
	struct xhci_trb *link = &x->cmd[XHCI_TRBS - 1];

	link->w[0] = (uint32_t)x->phys[DMA_CMD];
	link->w[1] = (uint32_t)(x->phys[DMA_CMD] >> 32);
	link->w[2] = 0;
	__atomic_store_n(&link->w[3], TRB_TYPE(TRB_LINK) | TRB_LINK_TC | x->cmd_cycle,
			 __ATOMIC_RELEASE);
	x->cmd_index = 0;
	x->cmd_cycle ^= 1;
}

void xhci_noop(struct xhci *x)
{
	struct xhci_trb *t = &x->cmd[x->cmd_index++];

	t->w[0] = t->w[1] = t->w[2] = 0;
	__atomic_store_n(&t->w[3], TRB_TYPE(TRB_NOOP) | x->cmd_cycle, __ATOMIC_RELEASE);
	if (x->cmd_index == XHCI_TRBS - 1)
		wrap_commands(x);
	x->doorbells[0] = 0; /* the host controller's command doorbell */
}

unsigned xhci_take_events(struct xhci *x)
{
	unsigned completions = 0;

	for (;;) {
		struct xhci_trb *e = &x->events[x->event_index];
		uint32_t control = __atomic_load_n(&e->w[3], __ATOMIC_ACQUIRE);
		if ((control & TRB_CYCLE) != x->event_cycle)
			break;
		if (((control >> 10) & 0x3F) == EVT_CMD && (e->w[2] >> 24) == CC_SUCCESS)
			completions++;
		if (++x->event_index == XHCI_TRBS) {
			x->event_index = 0;
			x->event_cycle ^= 1;
		}
	}
	write64(x->rt, IR0_ERDP, (x->phys[DMA_EVENTS] + x->event_index * 16) | ERDP_EHB);
	*reg(x->rt, IR0_IMAN) = IMAN_IE | IMAN_IP;
	return completions;
}
