/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the PCI library's interrupt programming and names
 * (libsys/pci/pci_cap.c, pci_names.c) over the fake q35 of pci_fixture.h: the
 * MSI message format, MSI and MSI-X programming checked dword by dword (and
 * that nothing else changed), the MSI-X table bounds, the class, vendor
 * and capability names lspci prints; then random configuration spaces read
 * and programmed without a crash, an access out of range, or an answer that
 * breaks the library's own invariants.
 */
#include "../../abi/include/sys/errors.h"
#include "pci_fixture.h"
#include "rng.h"
#include "sys/units.h"

static void test_message(void)
{
	uint64_t addr = 0;
	uint32_t data = 0;

	CHECK_EQ(pci_msi_message(0, 0x20, &addr, &data), E_OK);
	CHECK(addr == 0xFEE00000 && data == 0x20);
	CHECK_EQ(pci_msi_message(0xFF, 0xFE, &addr, &data), E_OK);
	CHECK(addr == 0xFEEFF000 && data == 0xFE);
	CHECK_EQ(pci_msi_message(1, 16, &addr, &data), E_OK);
	CHECK_EQ(pci_msi_message(1, 15, &addr, &data), E_INVAL);
	CHECK_EQ(pci_msi_message(1, 0, &addr, &data), E_INVAL);
}

static void test_msi_64(void)
{
	fake_q35();
	struct fake_fn *f = &fake.fns[0][2][0];
	put16(f->cfg + 0x72, 0x0088 | 0x0030); /* firmware left MME = 3 */
	put32(f->cfg + 0x7C, 0xABCD0000);      /* the upper half is not ours */
	f->cfg[PCI_STATUS + 1] |= 0x80;	       /* a pending RW1C status bit */
	struct pci_device d = read_at(2, 0);
	CHECK_EQ(pci_msi_enable(&fake_access, &d, 3, 0x41), E_OK);
	CHECK_EQ(cfg32(2, 0, 0x70), 0x0089A005); /* enabled, one vector, 64-bit kept */
	CHECK_EQ(cfg32(2, 0, 0x74), 0xFEE03000);
	CHECK_EQ(cfg32(2, 0, 0x78), 0);
	CHECK_EQ(cfg32(2, 0, 0x7C), 0xABCD0041);
	uint32_t cs = cfg32(2, 0, PCI_COMMAND);
	CHECK_EQ(cs & 0xFFFF, PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER | PCI_CMD_INTX_DISABLE);
	CHECK(cs & 0x80000000u);		 /* status untouched */
	CHECK_EQ(cfg32(2, 0, 0x90), 0x000F7011); /* MSI-X untouched */
	CHECK_EQ(fake.bad_offsets, 0);
}

static void test_msi_32_and_masked(void)
{
	fake_q35();
	put32(fake.fns[0][31][2].cfg + 0x8C, 0x5A5A5A5A);
	struct pci_device d = read_at(31, 2);
	CHECK_EQ(pci_msi_enable(&fake_access, &d, 0, 0x30), E_OK);
	CHECK_EQ(cfg32(31, 2, 0x80), 0x0001A805);
	CHECK_EQ(cfg32(31, 2, 0x84), 0xFEE00000);
	CHECK_EQ(cfg32(31, 2, 0x88), 0x00000030);
	CHECK_EQ(cfg32(31, 2, 0x8C), 0x5A5A5A5A);

	struct fake_fn *f = fake_fn(0, 9, 0, 0x8086, 0x7777, 0x02000000, 0x00);
	fake_caps_begin(f, 0x50);
	fake_cap(f, 0x50, PCI_CAP_ID_MSI, 0, 0x0180); /* 64-bit, per-vector masks */
	put32(f->cfg + 0x60, 0xFFFFFFFF);	      /* every vector masked */
	d = read_at(9, 0);
	CHECK(d.msi.per_vector_mask && d.msi.mask_offset == 0x60);
	CHECK_EQ(pci_msi_enable(&fake_access, &d, 7, 0xEE), E_OK);
	CHECK_EQ(cfg32(9, 0, 0x60), 0xFFFFFFFE);
	CHECK_EQ(cfg32(9, 0, 0x54), 0xFEE07000);
	CHECK_EQ(cfg32(9, 0, 0x5C) & 0xFFFF, 0xEE);
	CHECK_EQ(cfg32(9, 0, 0x64), 0); /* pending bits untouched */

	struct pci_device host = read_at(0, 0);
	unsigned writes = fake.writes;
	CHECK_EQ(pci_msi_enable(&fake_access, &d, 7, 5), E_INVAL);
	CHECK_EQ(pci_msi_enable(&fake_access, &host, 0, 0x40), E_NOENT);
	CHECK_EQ(fake.writes, writes); /* refused before touching anything */
}

static void test_msix(void)
{
	uint32_t table[16 * 4];

	fake_q35();
	for (int i = 0; i < 16; i++) {
		table[4 * i] = 0xDEAD0000u + (uint32_t)i;
		table[4 * i + 1] = 0xDEAD;
		table[4 * i + 2] = 0xDEAD;
		table[4 * i + 3] = 1; /* masked, as after reset */
	}
	struct fake_fn *f = &fake.fns[0][2][0];
	put16(f->cfg + 0x72, 0x0089); /* MSI was on: it must go off */
	struct pci_device d = read_at(2, 0);
	CHECK_EQ(pci_msix_enable_entry0(&fake_access, &d, table, 2, 0x30), E_OK);
	CHECK(table[0] == 0xFEE02000 && table[1] == 0 && table[2] == 0x30 && table[3] == 0);
	CHECK(table[4] == 0xDEAD0001u && table[7] == 1); /* entry 1 left alone */
	CHECK_EQ(cfg32(2, 0, 0x90), 0x800F7011);	 /* enabled, function mask off */
	CHECK_EQ(cfg32(2, 0, 0x70) >> 16, 0x0088);	 /* MSI off */
	CHECK(cfg32(2, 0, PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
	CHECK_EQ(pci_msix_enable_entry0(&fake_access, &d, table, 2, 3), E_INVAL);
	struct pci_device ahci = read_at(31, 2);
	CHECK_EQ(pci_msix_enable_entry0(&fake_access, &ahci, table, 2, 0x30), E_NOENT);
	CHECK_EQ(fake.bad_offsets, 0);
}

static void test_msix_table_bounds(void)
{
	uint64_t phys = 0;

	fake_q35();
	struct pci_device d = read_at(2, 0);
	CHECK_EQ(pci_msix_table_address(&d, &phys), E_OK);
	CHECK_EQ(phys, 0xFEBD3000);
	struct pci_device bad = d;
	bad.msix.table_offset = 0x3F10; /* 16 entries run past the 16 KiB BAR */
	CHECK_EQ(pci_msix_table_address(&bad, &phys), E_RANGE);
	bad.msix.table_offset = 0x3F00; /* ends exactly at the end */
	CHECK_EQ(pci_msix_table_address(&bad, &phys), E_OK);
	bad = d;
	bad.msix.table_bir = 6;
	CHECK_EQ(pci_msix_table_address(&bad, &phys), E_RANGE);
	bad.msix.table_bir = 1; /* the upper half of the 64-bit BAR */
	CHECK_EQ(pci_msix_table_address(&bad, &phys), E_RANGE);
	struct pci_device smbus = read_at(31, 3);
	smbus.msix = d.msix;
	smbus.msix.table_bir = 4; /* an I/O BAR cannot hold a table */
	CHECK_EQ(pci_msix_table_address(&smbus, &phys), E_RANGE);
	struct pci_device vga = read_at(1, 0);
	CHECK_EQ(pci_msix_table_address(&vga, &phys), E_NOENT);
}

static void test_names(void)
{
	static const struct {
		uint8_t c, s, p;
		const char *name;
	} cases[] = {
		{0x0C, 0x03, 0x30, "USB controller (xHCI)"},
		{0x0C, 0x03, 0x20, "USB controller (EHCI)"},
		{0x0C, 0x03, 0x40, "USB controller"},
		{0x01, 0x06, 0x01, "SATA controller (AHCI)"},
		{0x01, 0x06, 0x00, "SATA controller"},
		{0x01, 0x08, 0x02, "Non-volatile memory controller (NVMe)"},
		{0x01, 0x80, 0x00, "Mass storage controller"},
		{0x03, 0x00, 0x00, "VGA controller"},
		{0x02, 0x00, 0x00, "Ethernet controller"},
		{0x06, 0x00, 0x00, "Host bridge"},
		{0x06, 0x01, 0x00, "ISA bridge"},
		{0x06, 0x04, 0x01, "PCI bridge"},
		{0x06, 0x80, 0x00, "Bridge"},
		{0x0C, 0x05, 0x00, "SMBus"},
		{0xFF, 0x12, 0x34, "Unassigned class"},
		{0x77, 0x00, 0x00, "Unknown class"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		CHECK(strcmp(pci_class_name(cases[i].c, cases[i].s, cases[i].p), cases[i].name) ==
		      0);
	CHECK(strcmp(pci_vendor_name(0x8086), "Intel") == 0);
	CHECK(strcmp(pci_vendor_name(0x1B36), "Red Hat (QEMU)") == 0);
	CHECK(strcmp(pci_vendor_name(0xABCD), "") == 0);
	CHECK(strcmp(pci_cap_name(PCI_CAP_ID_MSIX), "MSI-X") == 0);
	CHECK(strcmp(pci_cap_name(PCI_CAP_ID_MSI), "MSI") == 0);
	CHECK(strcmp(pci_cap_name(0xEE), "Unknown") == 0);
	for (int c = 0; c < 256; c++)
		CHECK(pci_class_name((uint8_t)c, (uint8_t)(c * 7), (uint8_t)(c * 13)) != NULL);
}

/* ---- random configuration spaces ---- */

static void random_function(uint32_t *seed)
{
	struct fake_fn *f = &fake.fns[0][5][0];

	f->present = true;
	for (int i = 0; i < PCI_CONFIG_SIZE; i += 4)
		put32(f->cfg + i, xorshift32(seed));
	if (xorshift32(seed) % 4) /* mostly a believable header type */
		f->cfg[PCI_HEADER_TYPE] = (uint8_t)(xorshift32(seed) % 3);
	if (xorshift32(seed) % 2) { /* often a capability list */
		f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
		f->cfg[PCI_CAP_PTR] = (uint8_t)(0x40 + xorshift32(seed) % 0xC0);
	}
	for (int i = 0; i < PCI_BARS_MAX; i++) {
		uint32_t r = xorshift32(seed);
		f->bar_mask[i] = r % 3 ? (uint32_t)(~0ull << (r % 32)) : xorshift32(seed);
		f->bar_flags[i] = xorshift32(seed) & 0xF;
	}
}

static bool device_sane(const struct pci_device *d)
{
	bool ok = d->cap_count <= PCI_CAPS_MAX && d->bar_count <= PCI_BARS_MAX;

	for (unsigned i = 0; ok && i < d->cap_count; i++)
		ok = d->caps[i].offset >= PCI_CAP_FIRST && (d->caps[i].offset & 3) == 0;
	for (int i = 0; ok && i < PCI_BARS_MAX; i++) {
		uint64_t size = d->bars[i].size;
		ok = d->bars[i].type <= PCI_BAR_MEM64 && (size & (size - 1)) == 0;
		ok &= i < d->bar_count || d->bars[i].type == PCI_BAR_NONE;
	}
	if (d->msi.offset)
		ok &= d->msi.data_offset > d->msi.offset && d->msi.max_vectors >= 1 &&
		      d->msi.max_vectors <= 32;
	if (d->msix.offset)
		ok &= d->msix.table_size >= 1 && d->msix.table_size <= 2048;
	return ok;
}

static void test_random_spaces(void)
{
	uint32_t seed = 0x9c1d;
	uint32_t table[4];
	bool ok = true;

	fake_reset();
	for (int round = 0; round < 20000; round++) {
		random_function(&seed);
		struct pci_device d;
		int e = pci_read_function(&fake_access, (struct pci_addr){0, 5, 0},
					  PCI_READ_SIZE_BARS, &d);
		if (e != E_OK)
			continue;
		ok &= device_sane(&d);
		uint64_t phys;
		pci_msix_table_address(&d, &phys);
		pci_msi_enable(&fake_access, &d, 1, 0x40);
		pci_msix_enable_entry0(&fake_access, &d, table, 1, 0x41);
	}
	CHECK(ok);
	CHECK_EQ(fake.bad_offsets, 0);
	CHECK_EQ(fake.sized_decoding, 0);
}

int main(void)
{
	test_message();
	test_msi_64();
	test_msi_32_and_masked();
	test_msix();
	test_msix_table_bounds();
	test_names();
	test_random_spaces();
	return check_summary("pci_msi");
}
