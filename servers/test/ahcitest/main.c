/* SPDX-License-Identifier: MIT */
/*
 * ahcitest: a test server driving q35's AHCI controller (ICH9, 8086:2922)
 * from a PCI grant (proto/pcitest.h; manifest pci = 8086:2922, msi = 1,
 * dma = yes), to show MSI, not MSI-X, end to end. The controller's MSI has
 * no per-vector mask bit, so the kernel can only hold a firing in its IRQ
 * object until the acknowledgement. To make the controller interrupt it
 * resets the HBA (AHCI 1.3.1, 10.4.3), then switches on a port's FIS
 * receive area: the port posts its first D2H register FIS and raises
 * PxIS.DHRS, which reaches the CPU as the MSI.
 * Recovery: stateless (each request resets the controller).
 */

#include "pci/pci.h"
#include "proto/pcitest.h"
#include "sys/device.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define PAGE	   4096u
#define ABAR_VA	   0x00005d0000000000ull
#define CONFIG_VA  0x00005e0000000000ull
#define DMA_VA	   0x00005f0000000000ull
#define IRQ_BIT	   1
#define HBA_CAP	   0x00
#define HBA_GHC	   0x04
#define HBA_IS	   0x08
#define HBA_PI	   0x0C
#define GHC_HR	   0x1u
#define GHC_IE	   0x2u
#define GHC_AE	   0x80000000u
#define PORT(n)	   (0x100u + 0x80u * (n))
#define PX_CLB	   0x00
#define PX_FB	   0x08
#define PX_IS	   0x10
#define PX_IE	   0x14
#define PX_CMD	   0x18
#define PX_SSTS	   0x28
#define CMD_FRE	   0x10u
#define IE_DHRE	   0x1u
#define DET_PHY_UP 3u
#define IDP_INDEX  0x10 /* ICH9's index/data pair in the I/O BAR */
#define IDP_DATA   0x14
#define FIS_OFFSET 0x400 /* the received-FIS area, after a 1 KiB command list */

static struct {
	handle_t config, abar, ports, irq, ntfn, dma;
	uint32_t abar_size;
	struct pci_device dev;
	uint64_t dma_phys;
	unsigned port;
} ax;

static volatile uint32_t *hba(unsigned off)
{
	return (volatile uint32_t *)(ABAR_VA + off);
}

/* Configuration space of our one function, through the mapped page. */
static const struct pci_access config_access = {pci_page_read32, pci_page_write32,
						(void *)CONFIG_VA};

/* The first implemented port with a device behind it (q35 tests attach one). */
static long find_port(void)
{
	uint32_t implemented = *hba(HBA_PI);

	for (unsigned p = 0; p < 32; p++) {
		if ((implemented & (1u << p)) && (*hba(PORT(p) + PX_SSTS) & 0xF) == DET_PHY_UP) {
			ax.port = p;
			return E_OK;
		}
	}
	return E_NOENT;
}

static long map_all(void)
{
	const struct start_pci_function *fn = &start_info()->pci_fn;
	long m = sys_mobj_create(PAGE, MOBJ_BELOW_4G | MOBJ_CONTIGUOUS);
	long err =
		m < 0 ? m
		      : sys_mobj_map(HANDLE_SELF, (handle_t)m, DMA_VA, 0, PAGE, R_READ | R_WRITE);
	long phys = err < 0 ? err : sys_mobj_phys(ax.dma, (handle_t)m, 0);

	if (phys < 0)
		return phys;
	ax.dma_phys = (uint64_t)phys;
	err = sys_mobj_map(HANDLE_SELF, ax.config, CONFIG_VA, 0, PAGE, R_READ | R_WRITE);
	if (err == E_OK)
		err = sys_mobj_map(HANDLE_SELF, ax.abar, ABAR_VA, 0, ax.abar_size,
				   R_READ | R_WRITE);
	if (err == E_OK)
		err = pci_read_function(&config_access, (struct pci_addr){fn->bus, fn->dev, fn->fn},
					0, &ax.dev);
	return err == E_OK ? find_port() : err;
}

static long start(void)
{
	struct irq_info info;
	long n = sys_ntfn_create();
	long err = n < 0 ? n : map_all();

	if (err == E_OK)
		err = sys_irq_info(ax.irq, &info);
	if (err < 0)
		return err;
	ax.ntfn = (handle_t)n;
	pci_command_update(&config_access, ax.dev.addr,
			   PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER, 0);
	err = pci_msi_enable_block(&config_access, &ax.dev, info.msi_address, info.msi_data, 1);
	return err == E_OK ? sys_irq_bind(ax.irq, ax.ntfn, IRQ_BIT) : err;
}

/* Reset the HBA, then turn the port's FIS receive on: its first D2H FIS raises the MSI. */
static void fire(void)
{
	unsigned p = PORT(ax.port);

	*hba(HBA_GHC) = GHC_HR;
	*hba(HBA_GHC) = GHC_AE | GHC_IE;
	*hba(p + PX_CLB) = (uint32_t)ax.dma_phys;
	*hba(p + PX_CLB + 4) = (uint32_t)(ax.dma_phys >> 32);
	*hba(p + PX_FB) = (uint32_t)(ax.dma_phys + FIS_OFFSET);
	*hba(p + PX_FB + 4) = (uint32_t)((ax.dma_phys + FIS_OFFSET) >> 32);
	*hba(p + PX_IS) = ~0u;
	*hba(HBA_IS) = ~0u;
	*hba(p + PX_IE) = IE_DHRE;
	*hba(p + PX_CMD) = CMD_FRE;
}

/* What the handler of a real driver does: clear the causes, so the line is quiet. */
static void clear_causes(void)
{
	*hba(PORT(ax.port) + PX_IE) = 0;
	*hba(PORT(ax.port) + PX_IS) = ~0u;
	*hba(HBA_IS) = ~0u;
}

static uint64_t count(void)
{
	struct irq_info info;

	return sys_irq_info(ax.irq, &info) == E_OK ? info.count : ~0ull;
}

/* CAP through the I/O BAR's index/data pair equals CAP through the memory BAR. */
static uint64_t ports_work(void)
{
	uint16_t base = (uint16_t)(pci_read32(&config_access, ax.dev.addr, PCI_BAR0 + 4 * 4) & ~3u);

	if (sys_ioport_enable(ax.ports) < 0)
		return 0;
	port_out32((uint16_t)(base + IDP_INDEX), HBA_CAP);
	return port_in32((uint16_t)(base + IDP_DATA)) == *hba(HBA_CAP);
}

static long msi_handler(struct server_request *req)
{
	struct irq_info info;
	uint64_t *w = req->msg.w, before = count();

	fire();
	long bits = sys_ntfn_wait(ax.ntfn, 1000 * MS);
	if (bits < 0 || sys_irq_info(ax.irq, &info) < 0)
		return bits < 0 ? bits : E_INVAL;
	clear_causes();
	fire(); /* before the acknowledgement: the kernel holds it */
	w[3] = sys_ntfn_wait(ax.ntfn, 20 * MS) == E_TIMEOUT && count() == before + 2;
	clear_causes();
	sys_irq_ack(ax.irq);
	w[4] = sys_ntfn_wait(ax.ntfn, 0) == IRQ_BIT;
	sys_irq_ack(ax.irq);
	w[0] = before;
	w[1] = count();
	w[2] = info.vector |
	       (uint64_t)(pci_read16(&config_access, ax.dev.addr, ax.dev.msi.data_offset)) << 16;
	w[5] = ports_work();
	req->msg.tag = IPC_TAG(0, 6, 0, 0);
	return E_OK;
}

static const struct server_method methods[] = {
	{PCITEST_HANDLES, 0, pcitest_handles_handler},
	{PCITEST_MSI, 0, msi_handler},
};

int main(void)
{
	handle_t ep = start_handle("ahcitest", NULL);
	long err = E_NOENT;

	ax.config = start_handle("pci.config", NULL);
	ax.abar = start_handle("pci.bar5", &ax.abar_size);
	ax.ports = start_handle("pci.bar4", NULL);
	ax.irq = start_handle("irq.msi0", NULL);
	ax.dma = start_handle("dma", NULL);
	if (ep && ax.config && ax.abar && ax.ports && ax.irq && ax.dma)
		err = start();
	if (err < 0) {
		printf("ahcitest: %s\n", sys_error_name(err));
		return 1;
	}
	struct server s = {.endpoint = ep, .methods = SERVER_METHODS(methods)};
	return (int)server_run(&s);
}
