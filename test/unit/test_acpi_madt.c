/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the ACPI parser's MADT decoding (kernel/acpi/acpi.c):
 * malformed entries, a cut at every length, overflowing the fixed-size
 * lists, and ISA IRQ to GSI routing through the interrupt source overrides.
 * Fixture: acpi_fixture.h.
 */
#include "acpi_fixture.h"

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
	build_roots(offs, ARRAY_SIZE(offs));
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

int main(void)
{
	test_madt_bad_entries();
	test_madt_truncation();
	test_madt_limits();
	test_irq_to_gsi();
	fixture_release();
	return check_summary("acpi_madt");
}
