/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the ACPI parser (kernel/acpi/acpi.c) under random
 * damage: bytes flipped in one table of a good system, half the time with
 * the checksum repaired, must never push a count past its bound. Fixture:
 * acpi_fixture.h; random numbers: rng.h.
 */
#include "acpi_fixture.h"
#include "rng.h"

static uint32_t rng_state = 0x1BADB002;

static uint32_t rng(void)
{
	return xorshift32(&rng_state);
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
		uint32_t off = tables[rng() % ARRAY_SIZE(tables)];
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
	test_mutations();
	fixture_release();
	return check_summary("acpi_fuzz");
}
