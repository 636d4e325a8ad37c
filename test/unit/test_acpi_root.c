/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the ACPI parser's way in (kernel/acpi/acpi.c): complete
 * good systems through the RSDT and the XSDT, then damage to the RSDP and
 * the root tables, unmappable entries, bad checksums and lengths, the
 * bad-table list and the warning names. Fixture: acpi_fixture.h; the
 * warning-name check is shared with mb2 in warning_names.h.
 */
#include "acpi_fixture.h"
#include "warning_names.h"

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
	set_len(OFF_XSDT, 36 + 8 * ARRAY_SIZE(std_tables) + 3);
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_ROOT_LENGTH);
	CHECK(ai.has_hpet);
}

static void test_unmappable_entries(void)
{
	build_system();
	uint32_t offs[] = {0, OFF_MADT, 0x7FFFF000u, OFF_FADT, MEM_SIZE - 20};
	build_roots(offs, ARRAY_SIZE(offs));
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
	build_roots(offs2, ARRAY_SIZE(offs2));
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
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
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
	for (size_t i = 0; i < ARRAY_SIZE(offs); i++) {
		offs[i] = OFF_SCRATCH + 64 * (uint32_t)i;
		header(offs[i], "BAD!", 40, 1);
		fix_checksum(offs[i]);
		at(offs[i])[9]++; /* wrong on purpose */
	}
	build_roots(offs, ARRAY_SIZE(offs));
	CHECK_EQ(parse(36), 0);
	CHECK(ai.warnings & ACPI_WARN_TOO_MANY_BAD_TABLES);
	CHECK_EQ(ai.bad_table_count, ACPI_MAX_BAD_TABLES);
	CHECK(ai.warnings & ACPI_WARN_NO_MADT);
}

static void test_warning_names(void)
{
	CHECK_EQ(check_distinct_warning_names(acpi_warning_name), 20);
	CHECK(strcmp(acpi_warning_name(0), "unknown warning") == 0);
	CHECK(strcmp(acpi_warning_name(ACPI_WARN_NO_MADT | ACPI_WARN_NO_FADT), "unknown warning") ==
	      0);
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
	test_warning_names();
	fixture_release();
	return check_summary("acpi_root");
}
