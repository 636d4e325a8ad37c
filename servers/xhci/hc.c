/* SPDX-License-Identifier: MIT */
/*
 * The host controller (xHCI 1.2): stop and reset it (4.2), give it the
 * device context base address array with the scratchpad buffers it asks
 * for (4.20), a command ring (4.6.1) and interrupter 0's event ring with a
 * one-segment ERST (4.9.4), read the Supported Protocol capabilities
 * (7.2) for which ports are USB 2 and which USB 3, power the ports and
 * run. Commands wait for their Command Completion Event by interrupt
 * (x->wait_irq); events that are not awaited are handed on (transfers to
 * dev.c, port changes noted for the driver loop). DMA memory is one
 * object of XHCI_DMA_PAGES pages, handed out a page at a time.
 */
#include <string.h>

#include "regs.h"
#include "sys/errors.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "xhci.h"

#define PORT_PP	      (1u << 9)
#define TRB_LINK      6
#define EVT_TRANSFER  32
#define EVT_COMMAND   33
#define EVT_PORT      34
#define XCAP_PROTOCOL 2
#define CMD_TIMEOUT   (200 * MS)
#define SCRATCH_MAX   64

volatile uint32_t *hc_portsc(struct xhci *x, unsigned port)
{
	return reg(x->op, OP_PORTSC + 0x10 * (port - 1));
}

int hc_page_alloc(struct xhci *x)
{
	for (int i = 0; i < XHCI_DMA_PAGES; i++)
		if (!x->page_used[i]) {
			x->page_used[i] = 1;
			memset(hc_page(x, i), 0, PAGE);
			return i;
		}
	return -1;
}

void hc_page_free(struct xhci *x, int page)
{
	if (page >= 0 && page < XHCI_DMA_PAGES)
		x->page_used[page] = 0;
}

void *hc_page(struct xhci *x, int page)
{
	return x->dma + (uint64_t)page * PAGE;
}

void ring_init(struct xhci *x, struct ring *r, int page)
{
	r->trb = hc_page(x, page);
	r->phys = x->phys[page];
	r->index = 0;
	r->cycle = 1;
	memset(r->trb, 0, PAGE);
}

/* Queue one TRB (the cycle bit is added); returns its physical address. */
uint64_t ring_push(struct ring *r, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t control)
{
	struct trb *t = &r->trb[r->index];
	uint64_t at = r->phys + r->index * sizeof(struct trb);

	t->w[0] = w0, t->w[1] = w1, t->w[2] = w2;
	__atomic_store_n(&t->w[3], control | r->cycle, __ATOMIC_RELEASE);
	if (++r->index == XHCI_RING_TRBS - 1) { /* the link TRB, toggling the cycle */
		struct trb *link = &r->trb[r->index];
		link->w[0] = (uint32_t)r->phys, link->w[1] = (uint32_t)(r->phys >> 32),
		link->w[2] = 0;
		__atomic_store_n(&link->w[3], TRB_TYPE(TRB_LINK) | 2u | r->cycle, __ATOMIC_RELEASE);
		r->index = 0;
		r->cycle ^= 1;
	}
	return at;
}

static long wait_for(struct xhci *x, volatile uint32_t *r, uint32_t mask, uint32_t want)
{
	uint64_t deadline = sys_clock() + 500 * MS;

	while ((*r & mask) != want) { /* before interrupts run: sleep between looks */
		if (sys_clock() > deadline)
			return E_TIMEOUT;
		sys_sleep(MS);
	}
	(void)x;
	return E_OK;
}

static long reset(struct xhci *x)
{
	*reg(x->op, OP_USBCMD) = 0;
	long err = wait_for(x, reg(x->op, OP_USBSTS), STS_HALTED, STS_HALTED);
	if (err == E_OK) {
		*reg(x->op, OP_USBCMD) = CMD_RESET;
		err = wait_for(x, reg(x->op, OP_USBCMD), CMD_RESET, 0);
	}
	return err == E_OK ? wait_for(x, reg(x->op, OP_USBSTS), STS_NOT_READY, 0) : err;
}

/* Supported Protocol capabilities: each names a port range and its major revision. */
static void read_protocols(struct xhci *x)
{
	uint32_t off = (*reg(x->cap, CAP_HCCPARAMS1) >> 16) * 4;

	for (int guard = 0; off && guard < 64; guard++) {
		uint32_t head = *reg(x->cap, off);
		if ((head & 0xFF) == XCAP_PROTOCOL) {
			uint32_t ports = *reg(x->cap, off + 8), first = ports & 0xFF;
			uint32_t count = (ports >> 8) & 0xFF;
			for (uint32_t p = first; p < first + count && p <= XHCI_PORTS_MAX; p++)
				x->port_major[p] = (uint8_t)(head >> 24);
			printf("xhci: USB %u.%u on ports %u-%u\n", head >> 24, (head >> 16) & 0xFF,
			       first, first + count - 1);
		}
		uint32_t next = (head >> 8) & 0xFF;
		off = next ? off + next * 4 : 0;
	}
}

static long setup_scratchpad(struct xhci *x)
{
	uint32_t p2 = *reg(x->cap, CAP_HCSPARAMS2);
	uint32_t count = ((p2 >> 21) & 0x1F) << 5 | (p2 >> 27);
	if (count == 0)
		return E_OK;
	int array = hc_page_alloc(x);
	if (count > SCRATCH_MAX || array < 0)
		return E_NOMEM;
	uint64_t *entries = hc_page(x, array);
	for (uint32_t i = 0; i < count; i++) {
		int page = hc_page_alloc(x);
		if (page < 0)
			return E_NOMEM;
		entries[i] = x->phys[page];
	}
	x->dcbaa[0] = x->phys[array];
	return E_OK;
}

static long setup_event_ring(struct xhci *x)
{
	int ring = hc_page_alloc(x), erst = hc_page_alloc(x);

	if (ring < 0 || erst < 0)
		return E_NOMEM;
	ring_init(x, &x->events, ring);
	uint32_t *e = hc_page(x, erst);
	e[0] = (uint32_t)x->phys[ring], e[1] = (uint32_t)(x->phys[ring] >> 32);
	e[2] = XHCI_RING_TRBS; /* the whole page: event rings have no link TRB */
	*reg(x->rt, IR0_ERSTSZ) = 1;
	write64(x->rt, IR0_ERSTBA, x->phys[erst]);
	write64(x->rt, IR0_ERDP, x->phys[ring]);
	*reg(x->rt, IR0_IMOD) = 0;
	*reg(x->rt, IR0_IMAN) = IMAN_IE | IMAN_IP;
	return E_OK;
}

static long setup_memory(struct xhci *x)
{
	int dcbaa = hc_page_alloc(x), cmd = hc_page_alloc(x);

	if (dcbaa < 0 || cmd < 0)
		return E_NOMEM;
	x->dcbaa = hc_page(x, dcbaa);
	long err = setup_scratchpad(x);
	if (err < 0)
		return err;
	ring_init(x, &x->cmd, cmd);
	write64(x->op, OP_DCBAAP, x->phys[dcbaa]);
	write64(x->op, OP_CRCR, x->phys[cmd] | 1);
	return setup_event_ring(x);
}

long hc_halt(struct xhci *x, volatile uint8_t *bar)
{
	x->op = bar + (*reg(bar, 0) & 0xFF);
	return reset(x);
}

long hc_start(struct xhci *x, volatile uint8_t *bar, uint8_t *dma)
{
	x->cap = bar;
	x->op = bar + (*reg(bar, CAP_LENGTH) & 0xFF);
	x->rt = bar + (*reg(bar, CAP_RTSOFF) & ~0x1Fu);
	x->db = reg(bar, *reg(bar, CAP_DBOFF) & ~0x3u);
	x->dma = dma;
	uint32_t p1 = *reg(bar, CAP_HCSPARAMS1);
	x->max_slots = p1 & 0xFF;
	x->max_ports = p1 >> 24 < XHCI_PORTS_MAX ? p1 >> 24 : XHCI_PORTS_MAX;
	x->ctx_size = *reg(bar, CAP_HCCPARAMS1) & 4 ? 64 : 32;
	long err = reset(x);
	if (err == E_OK)
		err = setup_memory(x);
	if (err < 0)
		return err;
	read_protocols(x);
	*reg(x->op, OP_CONFIG) = x->max_slots < XHCI_DEVICES ? x->max_slots : XHCI_DEVICES;
	for (unsigned p = 1; p <= x->max_ports; p++)
		if (!(*hc_portsc(x, p) & PORT_PP))
			*hc_portsc(x, p) = PORT_PP;
	*reg(x->op, OP_USBCMD) = CMD_RUN | CMD_INTE;
	return wait_for(x, reg(x->op, OP_USBSTS), STS_HALTED, 0);
}

static void on_event(struct xhci *x, const struct trb *e)
{
	uint32_t type = (e->w[3] >> 10) & 0x3F;
	struct completion c = {true, e->w[0] | (uint64_t)e->w[1] << 32, (uint8_t)(e->w[2] >> 24),
			       (uint8_t)(e->w[3] >> 24), e->w[2] & 0xFFFFFF};

	if (type == EVT_COMMAND)
		x->cmd_done = c;
	else if (type == EVT_TRANSFER)
		dev_on_transfer(x, e);
	else if (type == EVT_PORT && (e->w[0] >> 24) <= XHCI_PORTS_MAX)
		x->port_changed |= 1u << (e->w[0] >> 24);
}

void hc_take_events(struct xhci *x)
{
	*reg(x->rt, IR0_IMAN) = IMAN_IE | IMAN_IP;
	*reg(x->op, OP_USBSTS) = STS_EINT;
	for (;;) {
		struct trb e, *at = &x->events.trb[x->events.index];
		e.w[3] = __atomic_load_n(&at->w[3], __ATOMIC_ACQUIRE);
		if ((e.w[3] & 1) != x->events.cycle)
			break;
		e.w[0] = at->w[0], e.w[1] = at->w[1], e.w[2] = at->w[2];
		if (++x->events.index == XHCI_RING_TRBS)
			x->events.index = 0, x->events.cycle ^= 1;
		on_event(x, &e);
	}
	write64(x->rt, IR0_ERDP,
		(x->events.phys + x->events.index * sizeof(struct trb)) | ERDP_EHB);
}

/* Queue a command and wait for its completion; E_TIMEOUT, or E_IO with c->cc. */
long hc_command(struct xhci *x, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t control,
		struct completion *c)
{
	uint64_t deadline = sys_clock() + CMD_TIMEOUT;
	uint64_t at = ring_push(&x->cmd, w0, w1, w2, control);

	x->cmd_done.done = false;
	x->db[0] = 0;
	for (;;) {
		hc_take_events(x);
		if (x->cmd_done.done && x->cmd_done.trb == at)
			break;
		if (x->wait_irq(x, deadline) == E_TIMEOUT)
			return E_TIMEOUT;
	}
	*c = x->cmd_done;
	return c->cc == CC_SUCCESS ? E_OK : E_IO;
}
