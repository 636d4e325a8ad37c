/* SPDX-License-Identifier: MIT */
/*
 * Hardware as capabilities. The kernel hands init one resource handle per
 * kind (named "irq", "ioport", "devmem", "dma" in its start_info); with them
 * the supervisor makes narrow handles for each driver from its manifest:
 *
 *   irq     SYS_IRQ_CREATE: one GSI (IOAPIC line) or one MSI vector (any free
 *           one, or the one asked for: a multi-message MSI block is aligned).
 *           The driver binds it to a notification. A level-triggered line and
 *           an MSI vector are masked when they fire until the driver
 *           acknowledges (SYS_IRQ_ACK); an MSI is masked at its device if the
 *           kernel was told where the function's mask bit is
 *           (SYS_IRQ_SET_MASK, by the IRQ's creator: it needs R_MANAGE,
 *           which copies keep only if given), and an MSI that arrives while
 *           masked is remembered and delivered at the acknowledgement. When the bound
 *           notification goes (its driver died) the IRQ is masked until a new
 *           instance binds it again.
 *   ioport  SYS_IOPORT_CREATE: a port range; SYS_IOPORT_ENABLE opens it for the
 *           calling process (the TSS I/O permission bitmap); every other port
 *           still faults in ring 3.
 *   devmem  SYS_DEVMEM_CREATE: a memory object over device memory (never RAM),
 *           mapped uncached, or write-combining with DEVMEM_WC (framebuffers);
 *           DEVMEM_EXCLUSIVE makes it the only exclusive object over those
 *           pages while it lives (one holder of a device at a time).
 *   dma     SYS_MOBJ_PHYS, SYS_MOBJ_PHYS_LIST: learn the physical addresses of
 *           a memory object's pages, for programming DMA (MOBJ_CONTIGUOUS for
 *           multi-page buffers, MOBJ_BELOW_4G for devices that address only
 *           32 bits); the object handle needs R_WRITE, since the device may
 *           write there.
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
#define IRQ_MSI		 (1u << 0) /* an MSI vector: gsi 0 = any free one, else that vector */
#define IRQ_LEVEL	 (1u << 1) /* level-triggered (PCI INTx); default: the ACPI rule */
#define IRQ_ACTIVE_LOW	 (1u << 2)
#define IRQ_EDGE	 (1u << 3)  /* force edge-triggered, active high */
#define IRQ_TEST_TRIGGER (1u << 31) /* SYS_IRQ_ACK with this: raise it once; needs R_TRIGGER */

/* MSI vectors SYS_IRQ_CREATE hands out (IRQ_MSI); a block of n is aligned to n. */
#define IRQ_MSI_VECTOR_FIRST 0x80
#define IRQ_MSI_VECTOR_LAST  0xDF

/* SYS_MOBJ_CREATE flags */
#define MOBJ_CONTIGUOUS (1u << 0) /* physically contiguous (DMA buffers) */
#define MOBJ_BELOW_4G                                                                              \
	(1u << 1) /* every page below 4 GiB (32-bit DMA); with or without the above                \
		   */

/* SYS_DEVMEM_CREATE flags */
#define DEVMEM_WC (1u << 0) /* map write-combining (PAT), for framebuffers; else uncached */
#define DEVMEM_EXCLUSIVE                                                                           \
	(1u << 1) /* E_BUSY while another exclusive object covers one of its pages */

/* SYS_MOBJ_PHYS_LIST: at most this many addresses per call. */
#define MOBJ_PHYS_LIST_MAX (256u * 1024) /* a whole 1 GiB object */

struct irq_info {
	uint32_t gsi; /* or 0xFFFFFFFF for MSI */
	uint32_t vector;
	uint64_t msi_address; /* for MSI: what to program into the device */
	uint32_t msi_data;
	uint32_t flags;		 /* effective IRQ_LEVEL / IRQ_ACTIVE_LOW, or IRQ_MSI */
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
/* Where the kernel masks an MSI: bit `bit` of the dword at `offset` in device memory `mobj`. */
long sys_irq_set_mask(uint32_t irq, uint32_t mobj, uint64_t offset, uint32_t bit);
long sys_ioport_create(uint32_t ioport_resource, uint16_t base, uint32_t count);
long sys_ioport_enable(uint32_t ioport);
long sys_devmem_create(uint32_t devmem_resource, uint64_t phys, uint64_t size); /* flags 0 */
long sys_devmem_create_flags(uint32_t devmem_resource, uint64_t phys, uint64_t size,
			     uint32_t flags);
long sys_mobj_phys(uint32_t dma_resource, uint32_t mobj, uint64_t page);
/* The addresses of pages first..first+count-1 into out[count]; returns count. */
long sys_mobj_phys_list(uint32_t dma_resource, uint32_t mobj, uint64_t first, uint64_t *out,
			uint64_t count);

/* Port I/O (kernel/arch/x86_64/user/sys_entry.asm); needs the ports enabled. */
uint8_t port_in8(uint16_t port);
void port_out8(uint16_t port, uint8_t v);
uint32_t port_in32(uint16_t port);
void port_out32(uint16_t port, uint32_t v);
