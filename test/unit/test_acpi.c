/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the ACPI table parser (kernel/acpi/acpi.c). Tables are
 * built in a fake physical memory. Its map callback hands out a fresh,
 * exact-size, deliberately misaligned heap copy on every call and frees the
 * previous one, so under ASan and UBSan any read past a mapping, any use of
 * a stale mapping and any misaligned load fails the test.
 */
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

static const void *fake_map(void *ctx, uint64_t phys, size_t len)
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

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint8_t *at(uint32_t off)
{
	return fm.mem + off;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s += *p++;
	return s;
}

static void fix_checksum(uint32_t off)
{
	uint8_t *p = at(off);
	uint32_t len;
	memcpy(&len, p + 4, 4);
	if (len > MEM_SIZE - off)
		len = MEM_SIZE - off; /* absurd lengths: the parser never gets that far */
	p[9] = 0;
	p[9] = (uint8_t)-sum(p, len);
}

static void header(uint32_t off, const char *sig, uint32_t len, uint8_t rev)
{
	uint8_t *p = at(off);
	memset(p, 0, 36);
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = rev;
	memcpy(p + 10, "TESTOE", 6);
	memcpy(p + 16, "TESTTABL", 8);
}

static void set_len(uint32_t off, uint32_t len)
{
	put32(at(off) + 4, len);
	fix_checksum(off);
}

static void build_rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
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
static void build_roots(const uint32_t *offs, size_t n)
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

static void madt_begin(uint32_t off, uint32_t lapic_addr, uint32_t flags)
{
	mb = (struct madt_build){.off = off, .len = 44};
	header(off, "APIC", 44, 5);
	put32(at(off) + 36, lapic_addr);
	put32(at(off) + 40, flags);
}

static uint8_t *madt_entry(uint8_t type, uint8_t len)
{
	uint8_t *e = at(mb.off + mb.len);
	memset(e, 0, len < 2 ? 2 : len);
	e[0] = type;
	e[1] = len;
	mb.len += len < 2 ? 2 : len; /* a bad length still takes up its two bytes */
	mb.entry_end[mb.count++] = mb.len;
	return e;
}

static void madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt_entry(0, 8);
	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
}

static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t *e = madt_entry(1, 12);
	e[2] = id;
	put32(e + 4, addr);
	put32(e + 8, gsi_base);
}

static void madt_iso(uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = madt_entry(2, 10);
	e[2] = bus;
	e[3] = irq;
	put32(e + 4, gsi);
	put16(e + 8, flags);
}

static void madt_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
	uint8_t *e = madt_entry(4, 6);
	e[2] = uid;
	put16(e + 3, flags);
	e[5] = lint;
}

static void madt_end(void)
{
	set_len(mb.off, mb.len);
}

static void build_madt(void)
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

static void build_fadt_full(void)
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
static void build_fadt_v1(void)
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

static void build_mcfg(void)
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

static void build_hpet(void)
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

static void build_system(void)
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
	build_roots(std_tables, ARRAY_LEN(std_tables));
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
}

static int parse(size_t rsdp_len)
{
	return acpi_parse(rsdp, rsdp_len, fake_map, &fm, &ai);
}

/* ---- the good system ---- */

static void check_madt(void)
{
	const struct acpi_madt_info *m = &ai.madt;
	CHECK(ai.has_madt);
	CHECK_EQ(m->lapic_addr, 0x1FEE00000ull);
	CHECK(m->lapic_addr_overridden);
	CHECK_EQ(m->flags, ACPI_MADT_PCAT_COMPAT);
	CHECK_EQ(m->cpu_count, 4);
	CHECK_EQ(m->cpus[0].apic_id, 0);
	CHECK(m->cpus[0].enabled && !m->cpus[0].x2apic);
	CHECK_EQ(m->cpus[1].apic_id, 1);
	CHECK_EQ(m->cpus[2].apic_id, 2);
	CHECK_EQ(m->cpus[2].uid, 2);
	CHECK(!m->cpus[2].enabled);
	CHECK_EQ(m->cpus[3].apic_id, 0x100);
	CHECK_EQ(m->cpus[3].uid, 4);
	CHECK(m->cpus[3].enabled && m->cpus[3].x2apic);
	CHECK_EQ(m->ioapic_count, 1);
	CHECK_EQ(m->ioapics[0].id, 2);
	CHECK_EQ(m->ioapics[0].addr, 0xFEC00000);
	CHECK_EQ(m->ioapics[0].gsi_base, 0);
	CHECK_EQ(m->iso_count, 2);
	CHECK_EQ(m->isos[0].source_irq, 0);
	CHECK_EQ(m->isos[0].gsi, 2);
	CHECK_EQ(m->isos[0].polarity, ACPI_POLARITY_CONFORMS);
	CHECK_EQ(m->isos[0].trigger, ACPI_TRIGGER_CONFORMS);
	CHECK_EQ(m->isos[1].source_irq, 9);
	CHECK_EQ(m->isos[1].flags, 0x000F);
	CHECK_EQ(m->isos[1].polarity, ACPI_POLARITY_LOW);
	CHECK_EQ(m->isos[1].trigger, ACPI_TRIGGER_LEVEL);
	CHECK_EQ(m->nmi_count, 2);
	CHECK_EQ(m->nmis[0].uid, ACPI_UID_ALL);
	CHECK_EQ(m->nmis[0].lint, 1);
	CHECK_EQ(m->nmis[0].polarity, ACPI_POLARITY_HIGH);
	CHECK_EQ(m->nmis[0].trigger, ACPI_TRIGGER_EDGE);
	CHECK_EQ(m->nmis[1].uid, 4);
	CHECK_EQ(m->nmis[1].polarity, ACPI_POLARITY_HIGH);
	CHECK_EQ(m->nmis[1].trigger, ACPI_TRIGGER_LEVEL);
}

static void check_fadt_full(void)
{
	const struct acpi_fadt_info *f = &ai.fadt;
	CHECK(ai.has_fadt);
	CHECK_EQ(f->revision, 6);
	CHECK_EQ(f->length, 276);
	CHECK_EQ(f->dsdt_addr, PHYS(OFF_DSDT));
	CHECK_EQ(f->sci_irq, 9);
	CHECK(f->pm_timer_present);
	CHECK_EQ(f->pm_timer_port, 0x1008);
	CHECK(f->pm_timer_32bit);
	CHECK_EQ(f->century, 0x32);
	CHECK(f->has_reset_reg);
	CHECK_EQ(f->reset_reg.space_id, ACPI_GAS_IO);
	CHECK_EQ(f->reset_reg.bit_width, 8);
	CHECK_EQ(f->reset_reg.address, 0xCF9);
	CHECK_EQ(f->reset_value, 6);
	CHECK(f->has_boot_arch);
	CHECK_EQ(f->iapc_boot_arch, 6);
	CHECK(f->has_8042);
	CHECK(f->vga_absent);
}

static void check_rest(void)
{
	CHECK(ai.has_mcfg);
	CHECK_EQ(ai.ecam_count, 2);
	CHECK_EQ(ai.ecam[0].base, 0xB0000000);
	CHECK_EQ(ai.ecam[0].segment, 0);
	CHECK_EQ(ai.ecam[0].bus_start, 0);
	CHECK_EQ(ai.ecam[0].bus_end, 255);
	CHECK_EQ(ai.ecam[1].base, 0xC0000000);
	CHECK_EQ(ai.ecam[1].segment, 1);
	CHECK_EQ(ai.ecam[1].bus_end, 63);
	CHECK(ai.has_hpet);
	CHECK_EQ(ai.hpet_base, 0xFED00000);
	CHECK_EQ(ai.hpet_min_tick, 0x37EE);
	CHECK_EQ(ai.bad_table_count, 0);
	CHECK(strcmp(ai.oem_id, "BOCHS ") == 0);
}

static void test_v2_system(void)
{
	build_system();
	CHECK_EQ(parse(36), 0);
	CHECK_EQ(ai.warnings, ACPI_WARN_BAD_MCFG); /* just the reversed bus range */
	CHECK_EQ(ai.rsdp_revision, 2);
	CHECK(ai.used_xsdt);
	CHECK_EQ(ai.root_addr, PHYS(OFF_XSDT));
	check_madt();
	check_fadt_full();
	check_rest();
}

static void test_v1_system(void)
{
	build_system();
	build_rsdp(0, (uint32_t)PHYS(OFF_RSDT), 0);
	CHECK_EQ(parse(20), 0);
	CHECK_EQ(ai.warnings, ACPI_WARN_BAD_MCFG);
	CHECK_EQ(ai.rsdp_revision, 0);
	CHECK(!ai.used_xsdt);
	CHECK_EQ(ai.root_addr, PHYS(OFF_RSDT));
	check_madt();
	check_fadt_full();
	check_rest();
}

/* ---- RSDP ---- */

static void test_rsdp(void)
{
	build_system();
	CHECK_EQ(acpi_parse(NULL, 36, fake_map, &fm, &ai), ACPI_EINVAL);
	CHECK_EQ(acpi_parse(rsdp, 36, NULL, &fm, &ai), ACPI_EINVAL);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &fm, NULL), ACPI_EINVAL);
	CHECK_EQ(parse(19), ACPI_EINVAL);

	/* Revision 2 but only the 20-byte part given: use the RSDT. */
	CHECK_EQ(parse(20), 0);
	CHECK(ai.warnings & ACPI_WARN_BAD_RSDP_EXT);
	CHECK(!ai.used_xsdt && ai.has_madt);

	rsdp[32] ^= 1; /* extended checksum */
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_BAD_RSDP_EXT);
	CHECK(!ai.used_xsdt && ai.has_fadt);

	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
	put32(rsdp + 20, 0x1000); /* length beyond what we were given */
	rsdp[8] = 0;
	rsdp[8] = (uint8_t)-sum(rsdp, 20);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_BAD_RSDP_EXT);

	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
	rsdp[0] = 'r';
	CHECK_EQ(parse(36), ACPI_EBADRSDP);
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
	rsdp[8] ^= 0x40;
	CHECK_EQ(parse(36), ACPI_ECHECKSUM);
	CHECK(!ai.has_madt);

	/* Unaligned RSDP bytes. */
	uint8_t *odd = malloc(37);
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
	memcpy(odd + 1, rsdp, 36);
	CHECK_EQ(acpi_parse(odd + 1, 36, fake_map, &fm, &ai), 0);
	CHECK(ai.used_xsdt && ai.has_madt);
	free(odd);
}

/* ---- root tables ---- */

static void test_roots(void)
{
	build_system();
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), 0x7FFF0000); /* XSDT outside memory */
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_XSDT_FALLBACK);
	CHECK(!ai.used_xsdt && ai.has_madt && ai.has_fadt);

	build_rsdp(2, 0x7FFF0000, 0x7FFF0000);
	CHECK_EQ(parse(36), ACPI_ENOROOT);
	build_rsdp(0, 0, 0);
	CHECK_EQ(parse(20), ACPI_ENOROOT);
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), 0); /* no XSDT: straight to the RSDT */
	CHECK_EQ(parse(36), 0);
	CHECK(!(ai.warnings & ACPI_WARN_XSDT_FALLBACK));

	/* A bad XSDT checksum: fall back, and list the XSDT as bad. */
	build_rsdp(2, (uint32_t)PHYS(OFF_RSDT), PHYS(OFF_XSDT));
	at(OFF_XSDT)[40] ^= 1;
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_XSDT_FALLBACK);
	CHECK(ai.warnings & ACPI_WARN_BAD_CHECKSUM);
	CHECK_EQ(ai.bad_table_count, 1);
	CHECK(strcmp(ai.bad_tables[0].signature, "XSDT") == 0);
	CHECK(ai.has_madt);

	/* An RSDT whose signature is wrong is not a root. */
	build_rsdp(0, (uint32_t)PHYS(OFF_MADT), 0);
	CHECK_EQ(parse(20), ACPI_ENOROOT);

	/* Root length not a whole number of entries: trailing bytes ignored. */
	build_system();
	set_len(OFF_XSDT, 36 + 8 * ARRAY_LEN(std_tables) + 3);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_ROOT_LENGTH);
	CHECK(ai.has_hpet);
}

static void test_unmappable_entries(void)
{
	build_system();
	uint32_t offs[] = {0, OFF_MADT, 0x7FFFF000u, OFF_FADT, MEM_SIZE - 20};
	build_roots(offs, ARRAY_LEN(offs));
	put64(at(OFF_XSDT) + 36 + 16, 0xFFFFFFFFFFFFFFF0ull); /* wraps */
	fix_checksum(OFF_XSDT);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_TABLE_UNMAPPABLE);
	CHECK(ai.has_madt && ai.has_fadt);
	CHECK_EQ(ai.bad_table_count, 3);
	CHECK(strcmp(ai.bad_tables[0].signature, "????") == 0);
	CHECK_EQ(ai.bad_tables[0].reason, ACPI_WARN_TABLE_UNMAPPABLE);

	/* Header readable, but the length runs off the end of memory. */
	build_system();
	header(MEM_SIZE - 36, "SSDT", 0x100, 1);
	uint32_t offs2[] = {OFF_MADT, MEM_SIZE - 36};
	build_roots(offs2, ARRAY_LEN(offs2));
	CHECK_EQ(parse(36), 0);
	CHECK_EQ(ai.bad_table_count, 1);
	CHECK(strcmp(ai.bad_tables[0].signature, "SSDT") == 0);
	CHECK_EQ(ai.bad_tables[0].reason, ACPI_WARN_TABLE_UNMAPPABLE);
}

/* ---- bad tables ---- */

static void test_bad_checksum(void)
{
	build_system();
	at(OFF_MCFG)[50] ^= 0x10;
	at(OFF_MADT)[60] ^= 0x01;
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_BAD_CHECKSUM);
	CHECK(ai.warnings & ACPI_WARN_NO_MADT);
	CHECK(!ai.has_madt && !ai.has_mcfg);
	CHECK_EQ(ai.madt.cpu_count, 0);
	CHECK_EQ(ai.ecam_count, 0);
	CHECK(ai.has_fadt && ai.has_hpet);
	CHECK_EQ(ai.bad_table_count, 2);
	CHECK(strcmp(ai.bad_tables[0].signature, "APIC") == 0);
	CHECK_EQ(ai.bad_tables[0].reason, ACPI_WARN_BAD_CHECKSUM);
	CHECK(strcmp(ai.bad_tables[1].signature, "MCFG") == 0);
	CHECK(strcmp(acpi_warning_name(ai.bad_tables[1].reason), "unknown warning") != 0);
}

static void test_bad_lengths(void)
{
	static const uint32_t lens[] = {0, 20, 35, 0x100001, 0xFFFFFFFF};
	for (size_t i = 0; i < ARRAY_LEN(lens); i++) {
		build_system();
		set_len(OFF_FADT, lens[i]);
		CHECK_EQ(parse(36), 0);
		CHECK(!ai.has_fadt);
		CHECK(ai.warnings & ACPI_WARN_NO_FADT);
		CHECK(ai.warnings & ACPI_WARN_BAD_TABLE);
		CHECK_EQ(ai.bad_table_count, 1);
		CHECK(strcmp(ai.bad_tables[0].signature, "FACP") == 0);
		CHECK(ai.has_madt);
	}
	/* A signature of control bytes is no table; it is listed with '?'. */
	build_system();
	at(OFF_SSDT)[1] = 0x01;
	fix_checksum(OFF_SSDT);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_BAD_TABLE);
	CHECK(strcmp(ai.bad_tables[0].signature, "S?DT") == 0);
}

static void test_too_many_bad(void)
{
	build_system();
	uint32_t offs[12];
	for (size_t i = 0; i < ARRAY_LEN(offs); i++) {
		offs[i] = OFF_SCRATCH + 64 * (uint32_t)i;
		header(offs[i], "BAD!", 40, 1);
		fix_checksum(offs[i]);
		at(offs[i])[9]++; /* wrong on purpose */
	}
	build_roots(offs, ARRAY_LEN(offs));
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_BAD_TABLES);
	CHECK_EQ(ai.bad_table_count, ACPI_MAX_BAD_TABLES);
	CHECK(ai.warnings & ACPI_WARN_NO_MADT);
}

/* ---- MADT ---- */

static void expect_madt_stop(uint8_t type, uint8_t len)
{
	madt_begin(OFF_MADT, 0xFEE00000, 0);
	madt_lapic(0, 0, 1);
	madt_ioapic(1, 0xFEC00000, 0);
	madt_entry(type, len);
	madt_lapic(1, 1, 1);
	madt_end();
	CHECK_EQ(parse(36), 0);
	CHECK(ai.has_madt);
	CHECK(ai.warnings & ACPI_WARN_MADT_TRUNCATED);
	CHECK_EQ(ai.madt.cpu_count, 1);
	CHECK_EQ(ai.madt.ioapic_count, 1);
}

static void test_madt_bad_entries(void)
{
	build_system();
	expect_madt_stop(0, 0);
	expect_madt_stop(0x7F, 1);
	expect_madt_stop(0, 6);	 /* LAPIC needs 8 */
	expect_madt_stop(1, 10); /* I/O APIC needs 12 */
	expect_madt_stop(2, 9);	 /* override needs 10 */
	expect_madt_stop(9, 12); /* x2APIC needs 16 */
	expect_madt_stop(5, 8);	 /* address override needs 12 */

	/* Last entry claims more bytes than the table has. */
	madt_begin(OFF_MADT, 0xFEE00000, 0);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 1, 1);
	madt_end();
	at(OFF_MADT)[44 + 8 + 1] = 9;
	fix_checksum(OFF_MADT);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_MADT_TRUNCATED);
	CHECK_EQ(ai.madt.cpu_count, 1);
	CHECK_EQ(ai.madt.lapic_addr, 0xFEE00000);
	CHECK(!ai.madt.lapic_addr_overridden);

	/* A single stray byte after the last entry. */
	madt_begin(OFF_MADT, 0xFEE00000, 0);
	madt_lapic(0, 0, 1);
	madt_end();
	set_len(OFF_MADT, mb.len + 1);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_MADT_TRUNCATED);
	CHECK_EQ(ai.madt.cpu_count, 1);
}

/* Cut the MADT at every length: exactly the entries inside the cut are reported. */
static void test_madt_truncation(void)
{
	build_system();
	struct acpi_madt_info full;
	CHECK_EQ(parse(36), 0);
	full = ai.madt;
	uint32_t full_len = mb.len;
	for (uint32_t len = 0; len <= full_len; len++) {
		set_len(OFF_MADT, len);
		CHECK_EQ(parse(36), 0);
		if (len < 44) {
			CHECK(!ai.has_madt);
			CHECK(ai.warnings & ACPI_WARN_NO_MADT);
			continue;
		}
		size_t whole = 0;
		bool boundary = len == 44;
		for (size_t i = 0; i < mb.count; i++) {
			whole += mb.entry_end[i] <= len;
			boundary |= mb.entry_end[i] == len;
		}
		CHECK(ai.has_madt);
		CHECK_EQ(!!(ai.warnings & ACPI_WARN_MADT_TRUNCATED), !boundary);
		/* Entries 0-3 are CPUs (3 listed), 4 the I/O APIC, 5-6 overrides. */
		CHECK_EQ(ai.madt.cpu_count, MIN(whole, 3) + (whole > 9));
		CHECK_EQ(ai.madt.ioapic_count, whole > 4);
		CHECK_EQ(ai.madt.iso_count, MIN(whole > 5 ? whole - 5 : 0, 2));
		CHECK_EQ(ai.madt.lapic_addr_overridden, whole > 8);
		CHECK(ai.madt.cpu_count <= full.cpu_count);
		CHECK(memcmp(ai.madt.cpus, full.cpus, ai.madt.cpu_count * sizeof(full.cpus[0])) ==
		      0);
	}
}

static void test_madt_limits(void)
{
	build_system();
	madt_begin(OFF_BIG, 0xFEE00000, 0);
	for (int i = 0; i < 70; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, 1);
	madt_lapic(0, 0, 1); /* duplicate id 0: not listed twice */
	for (int i = 0; i < 10; i++)
		madt_ioapic((uint8_t)i, 0xFEC00000 + 0x1000 * (uint32_t)i, 24 * (uint32_t)i);
	for (int i = 0; i < 30; i++)
		madt_iso(0, (uint8_t)i, (uint32_t)i, 0);
	for (int i = 0; i < 10; i++)
		madt_nmi((uint8_t)i, 0, 1);
	madt_end();
	uint32_t offs[] = {OFF_BIG, OFF_FADT, OFF_MADT}; /* the second MADT is a duplicate */
	build_roots(offs, ARRAY_LEN(offs));
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_CPUS);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_IOAPICS);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_ISOS);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_NMIS);
	CHECK(ai.warnings & ACPI_WARN_DUPLICATE_TABLE);
	CHECK(!(ai.warnings & ACPI_WARN_MADT_TRUNCATED));
	CHECK_EQ(ai.madt.cpu_count, ACPI_MAX_CPUS);
	CHECK_EQ(ai.madt.cpus[63].apic_id, 63);
	CHECK_EQ(ai.madt.ioapic_count, ACPI_MAX_IOAPICS);
	CHECK_EQ(ai.madt.ioapics[7].gsi_base, 24 * 7);
	CHECK_EQ(ai.madt.iso_count, ACPI_MAX_ISOS);
	CHECK_EQ(ai.madt.nmi_count, ACPI_MAX_NMIS);
	CHECK(!ai.madt.lapic_addr_overridden); /* from the first MADT, not the duplicate */
}

/* ---- FADT ---- */

static void test_fadt_v1(void)
{
	build_system();
	build_fadt_v1();
	CHECK_EQ(parse(36), 0);
	const struct acpi_fadt_info *f = &ai.fadt;
	CHECK(ai.has_fadt);
	CHECK(!(ai.warnings & (ACPI_WARN_SHORT_FADT | ACPI_WARN_BAD_PM_TIMER)));
	CHECK_EQ(f->revision, 1);
	CHECK_EQ(f->length, 116);
	CHECK_EQ(f->dsdt_addr, PHYS(OFF_DSDT));
	CHECK(f->pm_timer_present);
	CHECK_EQ(f->pm_timer_port, 0x808);
	CHECK(!f->pm_timer_32bit);
	CHECK_EQ(f->century, 0);
	CHECK(!f->has_reset_reg);
	CHECK(!f->has_boot_arch);
	CHECK(f->has_8042);
	CHECK(!f->vga_absent);
}

static void test_fadt_short(void)
{
	build_system();
	build_fadt_v1();
	set_len(OFF_FADT, 80); /* ends just after PM_TMR_BLK, before PM_TMR_LEN */
	CHECK_EQ(parse(36), 0);
	CHECK(ai.has_fadt);
	CHECK(ai.warnings & ACPI_WARN_SHORT_FADT);
	CHECK(ai.warnings & ACPI_WARN_BAD_PM_TIMER);
	CHECK(!ai.fadt.pm_timer_present);
	CHECK_EQ(ai.fadt.flags, 0);

	set_len(OFF_FADT, 36); /* header only */
	CHECK_EQ(parse(36), 0);
	CHECK(ai.has_fadt);
	CHECK(!ai.fadt.pm_timer_present);
	CHECK_EQ(ai.fadt.dsdt_addr, 0);
	CHECK(!(ai.warnings & ACPI_WARN_BAD_PM_TIMER));

	/* Long enough for RESET_REG, but the flag says it is not supported. */
	build_fadt_full();
	put32(at(OFF_FADT) + 112, 0);
	fix_checksum(OFF_FADT);
	CHECK_EQ(parse(36), 0);
	CHECK(!ai.fadt.has_reset_reg);
	CHECK(!ai.fadt.pm_timer_32bit);
}

/* Cut the full FADT at every length: each field appears exactly when it fits. */
static void test_fadt_truncation(void)
{
	build_system();
	for (uint32_t len = 36; len <= 276; len++) {
		set_len(OFF_FADT, len);
		CHECK_EQ(parse(36), 0);
		const struct acpi_fadt_info *f = &ai.fadt;
		CHECK(ai.has_fadt);
		CHECK_EQ(!!(ai.warnings & ACPI_WARN_SHORT_FADT), len < 116);
		CHECK_EQ(!!(ai.warnings & ACPI_WARN_BAD_PM_TIMER), len >= 80 && len < 92);
		CHECK_EQ(f->dsdt_addr, len >= 44 ? PHYS(OFF_DSDT) : 0);
		CHECK_EQ(f->sci_irq, len >= 48 ? 9 : 0);
		CHECK_EQ(f->pm_timer_present, len >= 92);
		CHECK_EQ(f->pm_timer_port, len >= 220 ? 0x1008 : len >= 92 ? 0x608 : 0);
		CHECK_EQ(f->pm_timer_32bit, len >= 116);
		CHECK_EQ(f->century, len >= 109 ? 0x32 : 0);
		CHECK_EQ(f->has_boot_arch, len >= 111);
		CHECK_EQ(f->vga_absent, len >= 111);
		CHECK_EQ(f->has_reset_reg, len >= 129);
	}
}

static void test_fadt_pm_timer(void)
{
	build_system();
	at(OFF_FADT)[208] = 0; /* X_PM_TMR_BLK in memory space: use PM_TMR_BLK */
	fix_checksum(OFF_FADT);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.fadt.pm_timer_present);
	CHECK_EQ(ai.fadt.pm_timer_port, 0x608);

	at(OFF_FADT)[91] = 3; /* PM_TMR_LEN must be 4 */
	fix_checksum(OFF_FADT);
	CHECK_EQ(parse(36), 0);
	CHECK(!ai.fadt.pm_timer_present);
	CHECK(ai.warnings & ACPI_WARN_BAD_PM_TIMER);

	build_fadt_full();
	put64(at(OFF_FADT) + 212, 0x10000); /* not an I/O port */
	fix_checksum(OFF_FADT);
	CHECK_EQ(parse(36), 0);
	CHECK(!ai.fadt.pm_timer_present);
	CHECK(ai.warnings & ACPI_WARN_BAD_PM_TIMER);

	build_fadt_full();
	put32(at(OFF_FADT) + 76, 0);
	put64(at(OFF_FADT) + 212, 0);
	at(OFF_FADT)[91] = 0;
	put16(at(OFF_FADT) + 109, 0);
	fix_checksum(OFF_FADT);
	CHECK_EQ(parse(36), 0);
	CHECK(!ai.fadt.pm_timer_present);
	CHECK(!(ai.warnings & ACPI_WARN_BAD_PM_TIMER));
	CHECK(ai.fadt.has_boot_arch && !ai.fadt.has_8042 && !ai.fadt.vga_absent);
}

/* ---- MCFG and HPET ---- */

static void test_mcfg_hpet(void)
{
	build_system();
	uint8_t *m = at(OFF_MCFG);
	header(OFF_MCFG, "MCFG", 44 + 10 * 16 + 4, 1);
	for (int i = 0; i < 10; i++) {
		put64(m + 44 + 16 * i, 0xE0000000ull + 0x10000000ull * (uint64_t)i);
		put16(m + 44 + 16 * i + 8, (uint16_t)i);
		m[44 + 16 * i + 11] = 255;
	}
	fix_checksum(OFF_MCFG);
	at(OFF_HPET)[40] = ACPI_GAS_IO;
	fix_checksum(OFF_HPET);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_ECAM);
	CHECK(ai.warnings & ACPI_WARN_BAD_MCFG); /* the 4 stray bytes */
	CHECK_EQ(ai.ecam_count, ACPI_MAX_ECAM);
	CHECK_EQ(ai.ecam[7].segment, 7);
	CHECK_EQ(ai.ecam[7].base, 0x150000000ull);
	CHECK(!ai.has_hpet);
	CHECK(ai.warnings & ACPI_WARN_BAD_HPET);

	build_system();
	set_len(OFF_HPET, 50);
	set_len(OFF_MCFG, 40);
	CHECK_EQ(parse(36), 0);
	CHECK(!ai.has_hpet && !ai.has_mcfg);
	CHECK(ai.warnings & ACPI_WARN_BAD_HPET);
	CHECK(ai.warnings & ACPI_WARN_BAD_MCFG);
	CHECK_EQ(ai.bad_table_count, 2);
}

/* ---- IRQ routing ---- */

static void test_irq_to_gsi(void)
{
	build_system();
	CHECK_EQ(parse(36), 0);
	uint32_t gsi = 0;
	int low = -1, level = -1;
	CHECK_EQ(acpi_irq_to_gsi(&ai, 0, &gsi, &low, &level), 0);
	CHECK_EQ(gsi, 2);
	CHECK_EQ(low, 0);
	CHECK_EQ(level, 0);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 9, &gsi, &low, &level), 0);
	CHECK_EQ(gsi, 9);
	CHECK_EQ(low, 1);
	CHECK_EQ(level, 1);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 1, &gsi, &low, &level), 0);
	CHECK_EQ(gsi, 1);
	CHECK_EQ(low, 0);
	CHECK_EQ(level, 0);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 16, &gsi, &low, &level), ACPI_EINVAL);
	CHECK_EQ(acpi_irq_to_gsi(NULL, 1, &gsi, &low, &level), ACPI_EINVAL);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 1, NULL, &low, &level), ACPI_EINVAL);

	/* An override on another bus does not apply to ISA IRQs. */
	madt_begin(OFF_MADT, 0xFEE00000, 1);
	madt_iso(1, 4, 20, 0x000F);
	madt_iso(0, 5, 21, 0x0001); /* explicitly high, edge by default */
	madt_end();
	CHECK_EQ(parse(36), 0);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 4, &gsi, &low, &level), 0);
	CHECK_EQ(gsi, 4);
	CHECK_EQ(level, 0);
	CHECK_EQ(acpi_irq_to_gsi(&ai, 5, &gsi, &low, &level), 0);
	CHECK_EQ(gsi, 21);
	CHECK_EQ(low, 0);
	CHECK_EQ(level, 0);
}

static void test_warning_names(void)
{
	const char *seen[32];
	int named = 0;
	for (int i = 0; i < 32; i++) {
		const char *n = acpi_warning_name(1u << i);
		if (strcmp(n, "unknown warning") == 0)
			continue;
		for (int j = 0; j < named; j++)
			CHECK(strcmp(seen[j], n) != 0);
		seen[named++] = n;
	}
	CHECK_EQ(named, 20);
	CHECK(strcmp(acpi_warning_name(0), "unknown warning") == 0);
	CHECK(strcmp(acpi_warning_name(ACPI_WARN_NO_MADT | ACPI_WARN_NO_FADT), "unknown warning") ==
	      0);
}

/* ---- random damage ---- */

static uint32_t rng_state = 0x1BADB002;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static bool results_in_bounds(void)
{
	return ai.madt.cpu_count <= ACPI_MAX_CPUS && ai.madt.ioapic_count <= ACPI_MAX_IOAPICS &&
	       ai.madt.iso_count <= ACPI_MAX_ISOS && ai.madt.nmi_count <= ACPI_MAX_NMIS &&
	       ai.ecam_count <= ACPI_MAX_ECAM && ai.bad_table_count <= ACPI_MAX_BAD_TABLES;
}

/* Flip bytes in one table; half the time repair its checksum so the damage reaches the decoder. */
static void test_mutations(void)
{
	static const uint32_t tables[] = {OFF_MADT, OFF_FADT, OFF_MCFG,
					  OFF_HPET, OFF_XSDT, OFF_RSDT};
	static uint8_t pristine[MEM_SIZE];
	build_system();
	memcpy(pristine, fm.mem, MEM_SIZE);
	int parsed = 0;
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(fm.mem, pristine, 0x1000);
		uint32_t off = tables[rng() % ARRAY_LEN(tables)];
		int flips = 1 + (int)(rng() % 6);
		for (int i = 0; i < flips; i++)
			at(off)[rng() % 200] = (uint8_t)rng();
		if (rng() & 1)
			fix_checksum(off);
		int rc = parse((rng() & 3) ? 36 : 20);
		CHECK(rc == 0 || rc == ACPI_ENOROOT);
		if (!results_in_bounds())
			CHECK(!"mutation produced out-of-bounds counts");
		parsed += rc == 0;
		uint32_t gsi;
		int low, level;
		CHECK_EQ(acpi_irq_to_gsi(&ai, (uint8_t)(rng() % 16), &gsi, &low, &level), 0);
	}
	CHECK(parsed > 10000);
}

int main(void)
{
	test_v2_system();
	test_v1_system();
	test_rsdp();
	test_roots();
	test_unmappable_entries();
	test_bad_checksum();
	test_bad_lengths();
	test_too_many_bad();
	test_madt_bad_entries();
	test_madt_truncation();
	test_madt_limits();
	test_fadt_v1();
	test_fadt_short();
	test_fadt_truncation();
	test_fadt_pm_timer();
	test_mcfg_hpet();
	test_irq_to_gsi();
	test_warning_names();
	test_mutations();
	free(fm.last);
	return check_summary("acpi");
}
