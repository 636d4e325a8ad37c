/* SPDX-License-Identifier: MIT */
/*
 * irqtest's handlers: raise the IRQ and receive it, list the start handles,
 * and use the ECAM, port and DMA handles. A handle the manifest should have
 * given and did not is E_NOENT.
 */
#include "irqtest.h"

#include <string.h>

#include "sys/errors.h"
#include "sys/units.h"

#define FIRE_WAIT     (1000 * MS)
#define CMOS_STATUS_A 0x0A

const struct start_handle *irqtest_find(const struct irqtest_state *st, const char *prefix)
{
	for (uint32_t i = 0; i < st->handle_count; i++)
		if (strncmp(st->handles[i].name, prefix, strlen(prefix)) == 0)
			return &st->handles[i];
	return NULL;
}

static long irqtest_fire_op(void *ctx, struct irqtest_fire_reply *rp)
{
	const struct irqtest_state *st = ctx;
	const struct irqtest_machine *hw = st->machine;
	struct irq_info info;
	long err = hw->irq_trigger(st->irq);
	long bits = err < 0 ? err : hw->ntfn_wait(st->ntfn, FIRE_WAIT);

	if (bits < 0)
		return bits;
	err = hw->irq_info(st->irq, &info);
	if (err < 0)
		return err;
	if (info.flags & IRQ_LEVEL)
		hw->irq_ack(st->irq);
	*rp = (struct irqtest_fire_reply){info.count, info.gsi, (uint64_t)bits, st->pid};
	return E_OK;
}

static const char *irqtest_handle_name(void *ctx, uint32_t i)
{
	const struct irqtest_state *st = ctx;

	return i < st->handle_count ? st->handles[i].name : NULL;
}

/* PCI 00:00.0's first dword, if bus 0 is the window's first (bus_start 0). */
static long probe_ecam(const struct irqtest_state *st, struct irqtest_probe_reply *rp)
{
	uint32_t dword = 0;

	if (st->ecam == HANDLE_INVALID || st->pci.ecam_base == 0 || st->pci.bus_start != 0)
		return E_NOENT;
	long err = st->machine->ecam_read(st->ecam, &dword);
	rp->pci_id = dword;
	rp->ecam_base = st->pci.ecam_base;
	rp->buses = st->pci.bus_start | (uint64_t)st->pci.bus_end << 8;
	return err;
}

static long probe_cmos(const struct irqtest_state *st, struct irqtest_probe_reply *rp)
{
	uint8_t value = 0;

	if (st->ioport == HANDLE_INVALID)
		return E_NOENT;
	long err = st->machine->cmos_read(st->ioport, CMOS_STATUS_A, &value);
	rp->cmos_status_a = value;
	return err;
}

static long probe_dma(const struct irqtest_state *st, struct irqtest_probe_reply *rp)
{
	if (st->dma == HANDLE_INVALID)
		return E_NOENT;
	return st->machine->dma_page(st->dma, &rp->dma_phys);
}

static long irqtest_probe_op(void *ctx, struct irqtest_probe_reply *rp)
{
	const struct irqtest_state *st = ctx;
	long err = probe_ecam(st, rp);

	if (err >= 0)
		err = probe_cmos(st, rp);
	if (err >= 0)
		err = probe_dma(st, rp);
	return err < 0 ? err : E_OK;
}

const struct irqtest_ops irqtest_ops = {
	.fire = irqtest_fire_op,
	.handle_name = irqtest_handle_name,
	.probe = irqtest_probe_op,
};
