/* SPDX-License-Identifier: MIT */
/*
 * I/O APICs from the ACPI MADT. Every redirection entry starts masked; a
 * line is routed (vector, edge/level, polarity, boot CPU) when a driver binds
 * it. Registers are reached through the index/data window at the base.
 */
#include "acpi/acpi.h"
#include "arch/apic.h"
#include "kernel/printk.h"
#include "kernel/vm.h"

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN    0x10
#define IOAPIC_VER    0x01
#define IOAPIC_REDTBL 0x10

#define RTE_MASKED     (1u << 16)
#define RTE_LEVEL      (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t lines;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static size_t ioapic_count;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WIN / 4];
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WIN / 4] = v;
}

static struct ioapic *ioapic_for(uint32_t gsi)
{
	for (size_t i = 0; i < ioapic_count; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].lines)
			return &ioapics[i];
	}
	return NULL;
}

int ioapic_init(const struct acpi_info *ai)
{
	if (!ai || !ai->has_madt || ai->madt.ioapic_count == 0)
		return -1;
	for (size_t i = 0; i < ai->madt.ioapic_count && i < ACPI_MAX_IOAPICS; i++) {
		struct ioapic *io = &ioapics[ioapic_count];
		io->regs = vm_map_mmio(ai->madt.ioapics[i].addr, 0x20);
		if (!io->regs)
			continue;
		io->gsi_base = ai->madt.ioapics[i].gsi_base;
		io->lines = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xFF) + 1;
		for (uint32_t l = 0; l < io->lines; l++)
			ioapic_write(io, IOAPIC_REDTBL + 2 * l, RTE_MASKED);
		klog("ioapic: id %u at 0x%x, GSI %u-%u, all masked\n", ai->madt.ioapics[i].id,
		     ai->madt.ioapics[i].addr, io->gsi_base, io->gsi_base + io->lines - 1);
		ioapic_count++;
	}
	return ioapic_count ? 0 : -1;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low)
{
	struct ioapic *io = ioapic_for(gsi);

	if (!io)
		return -1;
	uint32_t line = gsi - io->gsi_base;
	uint32_t lo =
		vector | RTE_MASKED | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0);
	ioapic_write(io, IOAPIC_REDTBL + 2 * line + 1, lapic_id() << 24);
	ioapic_write(io, IOAPIC_REDTBL + 2 * line, lo);
	return 0;
}

int ioapic_set_masked(uint32_t gsi, bool masked)
{
	struct ioapic *io = ioapic_for(gsi);

	if (!io)
		return -1;
	uint32_t reg = IOAPIC_REDTBL + 2 * (gsi - io->gsi_base);
	uint32_t lo = ioapic_read(io, reg);
	ioapic_write(io, reg, masked ? (lo | RTE_MASKED) : (lo & ~RTE_MASKED));
	return 0;
}

unsigned ioapic_gsi_count(void)
{
	unsigned n = 0;
	for (size_t i = 0; i < ioapic_count; i++)
		n = MAX(n, ioapics[i].gsi_base + ioapics[i].lines);
	return n;
}
