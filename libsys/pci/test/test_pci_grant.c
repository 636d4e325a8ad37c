/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the PCI library's helpers for granted devices
 * (libsys/pci/pci_cap.c), over the fake q35 of pci_fixture.h: where the
 * mask bit of an MSI-X entry or an MSI vector lives (what init tells the
 * kernel with SYS_IRQ_SET_MASK), writing MSI-X entries without touching
 * their vector control, turning MSI-X on with MSI off, and programming an
 * aligned multi-message MSI block without touching the mask bits; bad
 * indexes, counts and data are refused before anything is written.
 */
#include "../../abi/include/sys/errors.h"
#include "pci_fixture.h"

/* A function with a 64-bit MSI that can mask each of its 8 vectors (at 0x60). */
static struct pci_device maskable_msi(void)
{
	struct fake_fn *f = fake_fn(0, 9, 0, 0x8086, 0x7777, 0x02000000, 0x00);

	fake_caps_begin(f, 0x50);
	fake_cap(f, 0x50, PCI_CAP_ID_MSI, 0, 0x0186); /* 64-bit, maskable, 8 vectors */
	put32(f->cfg + 0x60, 0x000000FF);	      /* all masked */
	return read_at(9, 0);
}

static void test_mask_places(void)
{
	struct pci_mask_place p;

	fake_q35();
	struct pci_device xhci = read_at(2, 0), ahci = read_at(31, 2), vga = read_at(1, 0);
	CHECK_EQ(pci_msix_mask_place(&xhci, 0, &p), E_OK);
	CHECK(p.bar == 0 && p.offset == 0x300C && p.bit == 0);
	CHECK_EQ(pci_msix_mask_place(&xhci, 15, &p), E_OK);
	CHECK(p.bar == 0 && p.offset == 0x30FC && p.bit == 0);
	CHECK_EQ(pci_msix_mask_place(&xhci, 16, &p), E_RANGE); /* 16 entries */
	CHECK_EQ(pci_msix_mask_place(&ahci, 0, &p), E_NOENT);
	CHECK_EQ(pci_msi_mask_place(&xhci, 0, &p), E_NOENT); /* its MSI cannot mask */
	CHECK_EQ(pci_msi_mask_place(&vga, 0, &p), E_NOENT);
	struct pci_device m = maskable_msi();
	CHECK_EQ(pci_msi_mask_place(&m, 5, &p), E_OK);
	CHECK(p.bar == PCI_MASK_IN_CONFIG && p.offset == 0x60 && p.bit == 5);
	CHECK_EQ(pci_msi_mask_place(&m, 8, &p), E_RANGE);
	struct pci_device bad = xhci;
	bad.msix.table_bir = 7;
	CHECK_EQ(pci_msix_mask_place(&bad, 0, &p), E_RANGE);
}

static void test_msix_entries(void)
{
	uint32_t table[16 * 4];

	fake_q35();
	for (int i = 0; i < 16 * 4; i++)
		table[i] = (i % 4 == 3) ? 1 : 0xDEAD0000u + (uint32_t)i;
	struct pci_device d = read_at(2, 0);
	CHECK_EQ(pci_msix_set_entry(&d, table, 3, 0xFEE01000, 0x91), E_OK);
	CHECK(table[12] == 0xFEE01000 && table[13] == 0 && table[14] == 0x91);
	CHECK_EQ(table[15], 1); /* still masked: the kernel unmasks it */
	CHECK_EQ(table[16], 0xDEAD0010u);
	CHECK_EQ(pci_msix_set_entry(&d, table, 16, 0xFEE00000, 0x91), E_RANGE);
	struct pci_device ahci = read_at(31, 2);
	CHECK_EQ(pci_msix_set_entry(&ahci, table, 0, 0xFEE00000, 0x91), E_NOENT);
	put16(fake.fns[0][2][0].cfg + 0x72, 0x0089); /* MSI on: must go off */
	put16(fake.fns[0][2][0].cfg + 0x92, 0x400F); /* function mask on */
	d = read_at(2, 0);
	CHECK_EQ(pci_msix_enable(&fake_access, &d), E_OK);
	CHECK_EQ(cfg32(2, 0, 0x90), 0x800F7011);
	CHECK_EQ(cfg32(2, 0, 0x70) >> 16, 0x0088);
	CHECK(cfg32(2, 0, PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
	CHECK_EQ(pci_msix_enable(&fake_access, &ahci), E_NOENT);
	CHECK_EQ(fake.bad_offsets, 0);
}

static void test_msi_blocks(void)
{
	fake_q35();
	struct pci_device m = maskable_msi();
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0xA0, 4), E_OK);
	CHECK_EQ(cfg32(9, 0, 0x50) >> 16, 0x01A7); /* enabled, MME = 2 (4 vectors) */
	CHECK_EQ(cfg32(9, 0, 0x54), 0xFEE00000);
	CHECK_EQ(cfg32(9, 0, 0x5C) & 0xFFFF, 0xA0);
	CHECK_EQ(cfg32(9, 0, 0x60), 0xFF); /* mask bits are the kernel's */
	CHECK(cfg32(9, 0, PCI_COMMAND) & PCI_CMD_INTX_DISABLE);
	struct pci_device ahci = read_at(31, 2), vga = read_at(1, 0); /* ahci: 32-bit, 1 vector */
	unsigned writes = fake.writes;
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0xA0, 3), E_INVAL);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0xA0, 16), E_INVAL);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0xA2, 4), E_INVAL);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0x08, 1), E_INVAL);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &m, 0xFEE00000, 0xA0, 0), E_INVAL);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &ahci, 0x1FEE00000ull, 0x40, 1), E_RANGE);
	CHECK_EQ(pci_msi_enable_block(&fake_access, &vga, 0xFEE00000, 0x40, 1), E_NOENT);
	CHECK_EQ(fake.writes, writes); /* refused before touching anything */
	CHECK_EQ(pci_msi_enable_block(&fake_access, &ahci, 0xFEE00000, 0x41, 1), E_OK);
	CHECK_EQ(cfg32(31, 2, 0x80) >> 16, 0x0001);
	CHECK_EQ(cfg32(31, 2, 0x88), 0x41);
	CHECK_EQ(fake.bad_offsets, 0);
}

int main(void)
{
	test_mask_places();
	test_msix_entries();
	test_msi_blocks();
	return check_summary("pci_grant");
}
