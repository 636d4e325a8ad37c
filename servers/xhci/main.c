/* SPDX-License-Identifier: MIT */
/*
 * xhci: the ring-3 driver of QEMU's xHCI controller (qemu-xhci, 1b36:000d)
 * with its HID class driver, granted by its manifest the function's config
 * page, BAR 0, MSI-X vector 0 and DMA. It serves the input protocol
 * (proto/input.h) on "input": key and pointer events to every subscribed
 * consumer. Two threads: this one drives the controller (enumeration,
 * reports, port changes), woken by the MSI-X interrupt; the other answers
 * consumers through server_run (and the supervisor's heartbeat and fault
 * injection). This file is the system glue; the driver is hc.c, dev.c,
 * hub.c and report.c, the pure parts desc.c, hid.c and kbd.c, the queues
 * events.c.
 * Recovery: stateless. A new instance resets the controller and enumerates
 * the devices again; consumers subscribe again through their client
 * library (input_client_read).
 */
#include <string.h>

#include "events.h"
#include "pci/pci.h"
#include "sys/device.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "xhci.h"

#define BAR_VA		0x00005d0000000000ull
#define CONFIG_VA	0x00005e0000000000ull
#define DMA_VA		0x00005f0000000000ull
#define IRQ_BIT		1
#define SERVER_PRIORITY 14
#define SETTLE_PASSES	16

static struct {
	handle_t ep, config, bar, irq, ntfn, dma;
	uint32_t bar_size;
	struct pci_device dev;
	struct xhci x;
	struct consumers cs;
	struct input_server is;
} xs;

static const struct pci_access config_access = {pci_page_read32, pci_page_write32,
						(void *)CONFIG_VA};

static long find_handles(void)
{
	xs.ep = start_handle("input", NULL);
	xs.config = start_handle("pci.config", NULL);
	xs.bar = start_handle("pci.bar0", &xs.bar_size);
	xs.irq = start_handle("irq.msix0", NULL);
	xs.dma = start_handle("dma", NULL);
	bool all = xs.ep != HANDLE_INVALID && xs.config != HANDLE_INVALID &&
		   xs.bar != HANDLE_INVALID && xs.irq != HANDLE_INVALID;
	return all && xs.dma != HANDLE_INVALID ? E_OK : E_NOENT;
}

/* Map the config page and BAR 0; point MSI-X entry 0 at our IRQ object and turn MSI-X on;
 * bus mastering only once the controller is halted. */
static long map_device(void)
{
	const struct start_pci_function *fn = &start_info()->pci_fn;
	struct irq_info info;
	long err = sys_mobj_map(HANDLE_SELF, xs.config, CONFIG_VA, 0, PAGE, R_READ | R_WRITE);

	if (err == E_OK)
		err = sys_mobj_map(HANDLE_SELF, xs.bar, BAR_VA, 0, xs.bar_size, R_READ | R_WRITE);
	if (err == E_OK)
		err = pci_read_function(&config_access, (struct pci_addr){fn->bus, fn->dev, fn->fn},
					0, &xs.dev);
	if (err < 0)
		return err;
	const struct pci_msix *m = &xs.dev.msix;
	if (!m->offset || m->table_bir || m->table_offset + PCI_MSIX_ENTRY_SIZE > xs.bar_size)
		return E_RANGE; /* qemu-xhci keeps its table in BAR 0 */
	err = sys_irq_info(xs.irq, &info);
	if (err == E_OK)
		err = pci_msix_set_entry(&xs.dev, (volatile uint32_t *)(BAR_VA + m->table_offset),
					 0, info.msi_address, info.msi_data);
	if (err < 0)
		return err;
	pci_command_update(&config_access, xs.dev.addr, PCI_CMD_MEMORY, 0);
	err = hc_halt(&xs.x, (volatile uint8_t *)BAR_VA); /* no DMA into a dead instance's memory */
	if (err < 0)
		return err;
	pci_command_update(&config_access, xs.dev.addr, PCI_CMD_BUS_MASTER, 0);
	return pci_msix_enable(&config_access, &xs.dev);
}

static long map_dma(void)
{
	long m = sys_mobj_create(XHCI_DMA_PAGES * PAGE, 0);
	long err = m < 0 ? m
			 : sys_mobj_map(HANDLE_SELF, (handle_t)m, DMA_VA, 0, XHCI_DMA_PAGES * PAGE,
					R_READ | R_WRITE);
	if (err == E_OK)
		err = sys_mobj_phys_list(xs.dma, (handle_t)m, 0, xs.x.phys, XHCI_DMA_PAGES);
	if (err < 0)
		return err;
	long n = sys_ntfn_create();
	if (n < 0)
		return n;
	xs.ntfn = (handle_t)n;
	return sys_irq_bind(xs.irq, xs.ntfn, IRQ_BIT);
}

/* Let the next interrupt in, then sleep until it comes or the deadline passes. */
static long wait_irq(struct xhci *x, uint64_t deadline)
{
	uint64_t now = sys_clock();

	sys_irq_ack(xs.irq);
	if (deadline != TIMEOUT_NEVER && now >= deadline)
		return E_TIMEOUT;
	long bits = sys_ntfn_wait(xs.ntfn, deadline == TIMEOUT_NEVER ? deadline : deadline - now);
	struct irq_info info;
	if (bits > 0 && sys_irq_info(xs.irq, &info) == E_OK)
		x->irq_tsc = info.last_entry_tsc; /* stamped on what this interrupt brought */
	return bits < 0 ? bits : E_OK;
}

static void emit(struct xhci *x, struct input_event *ev, uint32_t n)
{
	(void)x;
	consumers_push(&xs.cs, ev, n);
}

static void signal_ntfn(handle_t ntfn)
{
	sys_ntfn_signal(ntfn, 1);
}

static void close_ntfn(handle_t ntfn)
{
	sys_handle_close(ntfn);
}

static long watch_badge(uint64_t badge)
{
	return sys_ep_watch(xs.ep, badge, 0);
}

static long op_subscribe(void *ctx, uint64_t badge, handle_t ntfn)
{
	return consumers_subscribe(ctx, badge, ntfn);
}

static long op_read(void *ctx, uint64_t badge, struct input_event *ev, uint32_t max,
		    uint32_t *count, uint64_t *dropped)
{
	return consumers_read(ctx, badge, ev, max, count, dropped);
}

static long op_devices(void *ctx, struct input_device *out, uint32_t max, uint32_t *count)
{
	uint32_t n = 0;

	(void)ctx;
	sys_lock(&xs.x.devices_lock);
	for (int i = 0; i < XHCI_DEVICES && n < max; i++) {
		const struct usb_dev *d = &xs.x.dev[i];
		if (!d->used || !d->configured)
			continue;
		out[n] = (struct input_device){d->number,
					       d->port,
					       d->speed,
					       d->kind,
					       d->info.vendor,
					       d->info.product,
					       d->info.class_code,
					       d->hid.subclass,
					       d->hid.protocol,
					       d->slot,
					       {0}};
		memcpy(out[n++].product_name, d->product, sizeof(d->product));
	}
	sys_unlock(&xs.x.devices_lock);
	*count = n;
	return E_OK;
}

static long op_set_layout(void *ctx, uint32_t layout)
{
	(void)ctx;
	xs.x.layout = (enum input_layout)layout;
	for (int i = 0; i < XHCI_DEVICES; i++)
		xs.x.dev[i].kbd.layout = (enum input_layout)layout;
	return E_OK;
}

static long op_set_repeat(void *ctx, uint32_t delay_ms, uint32_t rate)
{
	(void)ctx;
	xs.x.repeat_delay = delay_ms * MS;
	xs.x.repeat_interval = 1000 * MS / rate;
	return E_OK;
}

static void op_gone(void *ctx, uint64_t badge)
{
	consumers_gone(ctx, badge);
}

static const struct input_ops ops = {op_subscribe,  op_read,	   op_devices,
				     op_set_layout, op_set_repeat, op_gone};

static void serve(void *arg)
{
	struct server s = input_server(xs.ep, &xs.is);

	(void)arg;
	server_run(&s);
}

static long start(void)
{
	long err = find_handles();

	if (err == E_OK)
		err = map_device();
	if (err == E_OK)
		err = map_dma();
	xs.x.wait_irq = wait_irq;
	xs.x.repeat_delay = INPUT_REPEAT_DELAY_MS * MS;
	xs.x.repeat_interval = 1000 * MS / INPUT_REPEAT_RATE;
	xs.x.emit = emit;
	if (err == E_OK)
		err = hc_start(&xs.x, (volatile uint8_t *)BAR_VA, (uint8_t *)DMA_VA);
	xs.cs = (struct consumers){
		.signal = signal_ntfn, .close = close_ntfn, .watch = watch_badge};
	xs.is = (struct input_server){&ops, &xs.cs};
	return err == E_OK ? thread_spawn(serve, NULL, SERVER_PRIORITY, NULL) : err;
}

/*
 * Port changes and deferred work until none is left: what one pass does (a
 * port reset, a hub enumerated) can bring more, and the next interrupt may
 * be far off. Bounded: a pass that finds nothing new ends it.
 */
static void settle(struct xhci *x)
{
	for (int pass = 0; pass < SETTLE_PASSES && (x->port_changed || dev_pending(x)); pass++) {
		dev_scan_ports(x);
		dev_deferred(x);
	}
}

int main(void)
{
	long err = start();

	if (err < 0) {
		printf("xhci: %s\n", sys_error_name(err));
		return 1;
	}
	xs.x.port_changed = ~0u << 1; /* every port once */
	settle(&xs.x);
	printf("xhci: ready at %lu us\n", (unsigned long)(sys_clock() / 1000));
	for (;;) {
		settle(&xs.x);
		wait_irq(&xs.x, dev_repeat_deadline(&xs.x));
		hc_take_events(&xs.x);
		dev_repeat(&xs.x);
	}
}
