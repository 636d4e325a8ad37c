/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration for user-space drivers and lspci, over a configuration
 * space accessor the caller supplies (ECAM memory from the ACPI MCFG base
 * mapped through a device-memory capability, or ports 0xCF8/0xCFC). The
 * library touches only the first 256 bytes of each function's space, in
 * aligned dwords, and treats everything it reads as hostile: absent
 * functions, unknown header layouts, capability lists that loop or point
 * into the header, and BARs that do not decode give sane results, never a
 * hang or an access out of range.
 *
 * Files: libsys/pci/pci.c (access, header, BARs, scan), libsys/pci/pci_cap.c
 * (capability list, MSI, MSI-X), libsys/pci/pci_names.c (names for lspci).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Configuration space offsets (header types 0 and 1). */
#define PCI_VENDOR_ID	0x00
#define PCI_COMMAND	0x04
#define PCI_STATUS	0x06
#define PCI_REVISION	0x08
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0	0x10
#define PCI_SUBSYSTEM	0x2C /* type 0: subsystem vendor, then id */
#define PCI_CAP_PTR	0x34
#define PCI_CAP_PTR_CB	0x14 /* type 2 (CardBus) */
#define PCI_IRQ_LINE	0x3C
#define PCI_IRQ_PIN	0x3D
#define PCI_CONFIG_SIZE 0x100
#define PCI_CAP_FIRST	0x40 /* capabilities live in 0x40-0xFF */
#define PCI_CAPS_MAX	48   /* (0x100 - 0x40) / 4 */
#define PCI_BARS_MAX	6

/* Command register bits. */
#define PCI_CMD_IO	     0x0001
#define PCI_CMD_MEMORY	     0x0002
#define PCI_CMD_BUS_MASTER   0x0004
#define PCI_CMD_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST  0x0010

/* Capability ids. */
#define PCI_CAP_ID_PM	0x01
#define PCI_CAP_ID_MSI	0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_EXP	0x10
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_SATA 0x12

/* The standard x86 MSI address window (Intel SDM, "Message Address Register"). */
#define PCI_MSI_ADDRESS_BASE 0xFEE00000u
#define PCI_MSIX_ENTRY_SIZE  16

struct pci_access {
	uint32_t (*read32)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
	void (*write32)(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v);
	void *ctx;
};

/*
 * A driver's own function through its mapped "pci.config" page:
 * {pci_page_read32, pci_page_write32, (void *)where_the_page_is}.
 */
uint32_t pci_page_read32(void *page, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
void pci_page_write32(void *page, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v);

struct pci_addr {
	uint8_t bus, dev, fn; /* dev < 32, fn < 8 */
};

enum pci_bar_type {
	PCI_BAR_NONE, /* unimplemented, invalid, or the upper half of a 64-bit BAR */
	PCI_BAR_IO,
	PCI_BAR_MEM32, /* also the old "below 1 MiB" type */
	PCI_BAR_MEM64,
};

struct pci_bar {
	uint64_t base;
	uint64_t size; /* 0 unless sized (PCI_READ_SIZE_BARS) */
	uint8_t type;  /* enum pci_bar_type */
	bool prefetchable;
};

struct pci_cap {
	uint8_t id, offset;
};

struct pci_msi {
	uint8_t offset; /* of the capability; 0 when absent */
	bool is64, per_vector_mask, enabled;
	uint8_t max_vectors; /* 1-32, from Multiple Message Capable */
	uint8_t data_offset; /* of the message data register */
	uint8_t mask_offset; /* of the mask bits; 0 without per-vector masking */
};

struct pci_msix {
	uint8_t offset; /* of the capability; 0 when absent */
	bool enabled;
	uint16_t table_size; /* entries, 1-2048 */
	uint8_t table_bir, pba_bir;
	uint32_t table_offset, pba_offset; /* into the BAR the BIR names */
};

struct pci_device {
	struct pci_addr addr;
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_id; /* type 0 only */
	uint16_t command, status;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t header_type; /* layout, without the multi-function bit */
	bool multifunction;
	uint8_t irq_pin; /* 0 none, 1-4 INTA-INTD */
	uint8_t irq_line;
	uint8_t secondary_bus, subordinate_bus; /* bridges (type 1) */
	uint8_t bar_count;			/* BAR registers the layout has: 6, 2, 0 */
	struct pci_bar bars[PCI_BARS_MAX];	/* indexed by BAR register */
	uint8_t cap_count;
	int cap_error; /* E_OK, or why the walk stopped early (E_RANGE, E_INVAL) */
	struct pci_cap caps[PCI_CAPS_MAX];
	struct pci_msi msi;
	struct pci_msix msix;
};

/* Flags of pci_read_function and pci_scan. */
#define PCI_READ_SIZE_BARS 0x1 /* size BARs: briefly turns decoding off */

/*
 * Read one function: E_NOENT if absent (vendor 0xFFFF or 0), E_INVAL for
 * dev >= 32 or fn >= 8. An unknown header layout gives the ids and class
 * with no BARs and no capabilities. Sizing writes all-ones to each BAR with
 * memory and I/O decoding off, then restores the BARs and the command word;
 * a BAR that decodes nothing is PCI_BAR_NONE. Without sizing, a BAR that
 * reads 0 is taken as unimplemented. Sizing is left to the caller's choice
 * because a driver may be using the device while lspci looks at it.
 */
int pci_read_function(const struct pci_access *pa, struct pci_addr addr, unsigned flags,
		      struct pci_device *out);

/* Called for each function found; a non-zero return stops the scan. */
typedef int pci_visit_fn(void *arg, const struct pci_device *dev);

/*
 * Every function of buses first..last: function 0 of each device, and 1-7
 * when it is multi-function. *found counts the functions visited. Returns
 * E_OK, or the visitor's non-zero value.
 */
int pci_scan(const struct pci_access *pa, uint8_t first_bus, uint8_t last_bus, unsigned flags,
	     pci_visit_fn *visit, void *arg, size_t *found);

/* Config space access in any width; `off` must be aligned and < 256. */
uint8_t pci_read8(const struct pci_access *pa, struct pci_addr a, uint16_t off);
uint16_t pci_read16(const struct pci_access *pa, struct pci_addr a, uint16_t off);
uint32_t pci_read32(const struct pci_access *pa, struct pci_addr a, uint16_t off);
void pci_write32(const struct pci_access *pa, struct pci_addr a, uint16_t off, uint32_t v);
/* Read-modify-write of the command word that leaves the status bits alone. */
void pci_command_update(const struct pci_access *pa, struct pci_addr a, uint16_t set,
			uint16_t clear);

/* The capability with this id, or NULL. */
const struct pci_cap *pci_find_cap(const struct pci_device *dev, uint8_t id);

/*
 * MSI message for a fixed, edge-triggered interrupt to one LAPIC in
 * physical destination mode. E_INVAL for a vector below 16.
 */
int pci_msi_message(uint8_t lapic_id, uint8_t vector, uint64_t *address, uint32_t *data);

/*
 * Program MSI with one vector (unmasked) and enable it, with INTx off.
 * E_NOENT without an MSI capability, E_INVAL for a vector below 16.
 */
int pci_msi_enable(const struct pci_access *pa, const struct pci_device *dev, uint8_t lapic_id,
		   uint8_t vector);

/*
 * Where the MSI-X table is: the BAR's base plus the table offset, checked to
 * lie inside a memory BAR. E_NOENT without MSI-X, E_RANGE otherwise.
 */
int pci_msix_table_address(const struct pci_device *dev, uint64_t *phys);

/*
 * Program and unmask MSI-X entry 0 in `table` (the caller's mapping of the
 * table) and enable MSI-X, with MSI and INTx off; the function mask is held
 * while the entry is written. Other entries stay as they are (masked after
 * reset). E_NOENT without MSI-X, E_INVAL for a vector below 16.
 */
int pci_msix_enable_entry0(const struct pci_access *pa, const struct pci_device *dev,
			   volatile uint32_t *table, uint8_t lapic_id, uint8_t vector);

/*
 * Sharing the mask bits with the kernel (SYS_IRQ_SET_MASK): once told where
 * a vector's mask bit is, the kernel masks it whenever the vector fires and
 * unmasks it at SYS_IRQ_ACK, so the functions below never touch mask bits.
 */
#define PCI_MASK_IN_CONFIG 0xFF

struct pci_mask_place {
	uint8_t bar;	 /* the BAR register holding it, or PCI_MASK_IN_CONFIG */
	uint8_t bit;	 /* in the dword at offset */
	uint32_t offset; /* into that BAR, or into configuration space */
};

/* MSI-X entry `index`: bit 0 of its vector control. E_NOENT without MSI-X, E_RANGE past the table.
 */
int pci_msix_mask_place(const struct pci_device *dev, uint16_t index, struct pci_mask_place *out);
/* MSI vector `index`: its bit in the mask register. E_NOENT without per-vector masking. */
int pci_msi_mask_place(const struct pci_device *dev, uint8_t index, struct pci_mask_place *out);

/*
 * Write MSI-X entry `index` of `table` (the caller's mapping of the table)
 * with an address and data (SYS_IRQ_INFO's), leaving its vector control
 * alone. E_NOENT without MSI-X, E_RANGE past the table.
 */
int pci_msix_set_entry(const struct pci_device *dev, volatile uint32_t *table, uint16_t index,
		       uint64_t address, uint32_t data);
/* MSI-X on with the function mask clear, MSI and INTx off; entries as they are. */
int pci_msix_enable(const struct pci_access *pa, const struct pci_device *dev);
/*
 * MSI on for `count` vectors (a power of two the function supports), the
 * first with this address and data; data must be a vector of 16 or more
 * aligned to count (the device ORs the vector number into its low bits).
 * INTx off; mask bits untouched. E_NOENT without MSI, E_INVAL for a bad
 * count or data, E_RANGE for an address above 4 GiB on a 32-bit MSI.
 */
int pci_msi_enable_block(const struct pci_access *pa, const struct pci_device *dev,
			 uint64_t address, uint32_t data, unsigned count);

/* Names for lspci: never NULL. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass, uint8_t prog_if);
const char *pci_vendor_name(uint16_t vendor); /* "" when unknown */
const char *pci_cap_name(uint8_t id);	      /* "Unknown" when unknown */
