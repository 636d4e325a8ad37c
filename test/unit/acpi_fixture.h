/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture for the ACPI table parser tests (kernel/acpi/acpi.c): a
 * fake physical memory, builders for the RSDP, root tables, MADT, FADT, MCFG
 * and HPET, and build_system(), which lays out a complete good system. The
 * map callback hands out a fresh, exact-size, deliberately misaligned heap
 * copy on every call and frees the previous one, so under ASan and UBSan any
 * read past a mapping, any use of a stale mapping and any misaligned load
 * fails the test. Include it from exactly one file per test program, after
 * check.h; call fixture_release() before check_summary().
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/acpi/acpi.h"
#include "check.h"

#define MEM_BASE 0xE0000ull
#define MEM_SIZE 0x20000u

#define OFF_RSDT    0x100u
#define OFF_XSDT    0x200u
#define OFF_MADT    0x400u
#define OFF_FADT    0x800u
#define OFF_MCFG    0xA00u
#define OFF_HPET    0xB00u
#define OFF_SSDT    0xC00u
#define OFF_DSDT    0xC80u
#define OFF_SCRATCH 0x1000u
#define OFF_BIG	    0x4000u

#define PHYS(off) (MEM_BASE + (off))

struct fake_mem {
	uint8_t mem[MEM_SIZE];
	uint8_t *last; /* the previous mapping, freed on the next call */
	size_t maps;
};

static struct fake_mem fm;
static struct acpi_info ai;
static uint8_t rsdp[36];

static inline const void *fake_map(void *ctx, uint64_t phys, size_t len)
{
	struct fake_mem *m = ctx;
	free(m->last);
	m->last = NULL;
	m->maps++;
	if (phys < MEM_BASE || phys - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (phys - MEM_BASE))
		return NULL;
	m->last = malloc(len + 1);
	memcpy(m->last + 1, m->mem + (phys - MEM_BASE), len);
	return m->last + 1;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static inline uint8_t *at(uint32_t off)
{
	return fm.mem + off;
}

static inline uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s += *p++;
	return s;
}

static inline void fix_checksum(uint32_t off)
{
	uint8_t *p = at(off);
	uint32_t len;
	memcpy(&len, p + 4, 4);
	if (len > MEM_SIZE - off)
		len = MEM_SIZE - off; /* absurd lengths: the parser never gets that far */
	p[9] = 0;
	p[9] = (uint8_t)-sum(p, len);
}

static inline void header(uint32_t off, const char *sig, uint32_t len, uint8_t rev)
{
	uint8_t *p = at(off);
	memset(p, 0, 36);
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = rev;
	memcpy(p + 10, "TESTOE", 6);
	memcpy(p + 16, "TESTTABL", 8);
}

static inline void set_len(uint32_t off, uint32_t len)
{
	put32(at(off) + 4, len);
	fix_checksum(off);
}

static inline void build_rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "BOCHS ", 6);
	rsdp[15] = rev;
	put32(rsdp + 16, rsdt);
	put32(rsdp + 20, 36);
	put64(rsdp + 24, xsdt);
	rsdp[8] = (uint8_t)-sum(rsdp, 20);
	rsdp[32] = (uint8_t)-sum(rsdp, 36);
}

/* RSDT and XSDT listing the same tables (by offset in fake memory). */
static inline void build_roots(const uint32_t *offs, size_t n)
{
	header(OFF_RSDT, "RSDT", (uint32_t)(36 + 4 * n), 1);
	header(OFF_XSDT, "XSDT", (uint32_t)(36 + 8 * n), 1);
	for (size_t i = 0; i < n; i++) {
		put32(at(OFF_RSDT) + 36 + 4 * i, offs[i] ? (uint32_t)PHYS(offs[i]) : 0);
		put64(at(OFF_XSDT) + 36 + 8 * i, offs[i] ? PHYS(offs[i]) : 0);
	}
	fix_checksum(OFF_RSDT);
	fix_checksum(OFF_XSDT);
}

/* ---- MADT builder: remembers where each entry ends ---- */

struct madt_build {
	uint32_t off;
	uint32_t len;
	size_t count;
	uint32_t entry_end[512];
};

static struct madt_build mb;

static inline void madt_begin(uint32_t off, uint32_t lapic_addr, uint32_t flags)
{
	mb = (struct madt_build){.off = off, .len = 44};
	header(off, "APIC", 44, 5);
	put32(at(off) + 36, lapic_addr);
	put32(at(off) + 40, flags);
}

static inline uint8_t *madt_entry(uint8_t type, uint8_t len)
{
	uint8_t *e = at(mb.off + mb.len);
	memset(e, 0, len < 2 ? 2 : len);
	e[0] = type;
	e[1] = len;
	mb.len += len < 2 ? 2 : len; /* a bad length still takes up its two bytes */
	mb.entry_end[mb.count++] = mb.len;
	return e;
}

static inline void madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt_entry(0, 8);
	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
}

static inline void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t *e = madt_entry(1, 12);
	e[2] = id;
	put32(e + 4, addr);
	put32(e + 8, gsi_base);
}

static inline void madt_iso(uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = madt_entry(2, 10);
	e[2] = bus;
	e[3] = irq;
	put32(e + 4, gsi);
	put16(e + 8, flags);
}

static inline void madt_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
	uint8_t *e = madt_entry(4, 6);
	e[2] = uid;
	put16(e + 3, flags);
	e[5] = lint;
}

static inline void madt_end(void)
{
	set_len(mb.off, mb.len);
}

static inline void build_madt(void)
{
	madt_begin(OFF_MADT, 0xFEE00000, 1);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 1);
	madt_lapic(2, 2, 2); /* online capable only */
	madt_lapic(3, 3, 0); /* disabled: not listed */
	madt_ioapic(2, 0xFEC00000, 0);
	madt_iso(0, 0, 2, 0);	   /* IRQ0 -> GSI2, conforming */
	madt_iso(0, 9, 9, 0x000F); /* IRQ9: level, active low */
	madt_nmi(0xFF, 0x0005, 1); /* all CPUs, LINT1, high, edge */
	put64(madt_entry(5, 12) + 4, 0x1FEE00000ull);
	uint8_t *x = madt_entry(9, 16); /* x2APIC id 0x100 */
	put32(x + 4, 0x100);
	put32(x + 8, 1);
	put32(x + 12, 4);
	x = madt_entry(9, 16); /* x2APIC repeating xAPIC id 1: not listed twice */
	put32(x + 4, 1);
	put32(x + 8, 1);
	put32(x + 12, 1);
	uint8_t *n = madt_entry(10, 12); /* x2APIC NMI */
	put16(n + 2, 0x000D);
	put32(n + 4, 4);
	n[8] = 0;
	madt_entry(0x7F, 4); /* unknown type: skipped */
	madt_end();
}

static inline void build_fadt_full(void)
{
	uint8_t *f = at(OFF_FADT);
	header(OFF_FADT, "FACP", 276, 6);
	put32(f + 40, (uint32_t)PHYS(OFF_DSDT));
	put16(f + 46, 9);
	put32(f + 76, 0x608);
	f[91] = 4;
	f[108] = 0x32;
	put16(f + 109, 0x0006); /* 8042, VGA not present */
	put32(f + 112, (1u << 8) | (1u << 10));
	f[116] = 1; /* RESET_REG: I/O port 0xCF9, 8 bits */
	f[117] = 8;
	put64(f + 120, 0xCF9);
	f[128] = 6;
	put64(f + 140, PHYS(OFF_DSDT));
	f[208] = 1; /* X_PM_TMR_BLK: I/O port 0x1008, preferred */
	f[209] = 32;
	put64(f + 212, 0x1008);
	fix_checksum(OFF_FADT);
}

/* An ACPI 1.0 FADT: 116 bytes, revision 1, 24-bit timer. */
static inline void build_fadt_v1(void)
{
	uint8_t *f = at(OFF_FADT);
	memset(f, 0, 300);
	header(OFF_FADT, "FACP", 116, 1);
	put32(f + 40, (uint32_t)PHYS(OFF_DSDT));
	put32(f + 76, 0x808);
	f[91] = 4;
	f[109] = 0xAA; /* reserved in 1.0: must not be read as IAPC_BOOT_ARCH */
	fix_checksum(OFF_FADT);
}

static inline void build_mcfg(void)
{
	uint8_t *m = at(OFF_MCFG);
	header(OFF_MCFG, "MCFG", 44 + 3 * 16, 1);
	put64(m + 44, 0xB0000000);
	m[44 + 11] = 255;
	put64(m + 60, 0xC0000000);
	put16(m + 68, 1);
	m[60 + 10] = 0;
	m[60 + 11] = 63;
	put64(m + 76, 0xD0000000); /* bus_end < bus_start: skipped */
	m[76 + 10] = 5;
	m[76 + 11] = 4;
	fix_checksum(OFF_MCFG);
}

static inline void build_hpet(void)
{
	uint8_t *h = at(OFF_HPET);
	header(OFF_HPET, "HPET", 56, 1);
	put32(h + 36, 0x8086A201);
	put64(h + 44, 0xFED00000);
	h[52] = 0;
	put16(h + 53, 0x37EE);
	fix_checksum(OFF_HPET);
}

static const uint32_t std_tables[] = {OFF_MADT, OFF_FADT, OFF_MCFG, OFF_HPET, OFF_SSDT};

static inline void build_system(void)
{
	memset(fm.mem, 0, sizeof(fm.mem));
	build_madt();
	build_fadt_full();
	build_mcfg();
	build_hpet();
	header(OFF_SSDT, "SSDT", 40, 2);
	fix_checksum(OFF_SSDT);
	header(OFF_DSDT, "DSDT", 40, 2);
	fix_checksum(OFF_DSDT);
	build_roots(std_tables, ARRAY_SIZE(std_tables));
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
}

static inline int parse(size_t rsdp_len)
{
	return acpi_parse(rsdp, rsdp_len, fake_map, &fm, &ai);
}

/* Free the last mapping the parser was handed, so ASan sees no leak. */
static inline void fixture_release(void)
{
	free(fm.last);
	fm.last = NULL;
}
