/* SPDX-License-Identifier: MIT */
/*
 * The fake HBA of the AHCI driver's host test (test_ahci_hba.h says what
 * it does): its registers, its commands run from the command tables' FISes
 * and PRDs, and the driver's environment (struct ahci_env) over them.
 */
#include <string.h>

#include "check.h"
#include "sys/errors.h"
#include "test_ahci_hba.h"

struct fake_hba hw;
uint8_t page[AHCI_PAGE] __attribute__((aligned(4096)));
uint8_t scratch[AHCI_PAGE] __attribute__((aligned(4096)));
uint8_t tables[AHCI_SLOTS * AHCI_TABLE_BYTES] __attribute__((aligned(4096)));
uint8_t *backing; /* the client's "physical" pages */
unsigned perm[CLIENT_PAGES];

static uint8_t *phys(uint32_t lo, uint32_t hi)
{
	return (uint8_t *)(uintptr_t)((uint64_t)hi << 32 | lo);
}

uint8_t *cbyte(uint64_t i)
{
	return backing + (uint64_t)perm[i / AHCI_PAGE] * AHCI_PAGE + i % AHCI_PAGE;
}

/* Walk the PRDs of a command table, moving bytes between the disk at `at` and memory. */
static uint64_t prd_copy(uint8_t *ct, uint32_t prds, uint8_t *at, bool to_disk)
{
	uint64_t moved = 0;

	for (uint32_t i = 0; i < prds; i++) {
		uint32_t *e = (uint32_t *)(ct + 0x80 + 16 * i);
		uint32_t len = (e[3] & 0x3FFFFF) + 1;
		CHECK(len % 2 == 0 && len <= AHCI_PRD_BYTES);
		if (to_disk)
			memcpy(at + moved, phys(e[0], e[1]), len);
		else
			memcpy(phys(e[0], e[1]), at + moved, len);
		moved += len;
	}
	return moved;
}

uint32_t *port_regs(unsigned port)
{
	return &hw.regs[PORT_REG(port) / 4];
}

static void run_rw(uint8_t *ct, uint32_t *hdr, uint8_t *fis, bool ncq)
{
	uint64_t lba = 0;
	uint32_t count = ncq ? (uint32_t)fis[3] | (uint32_t)fis[11] << 8
			     : (uint32_t)fis[12] | (uint32_t)fis[13] << 8;
	bool write = fis[2] == ATA_WRITE_DMA_EXT || fis[2] == ATA_WRITE_FPDMA;

	for (unsigned i = 0; i < 3; i++)
		lba |= (uint64_t)fis[4 + i] << (8 * i) | (uint64_t)fis[8 + i] << (8 * (i + 3));
	CHECK(count > 0 && lba + count <= SECTORS);
	CHECK_EQ(!!(hdr[0] & (1u << 6)), write);
	if (count == 0 || lba + count > SECTORS)
		return;
	CHECK_EQ(prd_copy(ct, hdr[0] >> 16, hw.disk + lba * 512, write), count * 512ull);
}

/* Run slot s's command on port 0 and complete it. */
static void run_slot(unsigned s)
{
	uint32_t *pr = port_regs(0);
	uint32_t *hdr = (uint32_t *)phys(pr[PX_CLB / 4], pr[PX_CLBU / 4]) + 8 * s;
	uint8_t *ct = phys(hdr[2], hdr[3]), *fis = ct;
	bool ncq = fis[2] == ATA_READ_FPDMA || fis[2] == ATA_WRITE_FPDMA;

	hw.commands++;
	if (hw.lose_next) {
		hw.lose_next = false;
		return; /* no completion, no interrupt */
	}
	if (hw.fail_next || fis[0] != FIS_H2D) {
		hw.fail_next = false;
		pr[PX_TFD / 4] = TFD_ERR | 0x0400;
		pr[PX_IS / 4] |= 1u << 30; /* TFES */
		hw.irq = true;
		return;
	}
	if (ncq) {
		hw.ncq_commands++;
		CHECK_EQ(fis[12] >> 3, s); /* the tag is the slot */
		CHECK(pr[PX_SACT / 4] & (1u << s));
	}
	if (fis[2] == ATA_IDENTIFY)
		prd_copy(ct, hdr[0] >> 16, (uint8_t *)hw.identify, false);
	else if (fis[2] == ATA_FLUSH_EXT)
		hw.flushes++;
	else
		run_rw(ct, hdr, fis, ncq);
	pr[PX_CI / 4] &= ~(1u << s);
	pr[PX_SACT / 4] &= ~(1u << s);
	pr[PX_IS / 4] |= ncq ? IS_SDBS : IS_DHRS;
	hw.irq = true;
}

unsigned popcount(uint32_t v)
{
	return (unsigned)__builtin_popcount(v);
}

static void doorbell(uint32_t v)
{
	uint32_t *pr = port_regs(0), fresh = v & ~pr[PX_CI / 4];

	pr[PX_CI / 4] |= v;
	if (popcount(pr[PX_CI / 4]) > hw.most_in_flight)
		hw.most_in_flight = popcount(pr[PX_CI / 4]);
	for (unsigned s = 0; s < AHCI_SLOTS; s++)
		if (fresh & (1u << s)) {
			if (hw.hold)
				hw.held |= 1u << s;
			else
				run_slot(s);
		}
}

void release(unsigned s)
{
	CHECK(hw.held & (1u << s));
	hw.held &= ~(1u << s);
	run_slot(s);
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
	if (off >= 0x100 && port_off == PX_CMD) { /* CR and FR follow ST and FRE */
		if (!(v & CMD_ST)) {		  /* clearing ST clears PxCI and PxSACT (3.3.7) */
			hw.regs[(off - PX_CMD + PX_CI) / 4] = 0;
			hw.regs[(off - PX_CMD + PX_SACT) / 4] = 0;
			hw.held = 0;
		}
		v = (v & ~(CMD_CR | CMD_FR)) | (v & CMD_ST ? CMD_CR : 0) |
		    (v & CMD_FRE ? CMD_FR : 0);
	}
	if (off >= 0x100 && port_off == PX_TFD)
		return;
	if (off >= 0x100 && port_off == PX_SCTL && (v & 0xF) == SCTL_DET_INI)
		hw.regs[(off - PX_SCTL + PX_TFD) / 4] = 0; /* COMRESET: the device's status again */
	if (off == PORT_REG(0) + PX_CI) {
		doorbell(v);
		return;
	}
	if (off == PORT_REG(0) + PX_SACT) {
		hw.regs[off / 4] |= v;
		return;
	}
	hw.regs[off / 4] = v;
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

uint64_t armed_for, arms;

static void fake_arm(void *ctx, uint64_t deadline)
{
	(void)ctx;
	armed_for = deadline;
	arms++;
}

const struct ahci_env env = {fake_read,	 fake_write,   fake_wait,    fake_nothing, fake_now,
			     fake_sleep, fake_nothing, fake_nothing, fake_arm,	   NULL};

static void put_string(uint16_t *id, unsigned first, const char *s, unsigned words)
{
	for (unsigned i = 0; i < words; i++)
		id[first + i] = (uint16_t)((uint8_t)s[2 * i] << 8 | (uint8_t)s[2 * i + 1]);
}

void good_identify(uint16_t *id)
{
	memset(id, 0, 512);
	put_string(id, 27, "QEMU HARDDISK                           ", 20);
	put_string(id, 10, "QM00001             ", 10);
	id[83] = 0x4000 | (1u << 10);
	id[100] = (uint16_t)SECTORS;
	id[75] = 31;	  /* queue depth 32 */
	id[76] = 1u << 8; /* NCQ */
}
