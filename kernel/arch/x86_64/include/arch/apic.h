/* SPDX-License-Identifier: MIT */
/*
 * Interrupt controllers: the local APIC (EOI, timer), the I/O APICs found in
 * the ACPI MADT, and the legacy 8259 PIC, which is remapped and masked.
 */
#pragma once

#include "kernel/types.h"

struct acpi_info;

void pic_disable(void);

int lapic_init(paddr_t base);
void lapic_eoi(void);
uint32_t lapic_id(void);
/* Timer: count down from `count` at the bus clock / 16, once or periodically. */
void lapic_timer_start(uint32_t count, bool periodic);
void lapic_timer_stop(void);
uint32_t lapic_timer_current(void);
/* Raise `vector` on this CPU (fixed delivery, self shorthand). */
void lapic_self_ipi(uint8_t vector);
/* The MSI address and data that deliver `vector` to this CPU, edge-triggered. */
void msi_compose(uint8_t vector, uint64_t *address, uint32_t *data);

int ioapic_init(const struct acpi_info *ai);
/* Route a global system interrupt to `vector` on the boot CPU, masked. */
int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low);
int ioapic_set_masked(uint32_t gsi, bool masked);
unsigned ioapic_gsi_count(void);
