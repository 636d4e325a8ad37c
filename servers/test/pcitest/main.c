/* SPDX-License-Identifier: MIT */
/*
 * pcitest: a test server driving QEMU's xHCI controller from a PCI grant
 * (proto/pcitest.h; manifest pci = 1b36:000d, msix = 2, dma = yes). At
 * start it maps its BAR and its configuration page, notes how the kernel
 * left MSI-X entry 0 (masked, while no driver was bound), programs the
 * entries with the address and data of its IRQ objects, enables MSI-X,
 * binds vector 0 and starts the controller; then it answers requests that
 * list its handles, probe the grant, and make the controller interrupt.
 * Recovery: stateless (the IRQ objects are the supervisor's; each instance
 * resets the controller).
 */

#include "pcitest.h"
#include "proto/pcitest.h"
#include "sys/device.h"
#include "sys/process.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define BAR_VA	  0x00005d0000000000ull
#define CONFIG_VA 0x00005e0000000000ull
#define DMA_VA	  0x00005f0000000000ull
#define IRQ_BIT	  1
#define VECTORS	  2

static struct {
	handle_t config, bar, irqs[VECTORS], ntfn, dma;
	uint32_t bar_size;
	struct pci_device dev;
	volatile uint32_t *msix_table, *msix_pba;
	struct xhci xhci;
	uint64_t pid, mask_at_start;
} px;

/* Configuration space of our one function, through the mapped page. */
static const struct pci_access config_access = {pci_page_read32, pci_page_write32,
						(void *)CONFIG_VA};

static long find_handles(void)
{
	static const char *const names[VECTORS] = {"irq.msix0", "irq.msix1"};

	px.config = start_handle("pci.config", NULL);
	px.bar = start_handle("pci.bar0", &px.bar_size);
	px.dma = start_handle("dma", NULL);
	for (int i = 0; i < VECTORS; i++)
		if ((px.irqs[i] = start_handle(names[i], NULL)) == HANDLE_INVALID)
			return E_NOENT;
	bool all = px.config != HANDLE_INVALID && px.bar != HANDLE_INVALID;
	return all && px.dma != HANDLE_INVALID ? E_OK : E_NOENT;
}

/* The function's header and MSI-X capability; the table and PBA inside BAR 0. */
static long map_device(void)
{
	const struct start_pci_function *fn = &start_info()->pci_fn;
	long err = sys_mobj_map(HANDLE_SELF, px.config, CONFIG_VA, 0, PAGE, R_READ | R_WRITE);

	if (err == E_OK)
		err = sys_mobj_map(HANDLE_SELF, px.bar, BAR_VA, 0, px.bar_size, R_READ | R_WRITE);
	if (err == E_OK)
		err = pci_read_function(&config_access, (struct pci_addr){fn->bus, fn->dev, fn->fn},
					0, &px.dev);
	if (err < 0)
		return err;
	const struct pci_msix *x = &px.dev.msix;
	if (!x->offset || x->table_bir || x->pba_bir || x->table_size < VECTORS ||
	    x->table_offset + x->table_size * PCI_MSIX_ENTRY_SIZE > px.bar_size ||
	    x->pba_offset + 8 > px.bar_size)
		return E_RANGE; /* qemu-xhci keeps both in BAR 0 */
	px.msix_table = (volatile uint32_t *)(BAR_VA + x->table_offset);
	px.msix_pba = (volatile uint32_t *)(BAR_VA + x->pba_offset);
	return E_OK;
}

/* Each entry gets its IRQ object's message; the kernel holds the mask bits. */
static long program_msix(void)
{
	for (uint16_t i = 0; i < VECTORS; i++) {
		struct irq_info info;
		long err = sys_irq_info(px.irqs[i], &info);
		if (err == E_OK)
			err = pci_msix_set_entry(&px.dev, px.msix_table, i, info.msi_address,
						 info.msi_data);
		if (err < 0)
			return err;
	}
	pci_command_update(&config_access, px.dev.addr, PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER, 0);
	return pci_msix_enable(&config_access, &px.dev);
}

static long start_device(void)
{
	long m = sys_mobj_create(XHCI_DMA_PGS * PAGE, MOBJ_BELOW_4G);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, DMA_VA, 0, XHCI_DMA_PGS * PAGE,
					R_READ | R_WRITE);
	long n = err < 0 ? err : sys_ntfn_create();

	if (n < 0)
		return n;
	px.ntfn = (handle_t)n;
	px.mask_at_start = px.msix_table[3] & 1; /* before we bind: the kernel's doing */
	err = program_msix();
	if (err == E_OK)
		err = sys_irq_bind(px.irqs[0], px.ntfn, IRQ_BIT);
	if (err == E_OK)
		err = xhci_start(&px.xhci, (volatile uint8_t *)BAR_VA, px.dma, (handle_t)m,
				 (void *)DMA_VA);
	return err;
}

static long fired(void)
{
	struct irq_info info;
	long err = sys_irq_info(px.irqs[0], &info);

	return err < 0 ? err : (long)info.count;
}

/* Until the PBA shows entry 0 pending, for at most 200 ms. */
static bool pending_seen(void)
{
	uint64_t start = sys_clock();

	while (!(px.msix_pba[0] & 1) && sys_clock() - start < 200 * MS)
		sys_yield();
	return px.msix_pba[0] & 1;
}

static long msix_handler(struct server_request *req)
{
	uint64_t *w = req->msg.w;
	long before = fired();

	xhci_noop(&px.xhci);
	long bits = sys_ntfn_wait(px.ntfn, 1000 * MS);
	if (before < 0 || bits < 0)
		return before < 0 ? before : bits;
	w[2] = px.msix_table[3] & 1; /* masked by the kernel when it fired */
	unsigned done = xhci_take_events(&px.xhci);
	xhci_noop(&px.xhci); /* completes while masked: pending at the device */
	w[3] = pending_seen() && sys_ntfn_wait(px.ntfn, 20 * MS) == E_TIMEOUT;
	sys_irq_ack(px.irqs[0]); /* unmasks: the pending message goes through */
	bits = sys_ntfn_wait(px.ntfn, 1000 * MS);
	done += xhci_take_events(&px.xhci);
	sys_irq_ack(px.irqs[0]);
	w[4] = bits == IRQ_BIT && done == 2;
	w[0] = (uint64_t)before;
	w[1] = (uint64_t)fired();
	w[5] = px.pid;
	req->msg.tag = IPC_TAG(0, 6, 0, 0);
	return E_OK;
}

static uint64_t handle_size(handle_t h)
{
	struct handle_info info;

	return sys_handle_info(h, &info) == E_OK ? info.size : 0;
}

static long probe_handler(struct server_request *req)
{
	const struct start_pci_function *fn = &start_info()->pci_fn;
	uint64_t *w = req->msg.w;

	w[0] = *(volatile uint32_t *)CONFIG_VA;
	w[1] = (uint64_t)fn->bus << 16 | (uint64_t)fn->dev << 8 | fn->fn;
	w[2] = fn->vendor | (uint64_t)fn->device << 16 | (uint64_t)fn->class_code << 32 |
	       (uint64_t)fn->subclass << 40 | (uint64_t)fn->prog_if << 48;
	w[3] = handle_size(px.config) | handle_size(px.bar) << 32;
	w[4] = *(volatile uint32_t *)BAR_VA;
	w[5] = (uint64_t)sys_mobj_map(HANDLE_SELF, px.bar, DMA_VA + 0x100000, 0, px.bar_size + PAGE,
				      R_READ);
	req->msg.tag = IPC_TAG(0, 6, 0, 0);
	return E_OK;
}

static long restarted_handler(struct server_request *req)
{
	req->msg.w[0] = px.mask_at_start;
	req->msg.w[1] = px.pid;
	req->msg.tag = IPC_TAG(0, 2, 0, 0);
	return E_OK;
}

static const struct server_method methods[] = {
	{PCITEST_HANDLES, 0, pcitest_handles_handler},
	{PCITEST_PROBE, 0, probe_handler},
	{PCITEST_MSIX, 0, msix_handler},
	{PCITEST_RESTARTED, 0, restarted_handler},
};

int main(void)
{
	handle_t ep = start_handle("pcitest", NULL);
	struct process_info info;
	long err = ep == HANDLE_INVALID ? E_NOENT : find_handles();

	if (err == E_OK)
		err = map_device();
	if (err == E_OK)
		err = start_device();
	if (err < 0) {
		printf("pcitest: %s\n", sys_error_name(err));
		return 1;
	}
	if (sys_process_info(HANDLE_SELF, &info) == E_OK)
		px.pid = info.pid;
	struct server s = {.endpoint = ep, .methods = SERVER_METHODS(methods)};
	return (int)server_run(&s);
}
