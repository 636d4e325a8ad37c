/* SPDX-License-Identifier: MIT */
/*
 * A fake PCI configuration space for the PCI library's tests (test_pci.c):
 * two buses of 32 devices of 8 functions, each 256 bytes, behind a
 * struct pci_access. BARs behave like hardware: each has a mask of the
 * address bits it decodes and read-only type bits, so writing all-ones
 * reads back the size mask. The command word is read-write, the status
 * word write-one-to-clear. The accessor checks every offset it is given
 * (aligned, below 256) and that no BAR is sized while decoding is on.
 * fake_q35() builds the functions QEMU's q35 machine shows.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../abi/include/sys/errors.h"
#include "../include/pci/pci.h"
#include "check.h"

#define FAKE_BUSES 2

struct fake_fn {
	bool present;
	uint8_t cfg[PCI_CONFIG_SIZE];
	uint32_t bar_mask[PCI_BARS_MAX];  /* writable bits; 0: not implemented */
	uint32_t bar_flags[PCI_BARS_MAX]; /* read-only low bits (type) */
};

static struct fake_space {
	struct fake_fn fns[FAKE_BUSES][32][8];
	unsigned reads, writes;
	unsigned bad_offsets;	 /* unaligned or >= 256 */
	unsigned sized_decoding; /* all-ones written to a BAR with decoding on */
} fake;

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline struct fake_fn *fake_at(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	if (off & 3 || off >= PCI_CONFIG_SIZE || dev >= 32 || fn >= 8) {
		fake.bad_offsets++;
		return NULL;
	}
	if (bus >= FAKE_BUSES || !fake.fns[bus][dev][fn].present)
		return NULL;
	return &fake.fns[bus][dev][fn];
}

static inline uint32_t fake_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	struct fake_fn *f = fake_at(bus, dev, fn, off);

	fake.bad_offsets += ctx != &fake;
	fake.reads++;
	return f ? get32(f->cfg + off) : 0xFFFFFFFFu;
}

static inline void fake_write_bar(struct fake_fn *f, int i, uint32_t v)
{
	uint16_t command = (uint16_t)get32(f->cfg + PCI_COMMAND);

	if (v == 0xFFFFFFFFu && (command & (PCI_CMD_IO | PCI_CMD_MEMORY)))
		fake.sized_decoding++;
	put32(f->cfg + PCI_BAR0 + 4 * i, (v & f->bar_mask[i]) | f->bar_flags[i]);
}

static inline void fake_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off,
				uint32_t v)
{
	struct fake_fn *f = fake_at(bus, dev, fn, off);

	fake.bad_offsets += ctx != &fake;
	fake.writes++;
	if (!f)
		return;
	if (off == PCI_COMMAND) {
		uint16_t status = (uint16_t)(get32(f->cfg + off) >> 16);
		put16(f->cfg + PCI_COMMAND, (uint16_t)v);
		put16(f->cfg + PCI_STATUS, (uint16_t)((status & ~(v >> 16)) | (status & 0x00FF)));
	} else if (off >= PCI_BAR0 && off < PCI_BAR0 + 4 * PCI_BARS_MAX) {
		fake_write_bar(f, (off - PCI_BAR0) / 4, v);
	} else {
		put32(f->cfg + off, v);
	}
}

static const struct pci_access fake_access = {fake_read32, fake_write32, &fake};

static inline void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

static inline struct fake_fn *fake_fn(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t vendor,
				      uint16_t device, uint32_t class_rev, uint8_t header)
{
	struct fake_fn *f = &fake.fns[bus][dev][fn];

	memset(f, 0, sizeof(*f));
	f->present = true;
	put16(f->cfg + PCI_VENDOR_ID, vendor);
	put16(f->cfg + PCI_VENDOR_ID + 2, device);
	put32(f->cfg + PCI_REVISION, class_rev); /* class, subclass, prog-if, revision */
	f->cfg[PCI_HEADER_TYPE] = header;
	return f;
}

/* A BAR decoding `size` bytes at `value` (type bits included); a 64-bit
 * memory BAR also sets the next register, with the upper half of value. */
static inline void fake_bar(struct fake_fn *f, int i, uint64_t value, uint64_t size)
{
	bool io = value & 1;
	uint32_t flags = (uint32_t)value & (io ? 0x3u : 0xFu);
	uint64_t mask = ~(size - 1);

	f->bar_flags[i] = flags;
	f->bar_mask[i] = size ? (uint32_t)mask & ~(io ? 0x3u : 0xFu) : 0;
	put32(f->cfg + PCI_BAR0 + 4 * i, size ? (uint32_t)value : 0);
	if (!io && ((value >> 1) & 3) == 2) {
		f->bar_mask[i + 1] = (uint32_t)(mask >> 32);
		put32(f->cfg + PCI_BAR0 + 4 * (i + 1), (uint32_t)(value >> 32));
	}
}

static inline void fake_caps_begin(struct fake_fn *f, uint8_t first)
{
	put16(f->cfg + PCI_STATUS,
	      (uint16_t)(get32(f->cfg + PCI_COMMAND) >> 16) | PCI_STATUS_CAP_LIST);
	f->cfg[PCI_CAP_PTR] = first;
}

/* A capability header: id, next, and the control word after them. */
static inline void fake_cap(struct fake_fn *f, uint8_t off, uint8_t id, uint8_t next, uint16_t ctl)
{
	f->cfg[off] = id;
	f->cfg[off + 1] = next;
	put16(f->cfg + off + 2, ctl);
}

static inline void fake_irq(struct fake_fn *f, uint8_t pin, uint8_t line)
{
	f->cfg[PCI_IRQ_PIN] = pin;
	f->cfg[PCI_IRQ_LINE] = line;
}

static inline void fake_command(struct fake_fn *f, uint16_t cmd)
{
	put16(f->cfg + PCI_COMMAND, cmd);
}

/* QEMU q35: the host bridge, stdvga, qemu-xhci, and the ICH9 LPC, AHCI and
 * SMBus functions at 00:1f. */
static inline void fake_q35(void)
{
	fake_reset();
	struct fake_fn *f = fake_fn(0, 0, 0, 0x8086, 0x29C0, 0x06000002, 0x00);
	put32(f->cfg + PCI_SUBSYSTEM, 0x11001AF4);

	f = fake_fn(0, 1, 0, 0x1234, 0x1111, 0x03000002, 0x00);
	fake_command(f, PCI_CMD_IO | PCI_CMD_MEMORY);
	fake_bar(f, 0, 0xFD000008, 16u << 20); /* prefetchable framebuffer */
	fake_bar(f, 2, 0xFEBD4000, 4096);      /* MMIO registers */

	f = fake_fn(0, 2, 0, 0x1B36, 0x000D, 0x0C033001, 0x00);
	fake_command(f, PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER);
	fake_bar(f, 0, 0xFEBD0004, 16384); /* 64-bit, not prefetchable */
	fake_irq(f, 1, 11);
	fake_caps_begin(f, 0x90);
	fake_cap(f, 0x90, PCI_CAP_ID_MSIX, 0x70, 0x000F); /* 16 entries */
	put32(f->cfg + 0x94, 0x00003000);		  /* table: BAR 0 + 0x3000 */
	put32(f->cfg + 0x98, 0x00003800);		  /* PBA: BAR 0 + 0x3800 */
	fake_cap(f, 0x70, PCI_CAP_ID_MSI, 0xA0, 0x0088);  /* 64-bit, 16 vectors */
	fake_cap(f, 0xA0, PCI_CAP_ID_EXP, 0x00, 0x0092);

	f = fake_fn(0, 31, 0, 0x8086, 0x2918, 0x06010002, 0x80);
	f = fake_fn(0, 31, 2, 0x8086, 0x2922, 0x01060102, 0x00);
	fake_command(f, PCI_CMD_IO | PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER);
	fake_bar(f, 4, 0xC041, 32);
	f->bar_mask[4] &= 0xFFFF; /* a 16-bit I/O decoder: the upper half reads 0 */
	fake_bar(f, 5, 0xFEBD5000, 4096);
	fake_irq(f, 1, 10);
	fake_caps_begin(f, 0x80);
	fake_cap(f, 0x80, PCI_CAP_ID_MSI, 0xA8, 0x0000); /* 32-bit, 1 vector */
	fake_cap(f, 0xA8, PCI_CAP_ID_SATA, 0x00, 0x0010);

	f = fake_fn(0, 31, 3, 0x8086, 0x2930, 0x0C050002, 0x00);
	fake_command(f, PCI_CMD_IO);
	fake_bar(f, 4, 0x0701, 64);
	fake_irq(f, 1, 10);
}

/* Function dev.fn of bus 0 as the library reads it, BARs sized (the read must succeed). */
static inline struct pci_device read_at(uint8_t dev, uint8_t fn)
{
	struct pci_device d;

	memset(&d, 0, sizeof(d));
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, dev, fn}, PCI_READ_SIZE_BARS,
				   &d),
		 E_OK);
	return d;
}

/* The dword at `off` of function dev.fn's configuration space. */
static inline uint32_t cfg32(uint8_t dev, uint8_t fn, uint8_t off)
{
	return get32(fake.fns[0][dev][fn].cfg + off);
}
