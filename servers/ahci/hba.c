/* SPDX-License-Identifier: MIT */
/*
 * The HBA and its ports (AHCI 1.3.1): reset the controller into AHCI mode
 * (10.4.3), find the ports whose link is up with a SATA disk's signature,
 * start a port on its command list and received-FIS area (10.3), reset one
 * (COMRESET, 10.4.2), and build a slot's command: its header and the H2D
 * register FIS in the slot's own command table (the PRDs are the caller's:
 * queue.c). Before a port is served, the driver's own commands (IDENTIFY,
 * reading the partition table) run one at a time in slot 0 over the
 * scratch page, each waited for by interrupt, never spinning on PxCI. A
 * task-file error, an HBA error or a command that outlives AHCI_CMD_TIMEOUT
 * fails with E_IO or E_TIMEOUT and resets the port. Register access and
 * waiting go through struct ahci_env, so this compiles on the host.
 */
#include <string.h>

#include "ahci.h"
#include "sys/errors.h"

#define CL_OFFSET     0x000 /* command list: 32 headers of 32 bytes */
#define FIS_OFFSET    0x400 /* received FIS area: 256 bytes */
#define CT_PRDT	      0x80  /* in a command table: FIS, ATAPI, then the PRDs */
#define H2D_DWORDS    5
#define HDR_WRITE     (1u << 6)
#define PRD_INTERRUPT (1u << 31)
#define DEVICE_LBA    0x40
#define RESET_POLL_NS (1 * MS)
#define RESET_WAIT_NS (1000 * MS)

static uint32_t rd(struct ahci_hba *h, uint32_t off)
{
	return h->env->read(h->env->ctx, off);
}

static void wr(struct ahci_hba *h, uint32_t off, uint32_t v)
{
	h->env->write(h->env->ctx, off, v);
}

static uint32_t prd(struct ahci_hba *h, unsigned port, uint32_t off)
{
	return rd(h, PORT_REG(port) + off);
}

static void pwr(struct ahci_hba *h, unsigned port, uint32_t off, uint32_t v)
{
	wr(h, PORT_REG(port) + off, v);
}

/* Waits (sleeping, during resets only) until (reg & mask) == want; false on timeout. */
static bool wait_reg(struct ahci_hba *h, uint32_t off, uint32_t mask, uint32_t want)
{
	for (uint64_t t = 0; t < RESET_WAIT_NS; t += RESET_POLL_NS) {
		if ((rd(h, off) & mask) == want)
			return true;
		h->env->sleep(h->env->ctx, RESET_POLL_NS);
	}
	return (rd(h, off) & mask) == want;
}

long ahci_hba_reset(struct ahci_hba *h)
{
	wr(h, HBA_GHC, GHC_AE);
	wr(h, HBA_GHC, GHC_AE | GHC_HR);
	if (!wait_reg(h, HBA_GHC, GHC_HR, 0))
		return E_TIMEOUT;
	wr(h, HBA_GHC, GHC_AE);
	h->cap = rd(h, HBA_CAP);
	h->implemented = rd(h, HBA_PI);
	return E_OK;
}

unsigned ahci_find_ports(struct ahci_hba *h, unsigned ports[AHCI_MAX_PORTS])
{
	unsigned n = 0;

	for (unsigned p = 0; p < AHCI_MAX_PORTS; p++) {
		if (!(h->implemented & (1u << p)))
			continue;
		if ((prd(h, p, PX_SSTS) & 0xF) != SSTS_DET_UP)
			continue;
		ports[n++] = p;
	}
	return n;
}

/* Stop the command engine and FIS receive (10.1.2). */
static bool port_stop(struct ahci_hba *h, unsigned p)
{
	pwr(h, p, PX_CMD, prd(h, p, PX_CMD) & ~CMD_ST);
	if (!wait_reg(h, PORT_REG(p) + PX_CMD, CMD_CR, 0))
		return false;
	pwr(h, p, PX_CMD, prd(h, p, PX_CMD) & ~CMD_FRE);
	return wait_reg(h, PORT_REG(p) + PX_CMD, CMD_FR, 0);
}

long ahci_port_start(struct ahci_hba *h, struct ahci_disk *d)
{
	unsigned p = d->port;
	uint64_t cl = d->dma.page_phys + CL_OFFSET, fb = d->dma.page_phys + FIS_OFFSET;

	if (!port_stop(h, p))
		return E_TIMEOUT;
	memset(d->dma.page, 0, AHCI_PAGE);
	pwr(h, p, PX_CLB, (uint32_t)cl);
	pwr(h, p, PX_CLBU, (uint32_t)(cl >> 32));
	pwr(h, p, PX_FB, (uint32_t)fb);
	pwr(h, p, PX_FBU, (uint32_t)(fb >> 32));
	pwr(h, p, PX_SERR, ~0u);
	pwr(h, p, PX_IS, ~0u);
	pwr(h, p, PX_CMD, prd(h, p, PX_CMD) | CMD_FRE | CMD_SUD | CMD_POD);
	if (!wait_reg(h, PORT_REG(p) + PX_TFD, TFD_BSY | TFD_DRQ, 0))
		return E_TIMEOUT;
	if (prd(h, p, PX_SIG) != SIG_SATA) {
		port_stop(h, p); /* its DMA page goes to the next port */
		return E_NOENT;	 /* ATAPI, a port multiplier, or nothing */
	}
	pwr(h, p, PX_IS, ~0u);
	wr(h, HBA_IS, 1u << p);
	pwr(h, p, PX_IE, IE_ALL);
	wr(h, HBA_GHC, GHC_AE | GHC_IE);
	pwr(h, p, PX_CMD, prd(h, p, PX_CMD) | CMD_ST);
	return E_OK;
}

long ahci_port_stop(struct ahci_hba *h, struct ahci_disk *d)
{
	pwr(h, d->port, PX_IE, 0);
	return port_stop(h, d->port) ? E_OK : E_TIMEOUT;
}

/* COMRESET (10.4.2), then start the port again. */
long ahci_port_reset(struct ahci_hba *h, struct ahci_disk *d)
{
	unsigned p = d->port;

	d->resets++;
	port_stop(h, p);
	pwr(h, p, PX_SCTL, (prd(h, p, PX_SCTL) & ~0xFu) | SCTL_DET_INI);
	h->env->sleep(h->env->ctx, 2 * MS);
	pwr(h, p, PX_SCTL, prd(h, p, PX_SCTL) & ~0xFu);
	if (!wait_reg(h, PORT_REG(p) + PX_SSTS, 0xF, SSTS_DET_UP))
		return E_TIMEOUT;
	return ahci_port_start(h, d);
}

/* An H2D register FIS; NCQ commands carry the count in FEATURES and the tag in COUNT. */
static void build_fis(uint8_t *fis, uint8_t cmd, uint64_t lba, uint32_t count, unsigned tag)
{
	bool ncq = cmd == ATA_READ_FPDMA || cmd == ATA_WRITE_FPDMA;

	memset(fis, 0, 20);
	fis[0] = FIS_H2D;
	fis[1] = 0x80; /* C: a command */
	fis[2] = cmd;
	fis[7] = DEVICE_LBA;
	for (unsigned i = 0; i < 3; i++) {
		fis[4 + i] = (uint8_t)(lba >> (8 * i));
		fis[8 + i] = (uint8_t)(lba >> (8 * (i + 3)));
	}
	fis[ncq ? 3 : 12] = (uint8_t)count;
	fis[ncq ? 11 : 13] = (uint8_t)(count >> 8);
	if (ncq)
		fis[12] = (uint8_t)(tag << 3);
}

uint32_t *ahci_slot_prds(struct ahci_disk *d, unsigned s)
{
	return (uint32_t *)(d->dma.tables + s * AHCI_TABLE_BYTES + CT_PRDT);
}

void ahci_slot_build(struct ahci_disk *d, unsigned s, uint8_t cmd, uint64_t lba, uint32_t count,
		     unsigned prds, bool write)
{
	uint32_t *hdr = (uint32_t *)(d->dma.page + CL_OFFSET + 32 * s);
	uint64_t ct_phys = d->dma.table_phys[s];

	build_fis(d->dma.tables + s * AHCI_TABLE_BYTES, cmd, lba, count, s);
	if (prds)
		ahci_slot_prds(d, s)[4 * (prds - 1) + 3] |= PRD_INTERRUPT;
	memset(hdr, 0, 32);
	hdr[0] = H2D_DWORDS | (write ? HDR_WRITE : 0) | prds << 16;
	hdr[2] = (uint32_t)ct_phys;
	hdr[3] = (uint32_t)(ct_phys >> 32);
}

/* Wait for slot 0 to complete: an interrupt at a time, its causes cleared, until PxCI clears. */
static long wait_slot(struct ahci_hba *h, struct ahci_disk *d)
{
	uint64_t deadline = h->env->now(h->env->ctx) + AHCI_CMD_TIMEOUT;

	for (;;) {
		long err = h->env->wait_irq(h->env->ctx, deadline);
		uint32_t is = prd(h, d->port, PX_IS);
		pwr(h, d->port, PX_IS, is);
		wr(h, HBA_IS, 1u << d->port);
		h->env->ack_irq(h->env->ctx);
		if ((is & IS_ERRORS) || (prd(h, d->port, PX_TFD) & TFD_ERR))
			return E_IO;
		if (!(prd(h, d->port, PX_CI) & 1u))
			return E_OK;
		if (err < 0)
			return err;
	}
}

long ahci_command(struct ahci_hba *h, struct ahci_disk *d, uint8_t cmd, uint64_t lba,
		  uint32_t count, uint32_t bytes, bool write)
{
	uint32_t *e = ahci_slot_prds(d, 0);

	if (bytes > AHCI_PAGE)
		return E_INVAL;
	memset(e, 0, 16);
	e[0] = (uint32_t)d->dma.scratch_phys;
	e[1] = (uint32_t)(d->dma.scratch_phys >> 32);
	e[3] = bytes ? bytes - 1 : 0;
	ahci_slot_build(d, 0, cmd, lba, count, bytes ? 1 : 0, write);
	d->commands++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the tables are written before PxCI */
	pwr(h, d->port, PX_CI, 1u);
	long err = wait_slot(h, d);
	if (err < 0) {
		d->errors++;
		ahci_port_reset(h, d);
	}
	return err;
}

long ahci_identify(struct ahci_hba *h, struct ahci_disk *d)
{
	uint16_t id[256];
	long err = ahci_command(h, d, ATA_IDENTIFY, 0, 0, sizeof(id), false);

	if (err < 0)
		return err;
	memcpy(id, d->dma.scratch, sizeof(id));
	err = ahci_parse_identify(id, d);
	if (err == E_OK)
		ahci_queue_setup(h, d, id);
	return err;
}
