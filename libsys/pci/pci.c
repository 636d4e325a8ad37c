/* SPDX-License-Identifier: MIT */
/*
 * PCI enumeration (pci/pci.h): byte and word access over the caller's dword
 * accessor, the header of one function (ids, class, interrupt, bridge
 * buses), BAR decoding and sizing, and the bus scan. Capabilities are in
 * pci_cap.c. The only offsets ever passed to the accessor are aligned
 * dwords below 256.
 */
#include "pci/pci.h"

#include <string.h>

#include "pci_impl.h"
#include "sys/errors.h"

#define PCI_DEVS 32
#define PCI_FNS	 8

/* ---- access ---- */

uint32_t pci_read32(const struct pci_access *pa, struct pci_addr a, uint16_t off)
{
	return pa->read32(pa->ctx, a.bus, a.dev, a.fn, (uint16_t)(off & 0xFC));
}

void pci_write32(const struct pci_access *pa, struct pci_addr a, uint16_t off, uint32_t v)
{
	pa->write32(pa->ctx, a.bus, a.dev, a.fn, (uint16_t)(off & 0xFC), v);
}

uint16_t pci_read16(const struct pci_access *pa, struct pci_addr a, uint16_t off)
{
	return (uint16_t)(pci_read32(pa, a, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_access *pa, struct pci_addr a, uint16_t off)
{
	return (uint8_t)(pci_read32(pa, a, off) >> ((off & 3) * 8));
}

/* The status half is written as zeros: its bits are write-one-to-clear. */
void pci_command_update(const struct pci_access *pa, struct pci_addr a, uint16_t set,
			uint16_t clear)
{
	uint16_t cmd = pci_read16(pa, a, PCI_COMMAND);

	pci_write32(pa, a, PCI_COMMAND, (uint16_t)((cmd & ~clear) | set));
}

/* ---- BARs ---- */

/* Write all-ones, read back, restore: the bits the BAR decodes. */
static uint32_t bar_probe(const struct pci_access *pa, struct pci_addr a, uint16_t off,
			  uint32_t orig)
{
	pci_write32(pa, a, off, 0xFFFFFFFFu);
	uint32_t mask = pci_read32(pa, a, off);
	pci_write32(pa, a, off, orig);
	return mask;
}

/*
 * The size is the lowest address bit the BAR decodes. That is ~mask + 1 for
 * a well-formed mask, and still a power of two for a hostile one; it also
 * ignores the upper half of a 16-bit I/O decoder, which reads back as 0.
 */
static uint64_t size_from_mask(uint64_t mask)
{
	return mask & (~mask + 1);
}

static void bar_io(const struct pci_access *pa, struct pci_addr a, uint16_t off, uint32_t orig,
		   bool size, struct pci_bar *bar)
{
	bar->type = PCI_BAR_IO;
	bar->base = orig & ~3u;
	if (!size)
		return;
	bar->size = size_from_mask(bar_probe(pa, a, off, orig) & ~3u);
	if (!bar->size)
		bar->type = PCI_BAR_NONE;
}

/* Returns the number of BAR registers used (1, or 2 for 64-bit). */
static int bar_mem(const struct pci_access *pa, struct pci_addr a, int i, int count, uint32_t orig,
		   bool size, struct pci_bar *bar)
{
	uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
	uint32_t kind = (orig >> 1) & 3;
	bool is64 = kind == 2;

	if (kind == 3 || (is64 && i + 1 >= count))
		return 1; /* reserved type, or a 64-bit BAR in the last slot */
	bar->type = is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
	bar->prefetchable = (orig & 8) != 0;
	uint32_t orig_hi = is64 ? pci_read32(pa, a, (uint16_t)(off + 4)) : 0;
	bar->base = ((uint64_t)orig_hi << 32) | (orig & ~0xFu);
	if (size) {
		uint64_t mask = bar_probe(pa, a, off, orig) & ~0xFu;
		if (is64)
			mask |= (uint64_t)bar_probe(pa, a, (uint16_t)(off + 4), orig_hi) << 32;
		bar->size = size_from_mask(mask);
		if (!bar->size)
			bar->type = PCI_BAR_NONE;
	}
	return is64 ? 2 : 1;
}

static void read_bars(const struct pci_access *pa, struct pci_device *d, bool size)
{
	uint16_t cmd = d->command;

	if (size && (cmd & (PCI_CMD_IO | PCI_CMD_MEMORY)))
		pci_write32(pa, d->addr, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEMORY));
	for (int i = 0; i < d->bar_count;) {
		uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
		uint32_t orig = pci_read32(pa, d->addr, off);
		struct pci_bar *bar = &d->bars[i];
		if (!size && orig == 0) {
			i++; /* unassigned: taken as unimplemented without sizing */
		} else if (orig & 1) {
			bar_io(pa, d->addr, off, orig, size, bar);
			i++;
		} else {
			i += bar_mem(pa, d->addr, i, d->bar_count, orig, size, bar);
		}
	}
	if (size && (cmd & (PCI_CMD_IO | PCI_CMD_MEMORY)))
		pci_write32(pa, d->addr, PCI_COMMAND, cmd);
}

/* ---- one function ---- */

static void read_layout(const struct pci_access *pa, struct pci_device *d)
{
	struct pci_addr a = d->addr;

	d->irq_line = pci_read8(pa, a, PCI_IRQ_LINE);
	d->irq_pin = pci_read8(pa, a, PCI_IRQ_PIN);
	if (d->irq_pin > 4)
		d->irq_pin = 0;
	if (d->header_type == 0) {
		d->bar_count = PCI_BARS_MAX;
		uint32_t sub = pci_read32(pa, a, PCI_SUBSYSTEM);
		d->subsys_vendor = (uint16_t)sub;
		d->subsys_id = (uint16_t)(sub >> 16);
	} else if (d->header_type == 1) {
		d->bar_count = 2;
		d->secondary_bus = pci_read8(pa, a, 0x19);
		d->subordinate_bus = pci_read8(pa, a, 0x1A);
	} else if (d->header_type == 2) {
		d->bar_count = 1;
	} else {
		d->irq_line = 0; /* unknown layout: nothing past the common part */
		d->irq_pin = 0;
	}
}

static void read_common(const struct pci_access *pa, struct pci_device *d)
{
	struct pci_addr a = d->addr;
	uint32_t cmd_status = pci_read32(pa, a, PCI_COMMAND);
	uint32_t class_rev = pci_read32(pa, a, PCI_REVISION);
	uint8_t header = pci_read8(pa, a, PCI_HEADER_TYPE);

	d->command = (uint16_t)cmd_status;
	d->status = (uint16_t)(cmd_status >> 16);
	d->revision = (uint8_t)class_rev;
	d->prog_if = (uint8_t)(class_rev >> 8);
	d->subclass = (uint8_t)(class_rev >> 16);
	d->class_code = (uint8_t)(class_rev >> 24);
	d->header_type = header & 0x7F;
	d->multifunction = (header & 0x80) != 0;
}

int pci_read_function(const struct pci_access *pa, struct pci_addr addr, unsigned flags,
		      struct pci_device *out)
{
	if (addr.dev >= PCI_DEVS || addr.fn >= PCI_FNS)
		return E_INVAL;
	uint32_t id = pci_read32(pa, addr, PCI_VENDOR_ID);
	uint16_t vendor = (uint16_t)id;
	if (vendor == 0xFFFF || vendor == 0)
		return E_NOENT;
	memset(out, 0, sizeof(*out));
	out->addr = addr;
	out->vendor = vendor;
	out->device = (uint16_t)(id >> 16);
	read_common(pa, out);
	read_layout(pa, out);
	read_bars(pa, out, (flags & PCI_READ_SIZE_BARS) != 0);
	pci_read_caps(pa, out);
	return E_OK;
}

/* ---- scan ---- */

struct scan_state {
	const struct pci_access *pa;
	unsigned flags;
	pci_visit_fn *visit;
	void *arg;
	size_t found;
	struct pci_device dev;
};

/* Visit one function if present; *multi reports function 0's flag. */
static int scan_function(struct scan_state *st, struct pci_addr a, bool *multi)
{
	if (pci_read_function(st->pa, a, st->flags, &st->dev) != E_OK)
		return E_OK;
	if (multi)
		*multi = st->dev.multifunction;
	st->found++;
	return st->visit ? st->visit(st->arg, &st->dev) : E_OK;
}

static int scan_device(struct scan_state *st, uint8_t bus, uint8_t dev)
{
	bool multi = false;
	int r = scan_function(st, (struct pci_addr){bus, dev, 0}, &multi);

	for (uint8_t fn = 1; r == E_OK && multi && fn < PCI_FNS; fn++)
		r = scan_function(st, (struct pci_addr){bus, dev, fn}, NULL);
	return r;
}

int pci_scan(const struct pci_access *pa, uint8_t first_bus, uint8_t last_bus, unsigned flags,
	     pci_visit_fn *visit, void *arg, size_t *found)
{
	struct scan_state st = {.pa = pa, .flags = flags, .visit = visit, .arg = arg};
	int r = E_OK;

	for (unsigned bus = first_bus; r == E_OK && bus <= last_bus; bus++)
		for (uint8_t dev = 0; r == E_OK && dev < PCI_DEVS; dev++)
			r = scan_device(&st, (uint8_t)bus, dev);
	if (found)
		*found = st.found;
	return r;
}
