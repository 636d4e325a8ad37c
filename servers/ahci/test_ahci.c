/* SPDX-License-Identifier: MIT */
/*
 * Host test of the AHCI driver's core (hba.c, identify.c, disk.c) against a
 * fake HBA: a register file whose PxCI write runs the command in slot 0
 * the way a device would (the FIS, the PRDs, a fake disk of sectors) and
 * raises the interrupt. Physical addresses are host pointers here. Checks
 * IDENTIFY parsing of good and hostile data, reads and writes through the
 * block protocol's stubs (fake_ipc) split into bounce-sized commands, and
 * that a task-file error, a lost interrupt and a garbage request fail
 * cleanly, with the port reset where the device failed.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "disk.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define SECTORS	   1024u
#define CLIENT_BUF (512u * 1024)

static struct fake_hba {
	uint32_t regs[0x1100 / 4];
	uint8_t disk[SECTORS * 512];
	bool irq, fail_next, lose_next;
	uint64_t clock, commands;
	uint16_t identify[256];
} hw;

static uint8_t page[AHCI_PAGE] __attribute__((aligned(4096)));
static uint8_t bounce[AHCI_BOUNCE] __attribute__((aligned(4096)));
static uint8_t client_buf[CLIENT_BUF];

static uint8_t *phys(uint32_t lo, uint32_t hi)
{
	return (uint8_t *)(uintptr_t)((uint64_t)hi << 32 | lo);
}

/* Walk the PRDs of a command table, moving bytes between the disk at `at` and memory. */
static void prd_copy(uint8_t *ct, uint32_t prds, uint8_t *at, bool to_disk)
{
	for (uint32_t i = 0; i < prds; i++) {
		uint32_t *e = (uint32_t *)(ct + 0x80 + 16 * i);
		uint32_t len = (e[3] & 0x3FFFFF) + 1;
		if (to_disk)
			memcpy(at, phys(e[0], e[1]), len);
		else
			memcpy(phys(e[0], e[1]), at, len);
		at += len;
	}
}

static void run_command(unsigned port)
{
	uint32_t *pr = &hw.regs[PORT_REG(port) / 4];
	uint32_t *hdr = (uint32_t *)phys(pr[PX_CLB / 4], pr[PX_CLBU / 4]);
	uint8_t *ct = phys(hdr[2], hdr[3]), *fis = ct;
	uint64_t lba = 0;

	hw.commands++;
	for (unsigned i = 0; i < 3; i++)
		lba |= (uint64_t)fis[4 + i] << (8 * i) | (uint64_t)fis[8 + i] << (8 * (i + 3));
	if (hw.lose_next) {
		hw.lose_next = false;
		return; /* no completion, no interrupt */
	}
	if (hw.fail_next || fis[0] != FIS_H2D) {
		hw.fail_next = false;
		pr[PX_TFD / 4] = TFD_ERR | 0x0400;
		pr[PX_IS / 4] |= 1u << 30; /* TFES */
	} else if (fis[2] == ATA_IDENTIFY) {
		prd_copy(ct, hdr[0] >> 16, (uint8_t *)hw.identify, false);
	} else if (fis[2] == ATA_READ_DMA_EXT || fis[2] == ATA_WRITE_DMA_EXT) {
		CHECK(lba < SECTORS);
		prd_copy(ct, hdr[0] >> 16, hw.disk + lba * 512, fis[2] == ATA_WRITE_DMA_EXT);
	}
	pr[PX_CI / 4] = 0;
	pr[PX_IS / 4] |= IS_DHRS;
	hw.irq = true;
}

static uint32_t fake_read(void *ctx, uint32_t off)
{
	(void)ctx;
	return hw.regs[off / 4];
}

static void fake_write(void *ctx, uint32_t off, uint32_t v)
{
	uint32_t port_off = (off - 0x100) % 0x80;

	(void)ctx;
	if (off == HBA_GHC)
		v &= ~GHC_HR; /* the reset is done at once */
	if (off >= 0x100 && (port_off == PX_IS || port_off == PX_SERR)) {
		hw.regs[off / 4] &= ~v; /* write 1 to clear */
		return;
	}
	if (off >= 0x100 && port_off == PX_CMD) /* CR and FR follow ST and FRE */
		v = (v & ~(CMD_CR | CMD_FR)) | (v & CMD_ST ? CMD_CR : 0) |
		    (v & CMD_FRE ? CMD_FR : 0);
	if (off >= 0x100 && port_off == PX_TFD)
		return;
	if (off >= 0x100 && port_off == PX_SCTL && (v & 0xF) == SCTL_DET_INI)
		hw.regs[(off - PX_SCTL + PX_TFD) / 4] = 0; /* COMRESET: the device's status again */
	hw.regs[off / 4] = v;
	if (off >= 0x100 && port_off == PX_CI && (v & 1))
		run_command((off - 0x100) / 0x80);
}

static long fake_wait(void *ctx, uint64_t deadline)
{
	(void)ctx;
	if (!hw.irq) {
		hw.clock = deadline;
		return E_TIMEOUT;
	}
	hw.irq = false;
	return E_OK;
}

static void fake_nothing(void *ctx)
{
	(void)ctx;
}

static uint64_t fake_now(void *ctx)
{
	(void)ctx;
	return hw.clock;
}

static void fake_sleep(void *ctx, uint64_t ns)
{
	(void)ctx;
	hw.clock += ns;
}

static const struct ahci_env env = {fake_read,	fake_write,   fake_wait,    fake_nothing, fake_now,
				    fake_sleep, fake_nothing, fake_nothing, NULL};

static void put_string(uint16_t *id, unsigned first, const char *s, unsigned words)
{
	for (unsigned i = 0; i < words; i++)
		id[first + i] = (uint16_t)((uint8_t)s[2 * i] << 8 | (uint8_t)s[2 * i + 1]);
}

static void good_identify(uint16_t *id)
{
	memset(id, 0, 512);
	put_string(id, 27, "QEMU HARDDISK                           ", 20);
	put_string(id, 10, "QM00001             ", 10);
	id[83] = 0x4000 | (1u << 10);
	id[100] = SECTORS;
}

static void test_identify(void)
{
	uint16_t id[256];
	struct ahci_disk d = {0};

	good_identify(id);
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK(strcmp(d.model, "QEMU HARDDISK") == 0);
	CHECK(strcmp(d.serial, "QM00001") == 0);
	CHECK_EQ(d.geo.sectors, SECTORS);
	CHECK_EQ(d.geo.sector_size, 512);
	id[106] = 0x4000 | (1u << 12);
	id[117] = 2048; /* words: 4096 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sector_size, 4096);
	id[117] = 500; /* 1000-byte sectors: refused */
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO);
	good_identify(id);
	id[100] = 0;
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO); /* no capacity */
	id[83] = 0;
	id[60] = 100; /* LBA28 only */
	id[27] = 0x0107;
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sectors, 100);
	CHECK(d.model[0] == '?' && d.model[1] == '?'); /* control characters are not passed on */
	for (unsigned i = 0; i < 256; i++)
		id[i] = 0xFFFF; /* all ones: validity bits wrong, so LBA28 and 512 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_OK);
	CHECK_EQ(d.geo.sectors, 0xFFFFFFFFull);
	id[106] = 0x5000; /* now valid: sectors of 2^33 - 2 bytes */
	CHECK_EQ(ahci_parse_identify(id, &d), E_IO);
}

static struct ahci_hba hba;
static struct ahci_disk_server ds;

static long buf_map(void *ctx, unsigned slot, handle_t mobj, uint8_t **va, uint64_t *size)
{
	(void)ctx, (void)slot, (void)mobj;
	*va = client_buf;
	*size = CLIENT_BUF;
	return E_OK;
}

static void buf_unmap(void *ctx, const struct ahci_client *c)
{
	(void)ctx, (void)c;
}

static long buf_watch(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	return E_OK;
}

static const struct ahci_buffers bufs = {buf_map, buf_unmap, buf_watch, NULL};

static void bring_up(void)
{
	memset(&hw, 0, sizeof(hw));
	good_identify(hw.identify);
	for (unsigned i = 0; i < sizeof(hw.disk); i++)
		hw.disk[i] = (uint8_t)(i * 3 + i / 512);
	hw.regs[HBA_CAP / 4] = CAP_S64A;
	hw.regs[HBA_PI / 4] = 0x5; /* ports 0 and 2 */
	hw.regs[(PORT_REG(0) + PX_SSTS) / 4] = SSTS_DET_UP;
	hw.regs[(PORT_REG(0) + PX_SIG) / 4] = SIG_SATA;
	hba = (struct ahci_hba){.env = &env};
	CHECK_EQ(ahci_hba_reset(&hba), E_OK);
	unsigned ports[AHCI_MAX_PORTS];
	CHECK_EQ(ahci_find_ports(&hba, ports), 1); /* port 2 has no link */
	struct ahci_disk *d = &hba.disks[0];
	*d = (struct ahci_disk){.port = 0, .dma = {page, (uint64_t)(uintptr_t)page, bounce, {0}}};
	for (unsigned i = 0; i < AHCI_PRDS; i++)
		d->dma.bounce_phys[i] = (uint64_t)(uintptr_t)(bounce + i * AHCI_PAGE);
	CHECK_EQ(ahci_port_start(&hba, d), E_OK);
	CHECK_EQ(ahci_identify(&hba, d), E_OK);
	ahci_disk_server_init(&ds, &hba, d, &bufs, 0, 0);
}

static struct block_server bs = {&ahci_block_ops, &ds};

static struct block_client connect(struct server *s)
{
	fake_ipc_reset();
	*s = block_server(0, &bs);
	return (struct block_client){.ep = fake_ipc_endpoint(s, 3),
				     .buffer = fake_ipc_handle(),
				     .timeout = TIMEOUT_NEVER};
}

static void test_read_write(void)
{
	struct server s;
	struct block_client c;

	bring_up();
	c = connect(&s);
	uint64_t before = hw.commands;
	CHECK_EQ(block_read(&c, 100, 600, 0), E_OK); /* 300 KiB: three commands */
	CHECK_EQ(hw.commands, before + 3);
	CHECK(memcmp(client_buf, hw.disk + 100 * 512, 600 * 512) == 0);
	memset(client_buf, 0x3C, 2 * 512);
	CHECK_EQ(block_write(&c, SECTORS - 2, 2, 0), E_OK);
	CHECK_EQ(hw.disk[SECTORS * 512 - 1], 0x3C);
	CHECK_EQ(block_flush(&c), E_OK);
	CHECK_EQ(block_read(&c, SECTORS - 1, 2, 0), E_RANGE);
	CHECK_EQ(hba.disks[0].errors, 0);
	ahci_disk_server_init(&ds, &hba, &hba.disks[0], &bufs, 1000, 20); /* a partition */
	c = connect(&s);
	CHECK_EQ(block_read(&c, 0, 20, 0), E_OK);
	CHECK(memcmp(client_buf, hw.disk + 1000 * 512, 20 * 512) == 0);
	CHECK_EQ(block_read(&c, 20, 1, 0), E_RANGE); /* held to the partition */
	CHECK_EQ(block_write(&c, 19, 2, 0), E_RANGE);
}

static void test_device_errors(void)
{
	struct server s;
	struct block_client c;

	bring_up();
	c = connect(&s);
	hw.fail_next = true;
	CHECK_EQ(block_read(&c, 0, 1, 0), E_IO);
	CHECK_EQ(hba.disks[0].resets, 1);
	CHECK_EQ(block_read(&c, 0, 1, 0), E_OK); /* the port works again */
	hw.lose_next = true;
	CHECK_EQ(block_write(&c, 0, 1, 0), E_TIMEOUT);
	CHECK_EQ(hba.disks[0].resets, 2);
	CHECK_EQ(hba.disks[0].errors, 2);
	CHECK_EQ(block_read(&c, 0, 1, 0), E_OK);
}

int main(void)
{
	test_identify();
	test_read_write();
	test_device_errors();
	return check_summary("ahci");
}
