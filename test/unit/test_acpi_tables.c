/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the ACPI parser's fixed-layout tables
 * (kernel/acpi/acpi.c): the FADT from ACPI 1.0 to 6 (short tables, a cut at
 * every length, the PM timer choice), then MCFG and HPET limits and damage.
 * Fixture: acpi_fixture.h.
 */
#include "acpi_fixture.h"

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

int main(void)
{
	test_fadt_v1();
	test_fadt_short();
	test_fadt_truncation();
	test_fadt_pm_timer();
	test_mcfg_hpet();
	fixture_release();
	return check_summary("acpi_tables");
}
