/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests for the PCI library's enumeration (libsys/pci/pci.c,
 * pci_cap.c) over the fake configuration space of pci_fixture.h: the q35
 * machine read field by field (BAR sizes of every kind, capabilities, MSI
 * and MSI-X fields), config space left exactly as found after sizing, bus
 * ranges and multi-function rules, then corrupt inputs (capability loops,
 * pointers into the header, absent and unknown functions, BARs that decode
 * nothing), none of which may crash, hang or access out of range. MSI and
 * MSI-X programming, the names and random config spaces are in
 * test_pci_msi.c.
 */
#include "../../abi/include/sys/errors.h"
#include "pci_fixture.h"
#include "rng.h"

#define FOUND_MAX 16

static struct pci_device found[FOUND_MAX];
static size_t found_count;

static int collect(void *arg, const struct pci_device *d)
{
	(void)arg;
	if (found_count < FOUND_MAX)
		found[found_count] = *d;
	found_count++;
	return 0;
}

static size_t scan(uint8_t first, uint8_t last, unsigned flags)
{
	size_t n = 0;

	found_count = 0;
	CHECK_EQ(pci_scan(&fake_access, first, last, flags, collect, NULL, &n), E_OK);
	CHECK_EQ(n, found_count);
	return n;
}

static const struct pci_device *found_at(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (size_t i = 0; i < found_count && i < FOUND_MAX; i++)
		if (found[i].addr.bus == bus && found[i].addr.dev == dev && found[i].addr.fn == fn)
			return &found[i];
	return NULL;
}

static void check_bar(const struct pci_device *d, int i, int type, uint64_t base, uint64_t size,
		      bool prefetchable)
{
	CHECK_EQ(d->bars[i].type, type);
	CHECK_EQ(d->bars[i].base, base);
	CHECK_EQ(d->bars[i].size, size);
	CHECK_EQ(d->bars[i].prefetchable, prefetchable);
}

static void check_ids(const struct pci_device *d, uint16_t vendor, uint16_t device,
		      uint32_t class_rev)
{
	CHECK_EQ(d->vendor, vendor);
	CHECK_EQ(d->device, device);
	CHECK_EQ(d->class_code, class_rev >> 24);
	CHECK_EQ(d->subclass, (class_rev >> 16) & 0xFF);
	CHECK_EQ(d->prog_if, (class_rev >> 8) & 0xFF);
	CHECK_EQ(d->revision, class_rev & 0xFF);
}

static void check_q35_bridges_and_vga(void)
{
	const struct pci_device *d = found_at(0, 0, 0);
	CHECK(d != NULL);
	check_ids(d, 0x8086, 0x29C0, 0x06000002);
	CHECK_EQ(d->header_type, 0);
	CHECK(!d->multifunction);
	CHECK_EQ(d->subsys_vendor, 0x1AF4);
	CHECK_EQ(d->subsys_id, 0x1100);
	for (int i = 0; i < PCI_BARS_MAX; i++)
		check_bar(d, i, PCI_BAR_NONE, 0, 0, false);
	CHECK_EQ(d->cap_count, 0);
	CHECK_EQ(d->irq_pin, 0);

	d = found_at(0, 1, 0);
	check_ids(d, 0x1234, 0x1111, 0x03000002);
	CHECK_EQ(d->command, PCI_CMD_IO | PCI_CMD_MEMORY);
	check_bar(d, 0, PCI_BAR_MEM32, 0xFD000000, 16u << 20, true);
	check_bar(d, 1, PCI_BAR_NONE, 0, 0, false);
	check_bar(d, 2, PCI_BAR_MEM32, 0xFEBD4000, 4096, false);
	check_bar(d, 3, PCI_BAR_NONE, 0, 0, false);

	d = found_at(0, 31, 0);
	check_ids(d, 0x8086, 0x2918, 0x06010002);
	CHECK(d->multifunction);
	CHECK_EQ(d->header_type, 0);
}

static void check_q35_xhci(void)
{
	const struct pci_device *d = found_at(0, 2, 0);
	check_ids(d, 0x1B36, 0x000D, 0x0C033001);
	check_bar(d, 0, PCI_BAR_MEM64, 0xFEBD0000, 16384, false);
	check_bar(d, 1, PCI_BAR_NONE, 0, 0, false);
	CHECK_EQ(d->irq_pin, 1);
	CHECK_EQ(d->irq_line, 11);
	CHECK_EQ(d->cap_count, 3);
	CHECK_EQ(d->cap_error, E_OK);
	CHECK(d->caps[0].id == PCI_CAP_ID_MSIX && d->caps[0].offset == 0x90);
	CHECK(d->caps[1].id == PCI_CAP_ID_MSI && d->caps[1].offset == 0x70);
	CHECK(d->caps[2].id == PCI_CAP_ID_EXP && d->caps[2].offset == 0xA0);
	CHECK(pci_find_cap(d, PCI_CAP_ID_EXP) == &d->caps[2]);
	CHECK(pci_find_cap(d, PCI_CAP_ID_PM) == NULL);
	CHECK_EQ(d->msix.offset, 0x90);
	CHECK_EQ(d->msix.table_size, 16);
	CHECK_EQ(d->msix.table_bir, 0);
	CHECK_EQ(d->msix.table_offset, 0x3000);
	CHECK_EQ(d->msix.pba_bir, 0);
	CHECK_EQ(d->msix.pba_offset, 0x3800);
	CHECK(!d->msix.enabled);
	CHECK_EQ(d->msi.offset, 0x70);
	CHECK(d->msi.is64 && !d->msi.per_vector_mask && !d->msi.enabled);
	CHECK_EQ(d->msi.max_vectors, 16);
	CHECK_EQ(d->msi.data_offset, 0x7C);
	CHECK_EQ(d->msi.mask_offset, 0);
	uint64_t table = 0;
	CHECK_EQ(pci_msix_table_address(d, &table), E_OK);
	CHECK_EQ(table, 0xFEBD3000);
}

static void check_q35_ich9(void)
{
	const struct pci_device *d = found_at(0, 31, 2);
	check_ids(d, 0x8086, 0x2922, 0x01060102);
	check_bar(d, 4, PCI_BAR_IO, 0xC040, 32, false);
	check_bar(d, 5, PCI_BAR_MEM32, 0xFEBD5000, 4096, false);
	check_bar(d, 0, PCI_BAR_NONE, 0, 0, false);
	CHECK_EQ(d->irq_line, 10);
	CHECK_EQ(d->cap_count, 2);
	CHECK(d->caps[1].id == PCI_CAP_ID_SATA && d->caps[1].offset == 0xA8);
	CHECK_EQ(d->msi.offset, 0x80);
	CHECK(!d->msi.is64);
	CHECK_EQ(d->msi.data_offset, 0x88);
	CHECK_EQ(d->msi.max_vectors, 1);
	CHECK_EQ(d->msix.offset, 0);

	d = found_at(0, 31, 3);
	check_ids(d, 0x8086, 0x2930, 0x0C050002);
	check_bar(d, 4, PCI_BAR_IO, 0x0700, 64, false);
	CHECK_EQ(d->irq_pin, 1);
}

static void test_q35(void)
{
	static struct fake_fn before[FAKE_BUSES][32][8];

	fake_q35();
	fake.fns[0][31][2].cfg[PCI_STATUS + 1] |= 0x40; /* a pending RW1C status bit */
	memcpy(before, fake.fns, sizeof(before));
	CHECK_EQ(scan(0, 0, PCI_READ_SIZE_BARS), 6);
	static const uint8_t order[][2] = {{0, 0}, {1, 0}, {2, 0}, {31, 0}, {31, 2}, {31, 3}};
	for (size_t i = 0; i < 6; i++)
		CHECK(found[i].addr.dev == order[i][0] && found[i].addr.fn == order[i][1]);
	check_q35_bridges_and_vga();
	check_q35_xhci();
	check_q35_ich9();
	CHECK(memcmp(before, fake.fns, sizeof(before)) == 0); /* all restored, status kept */
	CHECK_EQ(fake.sized_decoding, 0);
	CHECK_EQ(fake.bad_offsets, 0);
	CHECK(fake.writes > 0);
}

static void test_no_sizing(void)
{
	fake_q35();
	CHECK_EQ(scan(0, 0, 0), 6);
	CHECK_EQ(fake.writes, 0); /* reading never writes */
	const struct pci_device *d = found_at(0, 1, 0);
	check_bar(d, 0, PCI_BAR_MEM32, 0xFD000000, 0, true);
	check_bar(d, 1, PCI_BAR_NONE, 0, 0, false);
	check_bar(found_at(0, 2, 0), 0, PCI_BAR_MEM64, 0xFEBD0000, 0, false);
	check_bar(found_at(0, 31, 2), 4, PCI_BAR_IO, 0xC040, 0, false);
	uint64_t table;
	CHECK_EQ(pci_msix_table_address(found_at(0, 2, 0), &table), E_OK); /* unsized: no bound */
}

static int stop_at_second(void *arg, const struct pci_device *d)
{
	(void)d;
	return ++*(int *)arg == 2 ? 99 : 0;
}

static void test_scan_rules(void)
{
	fake_q35();
	fake_fn(1, 5, 0, 0x8086, 0x10D3, 0x02000000, 0x00);
	fake_fn(0, 3, 1, 0x8086, 0x1111, 0x02000000, 0x00); /* fn 0 absent: not seen */
	fake_fn(0, 4, 0, 0x8086, 0x2222, 0x02000000, 0x00);
	fake_fn(0, 4, 7, 0x8086, 0x3333, 0x02000000, 0x00); /* fn 0 single: not seen */
	CHECK_EQ(scan(0, 1, 0), 8);
	CHECK(found_at(1, 5, 0) != NULL);
	CHECK(found_at(0, 3, 1) == NULL && found_at(0, 4, 7) == NULL);
	fake.fns[0][4][0].cfg[PCI_HEADER_TYPE] = 0x80;
	CHECK_EQ(scan(0, 1, 0), 9);
	CHECK(found_at(0, 4, 7) != NULL);
	CHECK_EQ(scan(1, 1, 0), 1);
	CHECK_EQ(scan(1, 255, 0), 1); /* the whole range ends; no wrap at 255 */
	CHECK_EQ(scan(2, 1, 0), 0);

	int calls = 0;
	size_t n = 0;
	CHECK_EQ(pci_scan(&fake_access, 0, 1, 0, stop_at_second, &calls, &n), 99);
	CHECK_EQ(n, 2);
	CHECK_EQ(pci_scan(&fake_access, 0, 0, 0, NULL, NULL, &n), E_OK);
	CHECK_EQ(n, 8);

	struct pci_device d;
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 32, 0}, 0, &d), E_INVAL);
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 0, 8}, 0, &d), E_INVAL);
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 9, 0}, 0, &d), E_NOENT);
	fake_fn(0, 9, 0, 0x0000, 0x1234, 0, 0);
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 9, 0}, 0, &d), E_NOENT);
	fake_fn(0, 9, 0, 0xFFFF, 0x1234, 0, 0);
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 9, 0}, 0, &d), E_NOENT);
	CHECK_EQ(fake.bad_offsets, 0);
}

/* A lone function at 00:04.0 with a capability list starting at `first`. */
static struct fake_fn *cap_fn(uint8_t first)
{
	fake_reset();
	struct fake_fn *f = fake_fn(0, 4, 0, 0x8086, 0x4444, 0x0C030000, 0x00);
	fake_caps_begin(f, first);
	return f;
}

static struct pci_device read_cap_fn(void)
{
	struct pci_device d;

	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 4, 0}, 0, &d), E_OK);
	CHECK(d.cap_count <= PCI_CAPS_MAX);
	CHECK_EQ(fake.bad_offsets, 0);
	return d;
}

static void test_cap_lists(void)
{
	struct fake_fn *f = cap_fn(0x40);
	fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x50, 0);
	fake_cap(f, 0x50, PCI_CAP_ID_VNDR, 0x40, 0); /* back to the first */
	struct pci_device d = read_cap_fn();
	CHECK_EQ(d.cap_count, 2);
	CHECK_EQ(d.cap_error, E_INVAL);

	fake_cap(cap_fn(0x40), 0x40, PCI_CAP_ID_PM, 0x40, 0); /* itself */
	d = read_cap_fn();
	CHECK(d.cap_count == 1 && d.cap_error == E_INVAL);

	cap_fn(0x10); /* into the header */
	d = read_cap_fn();
	CHECK(d.cap_count == 0 && d.cap_error == E_RANGE);
	fake_cap(cap_fn(0x40), 0x40, PCI_CAP_ID_PM, 0x3C, 0);
	d = read_cap_fn();
	CHECK(d.cap_count == 1 && d.cap_error == E_RANGE);

	f = cap_fn(0x43); /* the low two bits are reserved */
	fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x53, 0);
	fake_cap(f, 0x50, PCI_CAP_ID_EXP, 0x00, 0);
	d = read_cap_fn();
	CHECK(d.cap_count == 2 && d.caps[1].offset == 0x50 && d.cap_error == E_OK);

	f = cap_fn(0x40); /* every dword a capability: 48, the most there can be */
	for (unsigned off = 0x40; off < 0x100; off += 4)
		fake_cap(f, (uint8_t)off, PCI_CAP_ID_VNDR, (uint8_t)(off + 4 < 0x100 ? off + 4 : 0),
			 0);
	d = read_cap_fn();
	CHECK(d.cap_count == PCI_CAPS_MAX && d.cap_error == E_OK);
	f->cfg[0xFD] = 0x40;
	d = read_cap_fn();
	CHECK(d.cap_count == PCI_CAPS_MAX && d.cap_error == E_INVAL);

	f = cap_fn(0x40);
	fake_cap(f, 0x40, PCI_CAP_ID_PM, 0, 0);
	f->cfg[PCI_STATUS] &= (uint8_t)~PCI_STATUS_CAP_LIST; /* no list, whatever 0x34 says */
	d = read_cap_fn();
	CHECK_EQ(d.cap_count, 0);
}

static void test_cap_bounds(void)
{
	struct fake_fn *f = cap_fn(0xFF);
	fake_cap(f, 0xFC, PCI_CAP_ID_MSI, 0, 0x0180); /* would run past 0x100 */
	struct pci_device d = read_cap_fn();
	CHECK(d.cap_count == 1 && d.caps[0].offset == 0xFC && d.msi.offset == 0);

	fake_cap(cap_fn(0xE8), 0xE8, PCI_CAP_ID_MSI, 0, 0x018E); /* fits exactly */
	d = read_cap_fn();
	CHECK_EQ(d.msi.offset, 0xE8);
	CHECK(d.msi.is64 && d.msi.per_vector_mask);
	CHECK_EQ(d.msi.mask_offset, 0xF8);
	CHECK_EQ(d.msi.max_vectors, 32); /* reserved MMC 7 read as the most */
	fake_cap(cap_fn(0xEC), 0xEC, PCI_CAP_ID_MSI, 0, 0x0180);
	CHECK_EQ(read_cap_fn().msi.offset, 0);

	fake_cap(cap_fn(0xF8), 0xF8, PCI_CAP_ID_MSIX, 0, 0x07FF);
	CHECK_EQ(read_cap_fn().msix.offset, 0);
	fake_cap(cap_fn(0xF4), 0xF4, PCI_CAP_ID_MSIX, 0, 0x87FF);
	d = read_cap_fn();
	CHECK(d.msix.offset == 0xF4 && d.msix.table_size == 2048 && d.msix.enabled);

	f = cap_fn(0x40); /* two MSI capabilities: the first counts */
	fake_cap(f, 0x40, PCI_CAP_ID_MSI, 0x50, 0x0001);
	fake_cap(f, 0x50, PCI_CAP_ID_MSI, 0x00, 0x0080);
	d = read_cap_fn();
	CHECK(d.msi.offset == 0x40 && d.msi.enabled && !d.msi.is64);
}

static void test_header_layouts(void)
{
	struct pci_device d;
	struct fake_fn *f;

	fake_reset();
	f = fake_fn(0, 6, 0, 0x8086, 0x5555, 0xFF000000, 0x85); /* unknown layout 5 */
	fake_fn(0, 6, 1, 0x8086, 0x5556, 0x06040000, 0x01);
	put32(f->cfg + PCI_BAR0, 0xFEB00000);
	fake_caps_begin(f, 0x40);
	fake_irq(f, 1, 5);
	CHECK_EQ(
		pci_read_function(&fake_access, (struct pci_addr){0, 6, 0}, PCI_READ_SIZE_BARS, &d),
		E_OK);
	CHECK(d.header_type == 5 && d.multifunction && d.bar_count == 0);
	CHECK(d.cap_count == 0 && d.irq_pin == 0 && d.bars[0].type == PCI_BAR_NONE);
	CHECK_EQ(fake.writes, 0);
	CHECK_EQ(scan(0, 0, PCI_READ_SIZE_BARS), 2);

	f = &fake.fns[0][6][1]; /* a PCI-to-PCI bridge: two BARs, bus numbers */
	fake_bar(f, 0, 0xFE000000, 1u << 20);
	put32(f->cfg + 0x18, 0x00020100); /* primary 0, secondary 1, subordinate 2 */
	fake_caps_begin(f, 0x40);
	fake_cap(f, 0x40, PCI_CAP_ID_EXP, 0, 0);
	CHECK_EQ(scan(0, 0, PCI_READ_SIZE_BARS), 2);
	const struct pci_device *b = found_at(0, 6, 1);
	CHECK(b->header_type == 1 && b->bar_count == 2);
	check_bar(b, 0, PCI_BAR_MEM32, 0xFE000000, 1u << 20, false);
	CHECK(b->bars[2].type == PCI_BAR_NONE);
	CHECK(b->secondary_bus == 1 && b->subordinate_bus == 2 && b->cap_count == 1);

	f = fake_fn(0, 7, 0, 0x104C, 0xAC56, 0x06070000, 0x02); /* CardBus: list at 0x14 */
	fake_caps_begin(f, 0);
	f->cfg[PCI_CAP_PTR_CB] = 0x80;
	fake_cap(f, 0x80, PCI_CAP_ID_PM, 0, 0);
	CHECK_EQ(pci_read_function(&fake_access, (struct pci_addr){0, 7, 0}, 0, &d), E_OK);
	CHECK(d.bar_count == 1 && d.cap_count == 1 && d.caps[0].offset == 0x80);
	CHECK_EQ(fake.bad_offsets, 0);
}

static void test_bar_oddities(void)
{
	fake_reset();
	struct fake_fn *f = fake_fn(0, 8, 0, 0x8086, 0x6666, 0x02000000, 0x00);
	fake_command(f, PCI_CMD_MEMORY);
	fake_bar(f, 0, 0x0000000400000000ull | 0xC, 8ull << 30); /* 8 GiB, 64-bit prefetchable */
	fake_bar(f, 2, 0xFEA00000, 4096);
	f->bar_mask[2] = 0xFFF0F000;		   /* decodes a hole: the lowest bit is the size */
	put32(f->cfg + PCI_BAR0 + 12, 0x00000006); /* BAR3: reserved memory type */
	f->bar_flags[3] = 0x6;
	put32(f->cfg + PCI_BAR0 + 16, 0x00000001); /* BAR4: I/O that decodes nothing */
	f->bar_flags[4] = 0x1;
	put32(f->cfg + PCI_BAR0 + 20, 0xFE000004); /* BAR5: 64-bit with no upper half */
	f->bar_flags[5] = 0x4;
	f->bar_mask[5] = 0xFFFFF000;
	struct pci_device d;
	CHECK_EQ(
		pci_read_function(&fake_access, (struct pci_addr){0, 8, 0}, PCI_READ_SIZE_BARS, &d),
		E_OK);
	check_bar(&d, 0, PCI_BAR_MEM64, 0x400000000ull, 8ull << 30, true);
	check_bar(&d, 2, PCI_BAR_MEM32, 0xFEA00000, 4096, false);
	CHECK_EQ(d.bars[3].type, PCI_BAR_NONE);
	CHECK_EQ(d.bars[4].type, PCI_BAR_NONE);
	CHECK_EQ(d.bars[5].type, PCI_BAR_NONE);
	CHECK_EQ(fake.sized_decoding, 0);
	CHECK_EQ(fake.bad_offsets, 0);
	CHECK_EQ(get32(f->cfg + PCI_COMMAND) & 0xFFFF, PCI_CMD_MEMORY);
	CHECK_EQ(get32(f->cfg + PCI_BAR0), 0xC);
	CHECK_EQ(get32(f->cfg + PCI_BAR0 + 4), 4);
}

int main(void)
{
	test_q35();
	test_no_sizing();
	test_scan_rules();
	test_cap_lists();
	test_cap_bounds();
	test_header_layouts();
	test_bar_oddities();
	return check_summary("pci");
}
