/* SPDX-License-Identifier: MIT */
/*
 * irqtest: a test server for hardware handles from a manifest
 * (proto/irqtest.h). At start it binds its IRQ (the first "irq:*" start
 * handle) to a notification of its own, as a driver would after every
 * restart; then it answers requests that raise the IRQ, list the handles
 * it was given, and use its ECAM, port and DMA handles.
 * Recovery: stateless (the IRQ object is the supervisor's and outlives it).
 */
#include <string.h>

#include "proto/irqtest.h"
#include "sys/device.h"
#include "sys/process.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define MS	      1000000ull
#define ECAM_VA	      0x00005b0000000000ull
#define DMA_VA	      0x00005c0000000000ull
#define CMOS_INDEX    0x70
#define CMOS_DATA     0x71
#define CMOS_STATUS_A 0x0A
#define IRQ_BIT	      1
#define PAGE	      4096

static handle_t irq = HANDLE_INVALID, ntfn = HANDLE_INVALID;
static uint64_t my_pid;

/* The first start handle whose name begins with `prefix`. */
static const struct start_handle *find_handle(const char *prefix)
{
	uint32_t n;
	const struct start_handle *h = bootstrap_handles(&n);

	for (uint32_t i = 0; i < n; i++)
		if (strncmp(h[i].name, prefix, strlen(prefix)) == 0)
			return &h[i];
	return NULL;
}

static long bind_irq(void)
{
	const struct start_handle *h = find_handle("irq:");
	long n = sys_ntfn_create();

	if (!h || n < 0)
		return h ? n : E_NOENT;
	irq = h->handle;
	ntfn = (handle_t)n;
	return sys_irq_bind(irq, ntfn, IRQ_BIT);
}

static long fire_handler(struct server_request *req)
{
	struct irq_info info;
	long err = sys_irq_trigger(irq);
	long bits = err < 0 ? err : sys_ntfn_wait(ntfn, 1000 * MS);

	if (bits < 0)
		return bits;
	err = sys_irq_info(irq, &info);
	if (err < 0)
		return err;
	if (info.flags & IRQ_LEVEL)
		sys_irq_ack(irq);
	req->msg.w[0] = info.count;
	req->msg.w[1] = info.gsi;
	req->msg.w[2] = (uint64_t)bits;
	req->msg.w[3] = my_pid;
	req->msg.tag = IPC_TAG(0, 4, 0, 0);
	return E_OK;
}

static long handles_handler(struct server_request *req)
{
	uint32_t n, used = 0;
	const struct start_handle *h = bootstrap_handles(&n);

	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(h[i].name) + 1;
		if (used + len > IPC_BUF_BYTES)
			return E_NOSPACE;
		memcpy(req->buf->data + used, h[i].name, len);
		used += (uint32_t)len;
	}
	req->msg.w[0] = n;
	req->msg.tag = IPC_TAG(0, 1, 0, used);
	return E_OK;
}

/* PCI 00:00.0's first dword through the ECAM window (bus 0 is its first MiB if bus_start is 0). */
static long read_ecam(uint64_t *out)
{
	uint32_t size = 0;
	handle_t h = start_handle("ecam", &size);
	const struct start_pci *pci = &start_info()->pci;

	if (h == HANDLE_INVALID || pci->ecam_base == 0 || pci->bus_start != 0)
		return E_NOENT;
	long err = sys_mobj_map(HANDLE_SELF, h, ECAM_VA, 0, PAGE, R_READ);
	if (err < 0)
		return err;
	*out = *(volatile uint32_t *)ECAM_VA;
	return sys_unmap(HANDLE_SELF, ECAM_VA, PAGE);
}

static long read_cmos(uint64_t *out)
{
	handle_t h = start_handle("ioport:70", NULL);
	long err = h == HANDLE_INVALID ? E_NOENT : sys_ioport_enable(h);

	if (err < 0)
		return err;
	port_out8(CMOS_INDEX, CMOS_STATUS_A);
	*out = port_in8(CMOS_DATA);
	return E_OK;
}

static long dma_address(uint64_t *out)
{
	handle_t dma = start_handle("dma", NULL);
	long m = dma == HANDLE_INVALID ? E_NOENT : sys_mobj_create(PAGE, MOBJ_CONTIGUOUS);

	if (m < 0)
		return m;
	long phys = sys_mobj_phys(dma, (handle_t)m, 0);
	sys_handle_close((handle_t)m);
	*out = (uint64_t)phys;
	return phys < 0 ? phys : E_OK;
}

static long probe_handler(struct server_request *req)
{
	const struct start_pci *pci = &start_info()->pci;
	uint64_t *w = req->msg.w;
	long err = read_ecam(&w[0]);

	if (err >= 0)
		err = read_cmos(&w[3]);
	if (err >= 0)
		err = dma_address(&w[4]);
	if (err < 0)
		return err;
	w[1] = pci->ecam_base;
	w[2] = pci->bus_start | (uint64_t)pci->bus_end << 8;
	req->msg.tag = IPC_TAG(0, 5, 0, 0);
	return E_OK;
}

static const struct server_method methods[] = {
	{IRQTEST_FIRE, 0, fire_handler},
	{IRQTEST_HANDLES, 0, handles_handler},
	{IRQTEST_PROBE, 0, probe_handler},
};

int main(void)
{
	handle_t ep = start_handle("irqtest", NULL);
	struct process_info info;
	long err = bind_irq();

	if (ep == HANDLE_INVALID || err < 0) {
		printf("irqtest: %s\n",
		       ep == HANDLE_INVALID ? "no endpoint given" : sys_error_name(err));
		return 1;
	}
	if (sys_process_info(HANDLE_SELF, &info) == E_OK)
		my_pid = info.pid;
	struct server s = {.endpoint = ep, .methods = SERVER_METHODS(methods)};
	return (int)server_run(&s);
}
