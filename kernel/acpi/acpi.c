/* SPDX-License-Identifier: MIT */
/*
 * ACPI static table parser (see acpi.h). Three layers:
 *   1. the RSDP is checked (signature, 20-byte checksum, and for revision 2+
 *      the extended length and checksum) to find the XSDT or RSDT;
 *   2. the root table is walked; each entry's table is mapped header first,
 *      its length bounded, then mapped whole and checksummed;
 *   3. tables we use (APIC, FACP, MCFG, HPET) are decoded into acpi_info.
 * A table that fails step 2 is skipped, its signature listed in bad_tables
 * with the reason. Inside the MADT each entry length is checked; a bad one
 * ends the MADT walk and keeps what came before.
 *
 * Fields are read by byte copy, so tables may sit at any alignment.
 */
#include "acpi.h"

#define ACPI_HDR_LEN	   36
#define ACPI_RSDP_V1_LEN   20
#define ACPI_RSDP_V2_LEN   36
#define ACPI_GAS_LEN	   12
#define MADT_ENTRIES	   44 /* header + local APIC address + flags */
#define MCFG_ENTRIES	   44 /* header + 8 reserved bytes */
#define MCFG_ENTRY_LEN	   16
#define HPET_LEN	   56
#define FADT_V1_LEN	   116
#define MADT_LAPIC_ENABLED (1u << 0)
#define MADT_LAPIC_ONLINE  (1u << 1) /* online capable: may be enabled later */

/* FADT field offsets (ACPI 6.5 table 5.9). */
#define FADT_DSDT	    40
#define FADT_SCI_INT	    46
#define FADT_PM_TMR_BLK	    76
#define FADT_PM_TMR_LEN	    91
#define FADT_CENTURY	    108
#define FADT_IAPC_BOOT_ARCH 109
#define FADT_FLAGS	    112
#define FADT_RESET_REG	    116
#define FADT_RESET_VALUE    128
#define FADT_X_DSDT	    140
#define FADT_X_PM_TMR_BLK   208

enum madt_entry_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_ISO = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_OVERRIDE = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

/* What the walk carries around: the mapper and where results go. */
struct acpi_walk {
	acpi_map_fn map;
	void *ctx;
	struct acpi_info *out;
};

/* A table mapped whole, with length and checksum verified. */
struct acpi_table {
	const uint8_t *p;
	uint32_t len;
	uint8_t sig[4];
};

static uint16_t acpi_rd16(const uint8_t *p)
{
	uint16_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t acpi_rd32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t acpi_rd64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static struct acpi_gas acpi_rd_gas(const uint8_t *p)
{
	return (struct acpi_gas){p[0], p[1], p[2], p[3], acpi_rd64(p + 4)};
}

static uint8_t acpi_sum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

static bool acpi_sig_is(const uint8_t *sig, const char *want)
{
	return sig[0] == want[0] && sig[1] == want[1] && sig[2] == want[2] && sig[3] == want[3];
}

static bool acpi_printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

const char *acpi_warning_name(uint32_t bit)
{
	switch (bit) {
#define ACPI_WARNING_CASE(name, num, text)                                                         \
	case name:                                                                                 \
		return text;
		ACPI_WARNING_LIST(ACPI_WARNING_CASE)
#undef ACPI_WARNING_CASE
	default:
		return "unknown warning";
	}
}

/* Warn, and list the table (by signature) among the ones skipped. */
static void acpi_record_bad(struct acpi_info *out, const uint8_t *sig, uint32_t reason)
{
	out->warnings |= reason;
	if (out->bad_table_count == ACPI_MAX_BAD_TABLES) {
		out->warnings |= ACPI_WARN_TOO_MANY_BAD_TABLES;
		return;
	}
	struct acpi_bad_table *bad = &out->bad_tables[out->bad_table_count++];
	for (int i = 0; i < 4; i++)
		bad->signature[i] = acpi_printable(sig[i]) ? (char)sig[i] : '?';
	bad->signature[4] = '\0';
	bad->reason = reason;
}

static const uint8_t *acpi_map(const struct acpi_walk *w, uint64_t phys, size_t len)
{
	if (phys == 0 || len > UINT64_MAX - phys)
		return NULL;
	return w->map(w->ctx, phys, len);
}

/* Map and verify the table at phys. Returns 0 or the ACPI_WARN_* bit saying why not. */
static uint32_t acpi_load_table(const struct acpi_walk *w, uint64_t phys, struct acpi_table *t)
{
	const uint8_t *h = acpi_map(w, phys, ACPI_HDR_LEN);

	__builtin_memcpy(t->sig, "????", 4);
	if (h == NULL)
		return ACPI_WARN_TABLE_UNMAPPABLE;
	__builtin_memcpy(t->sig, h, 4);
	uint32_t len = acpi_rd32(h + 4);
	if (len < ACPI_HDR_LEN || len > ACPI_MAX_TABLE_LEN)
		return ACPI_WARN_BAD_TABLE;
	for (int i = 0; i < 4; i++) {
		if (!acpi_printable(t->sig[i]))
			return ACPI_WARN_BAD_TABLE;
	}
	t->p = acpi_map(w, phys, len);
	if (t->p == NULL)
		return ACPI_WARN_TABLE_UNMAPPABLE;
	if (acpi_rd32(t->p + 4) != len) /* the memory changed between the two maps */
		return ACPI_WARN_BAD_TABLE;
	t->len = len;
	return acpi_sum(t->p, len) == 0 ? 0 : ACPI_WARN_BAD_CHECKSUM;
}

/* ---- MADT ---- */

static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:
	case MADT_NMI_SOURCE:
		return 8;
	case MADT_IOAPIC:
	case MADT_LAPIC_OVERRIDE:
	case MADT_X2APIC_NMI:
		return 12;
	case MADT_ISO:
		return 10;
	case MADT_LAPIC_NMI:
		return 6;
	case MADT_X2APIC:
		return 16;
	default:
		return 2;
	}
}

static void madt_add_cpu(struct acpi_info *out, uint32_t apic_id, uint32_t uid, uint32_t flags,
			 bool x2apic)
{
	struct acpi_madt_info *m = &out->madt;

	if (!(flags & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE)))
		return;
	for (size_t i = 0; i < m->cpu_count; i++) {
		if (m->cpus[i].apic_id == apic_id)
			return; /* listed both as xAPIC and x2APIC */
	}
	if (m->cpu_count == ACPI_MAX_CPUS) {
		out->warnings |= ACPI_WARN_TOO_MANY_CPUS;
		return;
	}
	m->cpus[m->cpu_count++] = (struct acpi_cpu){
		.apic_id = apic_id,
		.uid = uid,
		.enabled = (flags & MADT_LAPIC_ENABLED) != 0,
		.x2apic = x2apic,
	};
}

static void madt_add_ioapic(struct acpi_info *out, const uint8_t *e)
{
	struct acpi_madt_info *m = &out->madt;

	if (m->ioapic_count == ACPI_MAX_IOAPICS) {
		out->warnings |= ACPI_WARN_TOO_MANY_IOAPICS;
		return;
	}
	m->ioapics[m->ioapic_count++] = (struct acpi_ioapic){
		.id = e[2],
		.addr = acpi_rd32(e + 4),
		.gsi_base = acpi_rd32(e + 8),
	};
}

static void madt_add_iso(struct acpi_info *out, const uint8_t *e)
{
	struct acpi_madt_info *m = &out->madt;
	uint16_t flags = acpi_rd16(e + 8);

	if (m->iso_count == ACPI_MAX_ISOS) {
		out->warnings |= ACPI_WARN_TOO_MANY_ISOS;
		return;
	}
	m->isos[m->iso_count++] = (struct acpi_iso){
		.bus = e[2],
		.source_irq = e[3],
		.gsi = acpi_rd32(e + 4),
		.flags = flags,
		.polarity = (enum acpi_polarity)(flags & 3),
		.trigger = (enum acpi_trigger)((flags >> 2) & 3),
	};
}

static void madt_add_nmi(struct acpi_info *out, uint32_t uid, uint16_t flags, uint8_t lint)
{
	struct acpi_madt_info *m = &out->madt;

	if (m->nmi_count == ACPI_MAX_NMIS) {
		out->warnings |= ACPI_WARN_TOO_MANY_NMIS;
		return;
	}
	m->nmis[m->nmi_count++] = (struct acpi_lapic_nmi){
		.uid = uid,
		.lint = lint,
		.polarity = (enum acpi_polarity)(flags & 3),
		.trigger = (enum acpi_trigger)((flags >> 2) & 3),
	};
}

/* One entry whose length was checked against madt_min_len and the table end. */
static void madt_entry(struct acpi_info *out, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		madt_add_cpu(out, e[3], e[2], acpi_rd32(e + 4), false);
		break;
	case MADT_IOAPIC:
		madt_add_ioapic(out, e);
		break;
	case MADT_ISO:
		madt_add_iso(out, e);
		break;
	case MADT_LAPIC_NMI:
		madt_add_nmi(out, e[2] == 0xFF ? ACPI_UID_ALL : e[2], acpi_rd16(e + 3), e[5]);
		break;
	case MADT_LAPIC_OVERRIDE:
		if (!out->madt.lapic_addr_overridden)
			out->madt.lapic_addr = acpi_rd64(e + 4);
		out->madt.lapic_addr_overridden = true;
		break;
	case MADT_X2APIC:
		madt_add_cpu(out, acpi_rd32(e + 4), acpi_rd32(e + 12), acpi_rd32(e + 8), true);
		break;
	case MADT_X2APIC_NMI:
		madt_add_nmi(out, acpi_rd32(e + 4), acpi_rd16(e + 2), e[8]);
		break;
	default:
		break; /* NMI sources and newer entry types: not needed */
	}
}

static void acpi_parse_madt(const struct acpi_table *t, struct acpi_info *out)
{
	if (t->len < MADT_ENTRIES) {
		acpi_record_bad(out, t->sig, ACPI_WARN_BAD_TABLE);
		return;
	}
	out->has_madt = true;
	out->madt.lapic_addr = acpi_rd32(t->p + 36);
	out->madt.flags = acpi_rd32(t->p + 40);
	for (uint32_t off = MADT_ENTRIES; off < t->len;) {
		const uint8_t *e = t->p + off;
		uint32_t left = t->len - off;
		if (left < 2 || e[1] < madt_min_len(e[0]) || e[1] > left) {
			out->warnings |= ACPI_WARN_MADT_TRUNCATED;
			return;
		}
		madt_entry(out, e);
		off += e[1];
	}
}

/* ---- FADT ---- */

static bool fadt_has(const struct acpi_table *t, uint32_t off, uint32_t size)
{
	return off + size <= t->len;
}

/* PM timer port: X_PM_TMR_BLK if it is a nonzero I/O address, else PM_TMR_BLK. */
static void fadt_pm_timer(const struct acpi_table *t, struct acpi_info *out)
{
	struct acpi_fadt_info *f = &out->fadt;
	uint64_t port = fadt_has(t, FADT_PM_TMR_BLK, 4) ? acpi_rd32(t->p + FADT_PM_TMR_BLK) : 0;

	if (fadt_has(t, FADT_X_PM_TMR_BLK, ACPI_GAS_LEN)) {
		struct acpi_gas x = acpi_rd_gas(t->p + FADT_X_PM_TMR_BLK);
		if (x.space_id == ACPI_GAS_IO && x.address != 0)
			port = x.address;
	}
	if (port == 0)
		return; /* no PM timer, e.g. hardware-reduced ACPI */
	uint8_t len = fadt_has(t, FADT_PM_TMR_LEN, 1) ? t->p[FADT_PM_TMR_LEN] : 0;
	if (len != 4 || port > 0xFFFC) {
		out->warnings |= ACPI_WARN_BAD_PM_TIMER;
		return;
	}
	f->pm_timer_present = true;
	f->pm_timer_port = (uint16_t)port;
	f->pm_timer_32bit = (f->flags & ACPI_FADT_TMR_VAL_EXT) != 0;
}

static void fadt_reset_reg(const struct acpi_table *t, struct acpi_fadt_info *f)
{
	if (!(f->flags & ACPI_FADT_RESET_REG_SUP) || !fadt_has(t, FADT_RESET_VALUE, 1))
		return;
	f->reset_reg = acpi_rd_gas(t->p + FADT_RESET_REG);
	f->reset_value = t->p[FADT_RESET_VALUE];
	f->has_reset_reg = f->reset_reg.address != 0;
}

static void fadt_boot_arch(const struct acpi_table *t, struct acpi_fadt_info *f)
{
	f->has_8042 = true; /* what a legacy PC has, unless the firmware says otherwise */
	if (f->revision < 2 || !fadt_has(t, FADT_IAPC_BOOT_ARCH, 2))
		return;
	f->has_boot_arch = true;
	f->iapc_boot_arch = acpi_rd16(t->p + FADT_IAPC_BOOT_ARCH);
	f->has_8042 = (f->iapc_boot_arch & ACPI_BOOT_8042) != 0;
	f->vga_absent = (f->iapc_boot_arch & ACPI_BOOT_VGA_ABSENT) != 0;
}

static void acpi_parse_fadt(const struct acpi_table *t, struct acpi_info *out)
{
	struct acpi_fadt_info *f = &out->fadt;
	const uint8_t *p = t->p;

	out->has_fadt = true;
	if (t->len < FADT_V1_LEN)
		out->warnings |= ACPI_WARN_SHORT_FADT;
	f->revision = p[8];
	f->length = t->len;
	if (fadt_has(t, FADT_DSDT, 4))
		f->dsdt_addr = acpi_rd32(p + FADT_DSDT);
	if (fadt_has(t, FADT_X_DSDT, 8) && acpi_rd64(p + FADT_X_DSDT) != 0)
		f->dsdt_addr = acpi_rd64(p + FADT_X_DSDT);
	if (fadt_has(t, FADT_SCI_INT, 2))
		f->sci_irq = acpi_rd16(p + FADT_SCI_INT);
	if (fadt_has(t, FADT_FLAGS, 4))
		f->flags = acpi_rd32(p + FADT_FLAGS);
	if (fadt_has(t, FADT_CENTURY, 1))
		f->century = p[FADT_CENTURY];
	fadt_pm_timer(t, out);
	fadt_reset_reg(t, f);
	fadt_boot_arch(t, f);
}

/* ---- MCFG and HPET ---- */

static void mcfg_add(struct acpi_info *out, const uint8_t *e)
{
	struct acpi_ecam ecam = {
		.base = acpi_rd64(e),
		.segment = acpi_rd16(e + 8),
		.bus_start = e[10],
		.bus_end = e[11],
	};

	if (ecam.base == 0 || ecam.bus_end < ecam.bus_start) {
		out->warnings |= ACPI_WARN_BAD_MCFG;
		return;
	}
	if (out->ecam_count == ACPI_MAX_ECAM) {
		out->warnings |= ACPI_WARN_TOO_MANY_ECAM;
		return;
	}
	out->ecam[out->ecam_count++] = ecam;
}

static void acpi_parse_mcfg(const struct acpi_table *t, struct acpi_info *out)
{
	if (t->len < MCFG_ENTRIES) {
		acpi_record_bad(out, t->sig, ACPI_WARN_BAD_MCFG);
		return;
	}
	uint32_t bytes = t->len - MCFG_ENTRIES;
	if (bytes % MCFG_ENTRY_LEN != 0)
		out->warnings |= ACPI_WARN_BAD_MCFG; /* a partial last entry is dropped */
	out->has_mcfg = true;
	for (uint32_t off = 0; bytes - off >= MCFG_ENTRY_LEN; off += MCFG_ENTRY_LEN)
		mcfg_add(out, t->p + MCFG_ENTRIES + off);
}

static void acpi_parse_hpet(const struct acpi_table *t, struct acpi_info *out)
{
	if (t->len < HPET_LEN) {
		acpi_record_bad(out, t->sig, ACPI_WARN_BAD_HPET);
		return;
	}
	struct acpi_gas base = acpi_rd_gas(t->p + 40);
	if (base.space_id != ACPI_GAS_MEMORY || base.address == 0) {
		out->warnings |= ACPI_WARN_BAD_HPET;
		return;
	}
	out->has_hpet = true;
	out->hpet_base = base.address;
	out->hpet_number = t->p[52];
	out->hpet_min_tick = acpi_rd16(t->p + 53);
}

/* ---- walking the root ---- */

/* Decode a verified table we know; the first usable copy of each wins. */
static void acpi_dispatch(const struct acpi_table *t, struct acpi_info *out)
{
	void (*parse)(const struct acpi_table *t, struct acpi_info *out);
	const bool *seen;

	if (acpi_sig_is(t->sig, "APIC")) {
		parse = acpi_parse_madt;
		seen = &out->has_madt;
	} else if (acpi_sig_is(t->sig, "FACP")) {
		parse = acpi_parse_fadt;
		seen = &out->has_fadt;
	} else if (acpi_sig_is(t->sig, "MCFG")) {
		parse = acpi_parse_mcfg;
		seen = &out->has_mcfg;
	} else if (acpi_sig_is(t->sig, "HPET")) {
		parse = acpi_parse_hpet;
		seen = &out->has_hpet;
	} else {
		return; /* DSDT, SSDT and the rest: not ours to decode */
	}
	if (*seen)
		out->warnings |= ACPI_WARN_DUPLICATE_TABLE;
	else
		parse(t, out);
}

static void acpi_handle_table(const struct acpi_walk *w, uint64_t phys)
{
	struct acpi_table t;
	uint32_t why = acpi_load_table(w, phys, &t);

	if (why != 0)
		acpi_record_bad(w->out, t.sig, why);
	else
		acpi_dispatch(&t, w->out);
}

/* Walk an XSDT (entry_size 8) or RSDT (4). Fails only before any entry is used. */
static int acpi_walk_root(const struct acpi_walk *w, uint64_t root, uint32_t entry_size)
{
	struct acpi_table t;
	uint32_t why = acpi_load_table(w, root, &t);

	if (why == 0 && !acpi_sig_is(t.sig, entry_size == 8 ? "XSDT" : "RSDT"))
		why = ACPI_WARN_BAD_TABLE;
	if (why != 0) {
		acpi_record_bad(w->out, t.sig, why);
		return ACPI_ENOROOT;
	}
	w->out->root_addr = root;
	w->out->used_xsdt = entry_size == 8;
	uint32_t bytes = t.len - ACPI_HDR_LEN;
	if (bytes % entry_size != 0)
		w->out->warnings |= ACPI_WARN_ROOT_LENGTH;
	for (uint32_t off = 0; bytes - off >= entry_size; off += entry_size) {
		/* Map the entry afresh: loading a table may have reused the mapping. */
		const uint8_t *e = acpi_map(w, root + ACPI_HDR_LEN + off, entry_size);
		if (e == NULL) {
			w->out->warnings |= ACPI_WARN_TABLE_UNMAPPABLE;
			return 0;
		}
		acpi_handle_table(w, entry_size == 8 ? acpi_rd64(e) : acpi_rd32(e));
	}
	return 0;
}

/* The XSDT address if the RSDP's 2.0 part is present and sound, else 0. */
static uint64_t acpi_rsdp_xsdt(const uint8_t *r, size_t len, struct acpi_info *out)
{
	if (r[15] < 2)
		return 0;
	uint32_t ext_len = len >= ACPI_RSDP_V2_LEN ? acpi_rd32(r + 20) : 0;
	if (ext_len < ACPI_RSDP_V2_LEN || ext_len > len || acpi_sum(r, ext_len) != 0) {
		out->warnings |= ACPI_WARN_BAD_RSDP_EXT;
		return 0;
	}
	return acpi_rd64(r + 24);
}

static int acpi_check_rsdp(const uint8_t *r, struct acpi_info *out)
{
	if (!acpi_sig_is(r, "RSD ") || !acpi_sig_is(r + 4, "PTR "))
		return ACPI_EBADRSDP;
	if (acpi_sum(r, ACPI_RSDP_V1_LEN) != 0)
		return ACPI_ECHECKSUM;
	out->rsdp_revision = r[15];
	for (int i = 0; i < 6; i++)
		out->oem_id[i] = acpi_printable(r[9 + i]) ? (char)r[9 + i] : '?';
	out->oem_id[6] = '\0';
	return 0;
}

int acpi_parse(const void *rsdp_bytes, size_t rsdp_len, acpi_map_fn map, void *ctx,
	       struct acpi_info *out)
{
	if (out == NULL)
		return ACPI_EINVAL;
	*out = (struct acpi_info){0};
	if (rsdp_bytes == NULL || map == NULL || rsdp_len < ACPI_RSDP_V1_LEN)
		return ACPI_EINVAL;
	const uint8_t *r = rsdp_bytes;
	int rc = acpi_check_rsdp(r, out);
	if (rc != 0)
		return rc;
	struct acpi_walk w = {map, ctx, out};
	uint64_t xsdt = acpi_rsdp_xsdt(r, rsdp_len, out);
	rc = ACPI_ENOROOT;
	if (xsdt != 0) {
		rc = acpi_walk_root(&w, xsdt, 8);
		if (rc != 0)
			out->warnings |= ACPI_WARN_XSDT_FALLBACK;
	}
	if (rc != 0)
		rc = acpi_walk_root(&w, acpi_rd32(r + 16), 4);
	if (rc != 0)
		return rc;
	if (!out->has_madt)
		out->warnings |= ACPI_WARN_NO_MADT;
	if (!out->has_fadt)
		out->warnings |= ACPI_WARN_NO_FADT;
	return 0;
}

static const struct acpi_iso *acpi_find_iso(const struct acpi_info *ai, uint8_t isa_irq)
{
	size_t n = MIN(ai->madt.iso_count, (size_t)ACPI_MAX_ISOS);

	for (size_t i = 0; i < n; i++) {
		if (ai->madt.isos[i].bus == 0 && ai->madt.isos[i].source_irq == isa_irq)
			return &ai->madt.isos[i];
	}
	return NULL;
}

int acpi_irq_to_gsi(const struct acpi_info *ai, uint8_t isa_irq, uint32_t *gsi, int *active_low,
		    int *level)
{
	if (ai == NULL || gsi == NULL || active_low == NULL || level == NULL || isa_irq > 15)
		return ACPI_EINVAL;
	const struct acpi_iso *iso = acpi_find_iso(ai, isa_irq);
	*gsi = iso ? iso->gsi : isa_irq;
	/* ISA's bus defaults: active high, edge triggered. */
	*active_low = iso && iso->polarity == ACPI_POLARITY_LOW;
	*level = iso && iso->trigger == ACPI_TRIGGER_LEVEL;
	return 0;
}
