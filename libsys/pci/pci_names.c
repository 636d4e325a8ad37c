/* SPDX-License-Identifier: MIT */
/*
 * Human-readable PCI names for lspci (pci/pci.h): device classes (after
 * the PCI Code and ID Assignment specification), a few vendors seen under
 * QEMU and on common hardware, and capability ids. One table per kind,
 * searched in order, so the most specific entry of a class comes first.
 */
#include <stddef.h>

#include "pci/pci.h"
#include "sys/units.h"

#define ANY (-1)

struct class_name {
	int16_t class_code, subclass, prog_if; /* ANY matches every value */
	const char *name;
};

static const struct class_name class_names[] = {
	{0x00, 0x00, ANY, "Non-VGA unclassified device"},
	{0x00, 0x01, ANY, "VGA-compatible unclassified device"},
	{0x01, 0x00, ANY, "SCSI storage controller"},
	{0x01, 0x01, ANY, "IDE interface"},
	{0x01, 0x02, ANY, "Floppy disk controller"},
	{0x01, 0x04, ANY, "RAID bus controller"},
	{0x01, 0x05, ANY, "ATA controller"},
	{0x01, 0x06, 0x01, "SATA controller (AHCI)"},
	{0x01, 0x06, ANY, "SATA controller"},
	{0x01, 0x07, ANY, "Serial Attached SCSI controller"},
	{0x01, 0x08, 0x02, "Non-volatile memory controller (NVMe)"},
	{0x01, 0x08, ANY, "Non-volatile memory controller"},
	{0x02, 0x00, ANY, "Ethernet controller"},
	{0x02, 0x80, ANY, "Network controller"},
	{0x03, 0x00, ANY, "VGA controller"},
	{0x03, 0x01, ANY, "XGA controller"},
	{0x03, 0x02, ANY, "3D controller"},
	{0x04, 0x00, ANY, "Multimedia video controller"},
	{0x04, 0x01, ANY, "Multimedia audio controller"},
	{0x04, 0x03, ANY, "Audio device"},
	{0x05, 0x00, ANY, "RAM memory"},
	{0x05, 0x01, ANY, "Flash memory"},
	{0x06, 0x00, ANY, "Host bridge"},
	{0x06, 0x01, ANY, "ISA bridge"},
	{0x06, 0x02, ANY, "EISA bridge"},
	{0x06, 0x04, ANY, "PCI bridge"},
	{0x06, 0x07, ANY, "CardBus bridge"},
	{0x07, 0x00, ANY, "Serial controller"},
	{0x07, 0x01, ANY, "Parallel controller"},
	{0x08, 0x00, ANY, "PIC"},
	{0x08, 0x01, ANY, "DMA controller"},
	{0x08, 0x02, ANY, "Timer"},
	{0x08, 0x03, ANY, "RTC"},
	{0x08, 0x05, ANY, "SD host controller"},
	{0x08, 0x06, ANY, "IOMMU"},
	{0x09, 0x00, ANY, "Keyboard controller"},
	{0x09, 0x02, ANY, "Mouse controller"},
	{0x0C, 0x00, ANY, "FireWire (IEEE 1394)"},
	{0x0C, 0x03, 0x00, "USB controller (UHCI)"},
	{0x0C, 0x03, 0x10, "USB controller (OHCI)"},
	{0x0C, 0x03, 0x20, "USB controller (EHCI)"},
	{0x0C, 0x03, 0x30, "USB controller (xHCI)"},
	{0x0C, 0x03, ANY, "USB controller"},
	{0x0C, 0x05, ANY, "SMBus"},
	/* whole classes, after every more specific entry */
	{0x00, ANY, ANY, "Unclassified device"},
	{0x01, ANY, ANY, "Mass storage controller"},
	{0x02, ANY, ANY, "Network controller"},
	{0x03, ANY, ANY, "Display controller"},
	{0x04, ANY, ANY, "Multimedia controller"},
	{0x05, ANY, ANY, "Memory controller"},
	{0x06, ANY, ANY, "Bridge"},
	{0x07, ANY, ANY, "Communication controller"},
	{0x08, ANY, ANY, "Generic system peripheral"},
	{0x09, ANY, ANY, "Input device controller"},
	{0x0A, ANY, ANY, "Docking station"},
	{0x0B, ANY, ANY, "Processor"},
	{0x0C, ANY, ANY, "Serial bus controller"},
	{0x0D, ANY, ANY, "Wireless controller"},
	{0x0E, ANY, ANY, "Intelligent controller"},
	{0x0F, ANY, ANY, "Satellite communications controller"},
	{0x10, ANY, ANY, "Encryption controller"},
	{0x11, ANY, ANY, "Signal processing controller"},
	{0x12, ANY, ANY, "Processing accelerator"},
	{0x13, ANY, ANY, "Non-essential instrumentation"},
	{0x40, ANY, ANY, "Coprocessor"},
	{0xFF, ANY, ANY, "Unassigned class"},
};

static bool field_matches(int16_t want, uint8_t value)
{
	return want == ANY || want == value;
}

const char *pci_class_name(uint8_t class_code, uint8_t subclass, uint8_t prog_if)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_names); i++) {
		const struct class_name *c = &class_names[i];
		if (field_matches(c->class_code, class_code) &&
		    field_matches(c->subclass, subclass) && field_matches(c->prog_if, prog_if))
			return c->name;
	}
	return "Unknown class";
}

struct id_name {
	uint16_t id;
	const char *name;
};

static const struct id_name vendor_names[] = {
	{0x1002, "AMD/ATI"},
	{0x1022, "AMD"},
	{0x10DE, "NVIDIA"},
	{0x10EC, "Realtek"},
	{0x1234, "QEMU/Bochs"},
	{0x15AD, "VMware"},
	{0x1AF4, "Red Hat (virtio)"},
	{0x1B36, "Red Hat (QEMU)"},
	{0x8086, "Intel"},
	{0x80EE, "VirtualBox"},
};

static const struct id_name cap_names[] = {
	{PCI_CAP_ID_PM, "Power Management"},
	{0x02, "AGP"},
	{0x03, "Vital Product Data"},
	{0x04, "Slot Identification"},
	{PCI_CAP_ID_MSI, "MSI"},
	{0x06, "CompactPCI Hot Swap"},
	{0x07, "PCI-X"},
	{0x08, "HyperTransport"},
	{PCI_CAP_ID_VNDR, "Vendor Specific"},
	{0x0A, "Debug port"},
	{0x0C, "Hot-plug"},
	{0x0D, "Bridge subsystem vendor"},
	{PCI_CAP_ID_EXP, "PCI Express"},
	{PCI_CAP_ID_MSIX, "MSI-X"},
	{PCI_CAP_ID_SATA, "SATA"},
	{0x13, "Advanced Features"},
};

static const char *id_lookup(const struct id_name *t, size_t n, uint16_t id, const char *none)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return none;
}

const char *pci_vendor_name(uint16_t vendor)
{
	return id_lookup(vendor_names, ARRAY_SIZE(vendor_names), vendor, "");
}

const char *pci_cap_name(uint8_t id)
{
	return id_lookup(cap_names, ARRAY_SIZE(cap_names), id, "Unknown");
}
