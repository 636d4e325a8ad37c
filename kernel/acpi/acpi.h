/* SPDX-License-Identifier: MIT */
/*
 * ACPI static table parser. acpi_parse() validates the RSDP the boot loader
 * handed over, walks the XSDT (or RSDT), checks every table header and
 * checksum, and copies what the kernel needs from the MADT (CPUs, I/O APICs,
 * interrupt overrides), FADT (PM timer, reset register, boot flags), MCFG
 * (PCIe ECAM windows) and HPET into a fixed-size struct acpi_info.
 *
 * Physical memory is reached only through an acpi_map_fn callback, so the
 * host tests can hand in a fake memory. Every table is hostile input: a bad
 * length or checksum sets a named warning bit and the table is skipped
 * (its signature is listed in bad_tables), never trusted.
 *
 * Pure portable C: no asm, no printing, no global state.
 */
#pragma once

#include "kernel/types.h"

/*
 * Return a pointer through which [phys, phys + len) can be read, or NULL if
 * it cannot. The parser uses a returned pointer only until its next call.
 */
typedef const void *(*acpi_map_fn)(void *ctx, uint64_t phys, size_t len);

#define ACPI_MAX_CPUS	    64
#define ACPI_MAX_IOAPICS    8
#define ACPI_MAX_ISOS	    24
#define ACPI_MAX_NMIS	    8
#define ACPI_MAX_ECAM	    8
#define ACPI_MAX_BAD_TABLES 8
#define ACPI_MAX_TABLE_LEN  (1u << 20) /* longer tables are treated as corrupt */

/* Errors returned by acpi_parse and acpi_irq_to_gsi (0 means success). */
#define ACPI_EINVAL    (-1) /* NULL argument, rsdp_len < 20, or ISA IRQ > 15 */
#define ACPI_EBADRSDP  (-2) /* RSDP signature is not "RSD PTR " */
#define ACPI_ECHECKSUM (-3) /* RSDP checksum over the first 20 bytes fails */
#define ACPI_ENOROOT   (-4) /* neither XSDT nor RSDT is mappable and valid */

#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* dual 8259 PICs present: mask them */

#define ACPI_FADT_TMR_VAL_EXT	(1u << 8)  /* PM timer is 32 bits, not 24 */
#define ACPI_FADT_RESET_REG_SUP (1u << 10) /* RESET_REG is valid */

#define ACPI_BOOT_LEGACY_DEVICES  (1u << 0)
#define ACPI_BOOT_8042		  (1u << 1)
#define ACPI_BOOT_VGA_ABSENT	  (1u << 2)
#define ACPI_BOOT_MSI_ABSENT	  (1u << 3)
#define ACPI_BOOT_CMOS_RTC_ABSENT (1u << 5)

#define ACPI_UID_ALL 0xFFFFFFFFu /* local APIC NMI entry that applies to every CPU */

#define ACPI_GAS_MEMORY 0 /* generic address space ids */
#define ACPI_GAS_IO	1

/* MPS INTI flags, as decoded from MADT interrupt override and NMI entries. */
enum acpi_polarity {
	ACPI_POLARITY_CONFORMS = 0, /* bus default: active high for ISA */
	ACPI_POLARITY_HIGH = 1,
	ACPI_POLARITY_RESERVED = 2,
	ACPI_POLARITY_LOW = 3,
};

enum acpi_trigger {
	ACPI_TRIGGER_CONFORMS = 0, /* bus default: edge for ISA */
	ACPI_TRIGGER_EDGE = 1,
	ACPI_TRIGGER_RESERVED = 2,
	ACPI_TRIGGER_LEVEL = 3,
};

/* Warning bits in acpi_info.warnings; each entry: name, bit number, short text. */
#define ACPI_WARNING_LIST(X)                                                                       \
	X(ACPI_WARN_BAD_CHECKSUM, 0, "table checksum bad, table skipped")                          \
	X(ACPI_WARN_BAD_TABLE, 1, "table header bad (length or signature), table skipped")         \
	X(ACPI_WARN_TABLE_UNMAPPABLE, 2, "root entry points at unreadable memory or 0")            \
	X(ACPI_WARN_NO_MADT, 3, "no usable MADT")                                                  \
	X(ACPI_WARN_NO_FADT, 4, "no usable FADT")                                                  \
	X(ACPI_WARN_MADT_TRUNCATED, 5, "bad MADT entry stopped MADT parsing")                      \
	X(ACPI_WARN_TOO_MANY_CPUS, 6, "more CPUs than fit, extra ignored")                         \
	X(ACPI_WARN_TOO_MANY_IOAPICS, 7, "more I/O APICs than fit, extra ignored")                 \
	X(ACPI_WARN_TOO_MANY_ISOS, 8, "more interrupt overrides than fit, extra ignored")          \
	X(ACPI_WARN_TOO_MANY_NMIS, 9, "more local APIC NMI entries than fit, extra ignored")       \
	X(ACPI_WARN_TOO_MANY_ECAM, 10, "more MCFG segments than fit, extra ignored")               \
	X(ACPI_WARN_TOO_MANY_BAD_TABLES, 11, "more bad tables than the list holds")                \
	X(ACPI_WARN_BAD_PM_TIMER, 12, "PM timer block given but PM_TMR_LEN != 4 or port bad")      \
	X(ACPI_WARN_XSDT_FALLBACK, 13, "XSDT unusable, fell back to the RSDT")                     \
	X(ACPI_WARN_ROOT_LENGTH, 14, "root table length not a whole number of entries")            \
	X(ACPI_WARN_DUPLICATE_TABLE, 15, "second copy of a table ignored")                         \
	X(ACPI_WARN_BAD_MCFG, 16, "MCFG length or entry malformed, entry skipped")                 \
	X(ACPI_WARN_SHORT_FADT, 17, "FADT shorter than ACPI 1.0's 116 bytes")                      \
	X(ACPI_WARN_BAD_RSDP_EXT, 18, "RSDP 2.0 part bad (length/checksum), used the RSDT")        \
	X(ACPI_WARN_BAD_HPET, 19, "HPET table too short or not in memory space")

enum acpi_warning {
#define ACPI_WARNING_ENUM(name, bit, text) name = 1u << (bit),
	ACPI_WARNING_LIST(ACPI_WARNING_ENUM)
#undef ACPI_WARNING_ENUM
};

/* ACPI generic address structure. */
struct acpi_gas {
	uint8_t space_id; /* ACPI_GAS_MEMORY, ACPI_GAS_IO, ... */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
};

struct acpi_cpu {
	uint32_t apic_id; /* x2APIC ids may exceed 255 */
	uint32_t uid;	  /* ACPI processor UID */
	bool enabled;	  /* usable now; otherwise only online-capable (hot-add) */
	bool x2apic;	  /* came from a type 9 entry */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t addr; /* physical MMIO base */
	uint32_t gsi_base;
};

struct acpi_iso {
	uint8_t bus;	    /* 0 = ISA */
	uint8_t source_irq; /* bus-relative IRQ */
	uint32_t gsi;
	uint16_t flags; /* raw MPS INTI flags */
	enum acpi_polarity polarity;
	enum acpi_trigger trigger;
};

struct acpi_lapic_nmi {
	uint32_t uid; /* processor UID, or ACPI_UID_ALL */
	uint8_t lint; /* LINT0 or LINT1 */
	enum acpi_polarity polarity;
	enum acpi_trigger trigger;
};

struct acpi_madt_info {
	uint64_t lapic_addr; /* type 5 override wins over the 32-bit field */
	bool lapic_addr_overridden;
	uint32_t flags; /* ACPI_MADT_PCAT_COMPAT */
	size_t cpu_count;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	size_t ioapic_count;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	size_t iso_count;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	size_t nmi_count;
	struct acpi_lapic_nmi nmis[ACPI_MAX_NMIS];
};

/*
 * Only fields inside the FADT's length are read; the rest stay 0/false.
 * IAPC_BOOT_ARCH exists from FADT revision 2; before that has_boot_arch is
 * false and has_8042 is true (a legacy PC is assumed).
 */
struct acpi_fadt_info {
	uint8_t revision;
	uint32_t length;
	uint64_t dsdt_addr; /* X_DSDT if present and nonzero, else DSDT */
	uint16_t sci_irq;
	uint32_t flags; /* ACPI_FADT_* bits */
	bool pm_timer_present;
	uint16_t pm_timer_port; /* I/O port of the 4-byte PM timer register */
	bool pm_timer_32bit;	/* TMR_VAL_EXT: 32-bit counter, else 24-bit */
	uint8_t century;	/* CMOS index of the century, 0 = none */
	bool has_reset_reg;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	bool has_boot_arch;
	uint16_t iapc_boot_arch; /* ACPI_BOOT_* bits */
	bool has_8042;
	bool vga_absent;
};

struct acpi_ecam {
	uint64_t base; /* ECAM base for bus 0 of this segment */
	uint16_t segment;
	uint8_t bus_start;
	uint8_t bus_end; /* inclusive */
};

struct acpi_bad_table {
	char signature[5]; /* NUL-terminated copy; non-printable bytes become '?' */
	uint32_t reason;   /* the ACPI_WARN_* bit it raised */
};

struct acpi_info {
	uint8_t rsdp_revision;
	char oem_id[7];
	bool used_xsdt;
	uint64_t root_addr; /* physical address of the XSDT or RSDT walked */
	uint32_t warnings;  /* ACPI_WARN_* bits */

	bool has_madt;
	struct acpi_madt_info madt;
	bool has_fadt;
	struct acpi_fadt_info fadt;
	bool has_mcfg;
	size_t ecam_count;
	struct acpi_ecam ecam[ACPI_MAX_ECAM];
	bool has_hpet;
	uint64_t hpet_base;
	uint8_t hpet_number;
	uint16_t hpet_min_tick;

	size_t bad_table_count;
	struct acpi_bad_table bad_tables[ACPI_MAX_BAD_TABLES];
};

/*
 * Parse ACPI starting from the rsdp_len bytes of RSDP at rsdp_bytes (20 for
 * ACPI 1.0, 36 for 2.0+). Returns 0 (check out->warnings) or an ACPI_E*.
 */
int acpi_parse(const void *rsdp_bytes, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       struct acpi_info *out);

/*
 * Where ISA IRQ isa_irq (0-15) arrives at the I/O APICs, after the MADT
 * overrides: GSI, polarity and trigger. Without an override: gsi = irq,
 * edge, active high.
 */
int acpi_irq_to_gsi(const struct acpi_info *ai, uint8_t isa_irq, uint32_t *gsi, int *active_low,
		    int *level);

/* Name of one ACPI_WARN_* bit, or "unknown warning". */
const char *acpi_warning_name(uint32_t bit);
