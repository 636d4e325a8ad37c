/* SPDX-License-Identifier: MIT */
/*
 * irqtest: a test server for hardware handles from a manifest
 * (proto/irqtest.h). At start it binds its IRQ (the first "irq:*" start
 * handle) to a notification of its own, as a driver would after every
 * restart; then it answers requests that raise the IRQ, list the handles
 * it was given, and use its ECAM, port and DMA handles (irqtest.c, over the
 * system calls below).
 * Recovery: stateless (the IRQ object is the supervisor's and outlives it).
 */
#include "irqtest.h"
#include "sys/process.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define ECAM_VA	   0x00005b0000000000ull
#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define PAGE	   4096

static long ecam_read(handle_t ecam, uint32_t *dword)
{
	long err = sys_mobj_map(HANDLE_SELF, ecam, ECAM_VA, 0, PAGE, R_READ);

	if (err < 0)
		return err;
	*dword = *(volatile uint32_t *)ECAM_VA;
	return sys_unmap(HANDLE_SELF, ECAM_VA, PAGE);
}

static long cmos_read(handle_t ports, uint8_t reg, uint8_t *value)
{
	long err = sys_ioport_enable(ports);

	if (err < 0)
		return err;
	port_out8(CMOS_INDEX, reg);
	*value = port_in8(CMOS_DATA);
	return E_OK;
}

static long dma_page(handle_t dma, uint64_t *phys)
{
	long m = sys_mobj_create(PAGE, MOBJ_CONTIGUOUS);

	if (m < 0)
		return m;
	long p = sys_mobj_phys(dma, (handle_t)m, 0);
	sys_handle_close((handle_t)m);
	*phys = (uint64_t)p;
	return p < 0 ? p : E_OK;
}

static const struct irqtest_machine machine = {
	.irq_trigger = sys_irq_trigger,
	.ntfn_wait = sys_ntfn_wait,
	.irq_info = sys_irq_info,
	.irq_ack = sys_irq_ack,
	.ecam_read = ecam_read,
	.cmos_read = cmos_read,
	.dma_page = dma_page,
};

/* The handles this instance was given, its IRQ bound to a notification of its own. */
static long state_init(struct irqtest_state *st)
{
	struct process_info info;
	const struct start_handle *irq;
	long n;

	*st = (struct irqtest_state){.machine = &machine, .pci = start_info()->pci};
	st->handles = bootstrap_handles(&st->handle_count);
	st->ecam = start_handle("ecam", NULL);
	st->ioport = start_handle("ioport:70", NULL);
	st->dma = start_handle("dma", NULL);
	if (sys_process_info(HANDLE_SELF, &info) == E_OK)
		st->pid = info.pid;
	irq = irqtest_find(st, "irq:");
	if (!irq)
		return E_NOENT;
	n = sys_ntfn_create();
	if (n < 0)
		return n;
	st->irq = irq->handle;
	st->ntfn = (handle_t)n;
	return sys_irq_bind(st->irq, st->ntfn, IRQTEST_IRQ_BIT);
}

int main(void)
{
	handle_t ep = start_handle("irqtest", NULL);
	static struct irqtest_state state;
	static struct irqtest_server is = {&irqtest_ops, &state};
	long err = state_init(&state);

	if (ep == HANDLE_INVALID || err < 0) {
		printf("irqtest: %s\n",
		       ep == HANDLE_INVALID ? "no endpoint given" : sys_error_name(err));
		return 1;
	}
	struct server s = irqtest_server(ep, &is);
	return (int)server_run(&s);
}
