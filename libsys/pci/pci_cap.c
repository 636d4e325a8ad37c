/* SPDX-License-Identifier: MIT */
/*
 * PCI capabilities (pci/pci.h): the bounded walk of the capability list,
 * decoding of the MSI and MSI-X capabilities, and programming them for one
 * vector. The walk remembers every dword it visited, so a list that loops
 * ends at the first repeat, and a pointer into the header (below 0x40) ends
 * it too; either is reported in cap_error, with the entries read so far
 * kept.
 *
 * MSI (PCI Local Bus 3.0, 6.8.1): control at +2 (bit 0 enable, bits 1-3
 * Multiple Message Capable as log2, bits 4-6 Multiple Message Enable, bit 7
 * 64-bit address, bit 8 per-vector masking); address at +4 (+8 the upper
 * half when 64-bit); then data, then mask and pending bits. MSI-X: control
 * at +2 (bits 0-10 table size - 1, bit 14 function mask, bit 15 enable);
 * table and PBA as a BAR indicator (bits 0-2) plus an offset at +4 and +8;
 * 16-byte table entries of address low, address high, data, vector control
 * (bit 0 masks).
 */
#include <stdint.h>

#include "pci_impl.h"
#include "sys/errors.h"

#define MSI_CTL_ENABLE	   0x0001
#define MSI_CTL_MME	   0x0070
#define MSI_CTL_64BIT	   0x0080
#define MSI_CTL_MASKABLE   0x0100
#define MSIX_CTL_SIZE	   0x07FF
#define MSIX_CTL_FUNC_MASK 0x4000
#define MSIX_CTL_ENABLE	   0x8000
#define MSIX_BIR_MASK	   0x7u
#define MSIX_VECTOR_MASKED 0x1u
#define MSI_MIN_VECTOR	   16 /* 0-15 are reserved for exceptions */

/* ---- the walk ---- */

static uint16_t cap_ptr_offset(const struct pci_device *d)
{
	if (d->header_type == 0 || d->header_type == 1)
		return PCI_CAP_PTR;
	if (d->header_type == 2)
		return PCI_CAP_PTR_CB;
	return 0;
}

static void walk_caps(const struct pci_access *pa, struct pci_device *d, uint8_t ptr)
{
	uint64_t seen = 0; /* one bit per dword of config space */

	while (ptr) {
		if (ptr < PCI_CAP_FIRST) {
			d->cap_error = E_RANGE;
			return;
		}
		if (seen & (1ull << (ptr >> 2)) || d->cap_count >= PCI_CAPS_MAX) {
			d->cap_error = E_INVAL;
			return;
		}
		seen |= 1ull << (ptr >> 2);
		uint16_t head = pci_read16(pa, d->addr, ptr);
		d->caps[d->cap_count++] = (struct pci_cap){(uint8_t)head, ptr};
		ptr = (uint8_t)(head >> 8) & 0xFC;
	}
}

/* ---- decoding ---- */

static void parse_msi(const struct pci_access *pa, struct pci_device *d, uint8_t off)
{
	uint16_t ctl = pci_read16(pa, d->addr, (uint16_t)(off + 2));
	bool is64 = (ctl & MSI_CTL_64BIT) != 0;
	bool maskable = (ctl & MSI_CTL_MASKABLE) != 0;
	unsigned length = (is64 ? 0x10u : 0x0Cu) + (maskable ? 8u : 0u);
	unsigned mmc = (ctl >> 1) & 7;

	if (off + length > PCI_CONFIG_SIZE)
		return; /* would run off the end of config space: unusable */
	struct pci_msi *m = &d->msi;
	m->offset = off;
	m->is64 = is64;
	m->per_vector_mask = maskable;
	m->enabled = (ctl & MSI_CTL_ENABLE) != 0;
	m->max_vectors = (uint8_t)(1u << (mmc > 5 ? 5 : mmc));
	m->data_offset = (uint8_t)(off + (is64 ? 0x0C : 0x08));
	m->mask_offset = maskable ? (uint8_t)(m->data_offset + 4) : 0;
}

static void parse_msix(const struct pci_access *pa, struct pci_device *d, uint8_t off)
{
	if (off + 12u > PCI_CONFIG_SIZE)
		return;
	uint16_t ctl = pci_read16(pa, d->addr, (uint16_t)(off + 2));
	uint32_t table = pci_read32(pa, d->addr, (uint16_t)(off + 4));
	uint32_t pba = pci_read32(pa, d->addr, (uint16_t)(off + 8));
	struct pci_msix *x = &d->msix;

	x->offset = off;
	x->enabled = (ctl & MSIX_CTL_ENABLE) != 0;
	x->table_size = (uint16_t)((ctl & MSIX_CTL_SIZE) + 1);
	x->table_bir = (uint8_t)(table & MSIX_BIR_MASK);
	x->table_offset = table & ~MSIX_BIR_MASK;
	x->pba_bir = (uint8_t)(pba & MSIX_BIR_MASK);
	x->pba_offset = pba & ~MSIX_BIR_MASK;
}

void pci_read_caps(const struct pci_access *pa, struct pci_device *d)
{
	uint16_t ptr_off = cap_ptr_offset(d);

	if (!ptr_off || !(d->status & PCI_STATUS_CAP_LIST))
		return;
	walk_caps(pa, d, pci_read8(pa, d->addr, ptr_off) & 0xFC);
	for (unsigned i = 0; i < d->cap_count; i++) {
		const struct pci_cap *c = &d->caps[i];
		if (c->id == PCI_CAP_ID_MSI && !d->msi.offset)
			parse_msi(pa, d, c->offset);
		if (c->id == PCI_CAP_ID_MSIX && !d->msix.offset)
			parse_msix(pa, d, c->offset);
	}
}

const struct pci_cap *pci_find_cap(const struct pci_device *dev, uint8_t id)
{
	for (unsigned i = 0; i < dev->cap_count && i < PCI_CAPS_MAX; i++)
		if (dev->caps[i].id == id)
			return &dev->caps[i];
	return NULL;
}

/* ---- programming ---- */

int pci_msi_message(uint8_t lapic_id, uint8_t vector, uint64_t *address, uint32_t *data)
{
	if (vector < MSI_MIN_VECTOR)
		return E_INVAL;
	/* destination id in bits 19:12; redirection hint 0, physical mode */
	*address = PCI_MSI_ADDRESS_BASE | ((uint32_t)lapic_id << 12);
	/* fixed delivery, edge-triggered: just the vector */
	*data = vector;
	return E_OK;
}

/* Write a capability's control word (the upper half of its first dword). */
static void cap_write_control(const struct pci_access *pa, struct pci_addr a, uint8_t off,
			      uint16_t ctl)
{
	uint16_t head = pci_read16(pa, a, off);

	pci_write32(pa, a, off, ((uint32_t)ctl << 16) | head);
}

/* Address and data; the data register's upper half is not ours to change. */
static void msi_write_message(const struct pci_access *pa, const struct pci_device *dev,
			      uint64_t address, uint32_t data)
{
	const struct pci_msi *m = &dev->msi;
	struct pci_addr a = dev->addr;
	uint32_t old_data = pci_read32(pa, a, m->data_offset);

	pci_write32(pa, a, (uint16_t)(m->offset + 4), (uint32_t)address);
	if (m->is64)
		pci_write32(pa, a, (uint16_t)(m->offset + 8), (uint32_t)(address >> 32));
	pci_write32(pa, a, m->data_offset, (old_data & 0xFFFF0000u) | (data & 0xFFFF));
}

static void msi_program(const struct pci_access *pa, const struct pci_device *dev, uint64_t address,
			uint32_t data)
{
	const struct pci_msi *m = &dev->msi;
	struct pci_addr a = dev->addr;

	msi_write_message(pa, dev, address, data);
	if (m->mask_offset) {
		uint32_t mask = pci_read32(pa, a, m->mask_offset);
		pci_write32(pa, a, m->mask_offset, mask & ~1u);
	}
}

int pci_msi_enable(const struct pci_access *pa, const struct pci_device *dev, uint8_t lapic_id,
		   uint8_t vector)
{
	uint64_t address;
	uint32_t data;

	if (!dev->msi.offset)
		return E_NOENT;
	int e = pci_msi_message(lapic_id, vector, &address, &data);
	if (e)
		return e;
	uint8_t off = dev->msi.offset;
	uint16_t ctl = pci_read16(pa, dev->addr, (uint16_t)(off + 2));
	ctl &= (uint16_t) ~(MSI_CTL_ENABLE | MSI_CTL_MME); /* off while programming; one vector */
	cap_write_control(pa, dev->addr, off, ctl);
	msi_program(pa, dev, address, data);
	cap_write_control(pa, dev->addr, off, ctl | MSI_CTL_ENABLE);
	pci_command_update(pa, dev->addr, PCI_CMD_INTX_DISABLE, 0);
	return E_OK;
}

int pci_msix_table_address(const struct pci_device *dev, uint64_t *phys)
{
	const struct pci_msix *x = &dev->msix;

	if (!x->offset)
		return E_NOENT;
	if (x->table_bir >= PCI_BARS_MAX)
		return E_RANGE;
	const struct pci_bar *bar = &dev->bars[x->table_bir];
	uint64_t end = (uint64_t)x->table_offset + (uint64_t)x->table_size * PCI_MSIX_ENTRY_SIZE;
	if (bar->type != PCI_BAR_MEM32 && bar->type != PCI_BAR_MEM64)
		return E_RANGE;
	if (bar->size && end > bar->size)
		return E_RANGE;
	*phys = bar->base + x->table_offset;
	return E_OK;
}

int pci_msix_enable_entry0(const struct pci_access *pa, const struct pci_device *dev,
			   volatile uint32_t *table, uint8_t lapic_id, uint8_t vector)
{
	uint64_t address;
	uint32_t data;

	if (!dev->msix.offset)
		return E_NOENT;
	int e = pci_msi_message(lapic_id, vector, &address, &data);
	if (e)
		return e;
	uint8_t off = dev->msix.offset;
	uint16_t ctl = pci_read16(pa, dev->addr, (uint16_t)(off + 2));
	if (dev->msi.offset) { /* MSI and MSI-X must not both be on */
		uint16_t msi_ctl = pci_read16(pa, dev->addr, (uint16_t)(dev->msi.offset + 2));
		cap_write_control(pa, dev->addr, dev->msi.offset, msi_ctl & ~MSI_CTL_ENABLE);
	}
	cap_write_control(pa, dev->addr, off, ctl | MSIX_CTL_ENABLE | MSIX_CTL_FUNC_MASK);
	table[0] = (uint32_t)address;
	table[1] = (uint32_t)(address >> 32);
	table[2] = data;
	table[3] = table[3] & ~MSIX_VECTOR_MASKED;
	cap_write_control(pa, dev->addr, off, (ctl | MSIX_CTL_ENABLE) & ~MSIX_CTL_FUNC_MASK);
	pci_command_update(pa, dev->addr, PCI_CMD_INTX_DISABLE, 0);
	return E_OK;
}

/* ---- for supervisors and drivers that share the mask bits with the kernel ---- */

int pci_msix_mask_place(const struct pci_device *dev, uint16_t index, struct pci_mask_place *out)
{
	const struct pci_msix *x = &dev->msix;

	if (!x->offset)
		return E_NOENT;
	if (index >= x->table_size || x->table_bir >= PCI_BARS_MAX)
		return E_RANGE;
	out->bar = x->table_bir;
	out->offset = x->table_offset + (uint32_t)index * PCI_MSIX_ENTRY_SIZE + 12;
	out->bit = 0;
	return E_OK;
}

int pci_msi_mask_place(const struct pci_device *dev, uint8_t index, struct pci_mask_place *out)
{
	const struct pci_msi *m = &dev->msi;

	if (!m->offset || !m->mask_offset)
		return E_NOENT;
	if (index >= m->max_vectors)
		return E_RANGE;
	out->bar = PCI_MASK_IN_CONFIG;
	out->offset = m->mask_offset;
	out->bit = index;
	return E_OK;
}

int pci_msix_set_entry(const struct pci_device *dev, volatile uint32_t *table, uint16_t index,
		       uint64_t address, uint32_t data)
{
	if (!dev->msix.offset)
		return E_NOENT;
	if (index >= dev->msix.table_size)
		return E_RANGE;
	volatile uint32_t *e = table + (size_t)index * (PCI_MSIX_ENTRY_SIZE / 4);
	e[0] = (uint32_t)address;
	e[1] = (uint32_t)(address >> 32);
	e[2] = data;
	return E_OK;
}

/* MSI off, if the function has it: MSI and MSI-X must never be on together. */
static void msi_disable(const struct pci_access *pa, const struct pci_device *dev)
{
	if (!dev->msi.offset)
		return;
	uint16_t ctl = pci_read16(pa, dev->addr, (uint16_t)(dev->msi.offset + 2));
	cap_write_control(pa, dev->addr, dev->msi.offset, ctl & ~MSI_CTL_ENABLE);
}

int pci_msix_enable(const struct pci_access *pa, const struct pci_device *dev)
{
	uint8_t off = dev->msix.offset;

	if (!off)
		return E_NOENT;
	msi_disable(pa, dev);
	uint16_t ctl = pci_read16(pa, dev->addr, (uint16_t)(off + 2));
	cap_write_control(pa, dev->addr, off, (ctl | MSIX_CTL_ENABLE) & ~MSIX_CTL_FUNC_MASK);
	pci_command_update(pa, dev->addr, PCI_CMD_INTX_DISABLE, 0);
	return E_OK;
}

/* log2 of a power of two up to 32; -1 for anything else. */
static int log2_vectors(unsigned count)
{
	for (int k = 0; k <= 5; k++)
		if (count == 1u << k)
			return k;
	return -1;
}

int pci_msi_enable_block(const struct pci_access *pa, const struct pci_device *dev,
			 uint64_t address, uint32_t data, unsigned count)
{
	const struct pci_msi *m = &dev->msi;
	int mme = log2_vectors(count);

	if (!m->offset)
		return E_NOENT;
	if (mme < 0 || count > m->max_vectors || (data & (count - 1)) || (data & 0xFFFF) < 16)
		return E_INVAL;
	if (!m->is64 && (address >> 32))
		return E_RANGE;
	uint16_t ctl = pci_read16(pa, dev->addr, (uint16_t)(m->offset + 2));
	ctl &= (uint16_t) ~(MSI_CTL_ENABLE | MSI_CTL_MME);
	cap_write_control(pa, dev->addr, m->offset, ctl);
	msi_write_message(pa, dev, address, data);
	ctl |= (uint16_t)(mme << 4);
	cap_write_control(pa, dev->addr, m->offset, ctl | MSI_CTL_ENABLE);
	pci_command_update(pa, dev->addr, PCI_CMD_INTX_DISABLE, 0);
	return E_OK;
}
