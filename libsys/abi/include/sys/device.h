/* SPDX-License-Identifier: MIT */
/*
 * Hardware as capabilities. The kernel hands init one resource handle per
 * kind (named "irq", "ioport", "devmem", "dma" in its start_info); with them
 * the supervisor makes narrow handles for each driver from its manifest:
 *
 *   irq     SYS_IRQ_CREATE: one GSI (IOAPIC line) or one MSI vector. The driver
 *           binds it to a notification; a level-triggered line stays masked
 *           after it fires until the driver acknowledges it (SYS_IRQ_ACK).
 *           When the bound notification goes (its driver died) the line is
 *           masked until a new instance binds it again.
 *   ioport  SYS_IOPORT_CREATE: a port range; SYS_IOPORT_ENABLE opens it for the
 *           calling process (the TSS I/O permission bitmap); every other port
 *           still faults in ring 3.
 *   devmem  SYS_DEVMEM_CREATE: a memory object over device memory (never RAM),
 *           mapped uncached.
 *   dma     SYS_MOBJ_PHYS: learn the physical address of a memory object's page,
 *           for programming DMA (use MOBJ_CONTIGUOUS for multi-page buffers).
 */
#pragma once

#include <stdint.h>

enum resource_kind {
	RESOURCE_IRQ = 1,
	RESOURCE_IOPORT = 2,
	RESOURCE_DEVMEM = 3,
	RESOURCE_DMA = 4,
};

/* SYS_IRQ_CREATE flags */
#define IRQ_MSI		 (1u << 0) /* allocate an MSI vector; gsi is ignored */
#define IRQ_LEVEL	 (1u << 1) /* level-triggered (PCI INTx); default: the ACPI rule */
#define IRQ_ACTIVE_LOW	 (1u << 2)
#define IRQ_EDGE	 (1u << 3)  /* force edge-triggered, active high */
#define IRQ_TEST_TRIGGER (1u << 31) /* SYS_IRQ_ACK with this: raise it once; needs R_TRIGGER */

/* SYS_MOBJ_CREATE flags */
#define MOBJ_CONTIGUOUS (1u << 0) /* physically contiguous (DMA buffers) */

struct irq_info {
	uint32_t gsi; /* or 0xFFFFFFFF for MSI */
	uint32_t vector;
	uint64_t msi_address; /* for MSI: what to program into the device */
	uint32_t msi_data;
	uint32_t flags;		 /* effective IRQ_LEVEL / IRQ_ACTIVE_LOW */
	uint64_t count;		 /* times it fired */
	uint64_t last_entry_tsc; /* TSC at the interrupt entry of the last firing */
	uint64_t masked;	 /* 1 while masked */
};
_Static_assert(sizeof(struct irq_info) == 48, "irq_info is part of the ABI");

/* libsys wrappers (libsys/rt/device.c); results as for every syscall. */
long sys_irq_create(uint32_t irq_resource, uint32_t gsi, uint32_t flags);
long sys_irq_bind(uint32_t irq, uint32_t ntfn, uint64_t bits);
long sys_irq_ack(uint32_t irq);
long sys_irq_trigger(uint32_t irq); /* tests and benchmarks only */
long sys_irq_info(uint32_t irq, struct irq_info *out);
long sys_ioport_create(uint32_t ioport_resource, uint16_t base, uint32_t count);
long sys_ioport_enable(uint32_t ioport);
long sys_devmem_create(uint32_t devmem_resource, uint64_t phys, uint64_t size);
long sys_mobj_phys(uint32_t dma_resource, uint32_t mobj, uint64_t page);

/* Port I/O (kernel/arch/x86_64/user/sys_entry.asm); needs the ports enabled. */
uint8_t port_in8(uint16_t port);
void port_out8(uint16_t port, uint8_t v);
uint32_t port_in32(uint16_t port);
void port_out32(uint16_t port, uint32_t v);
