/* SPDX-License-Identifier: MIT */
/*
 * Configuration space through one mapped page: what a driver has of its
 * function when init grants it "pci.config" (the function's 4 KiB of ECAM).
 * The access's ctx is where the page is mapped; bus, device and function
 * are the granted function's and are not looked at.
 */
#include "pci/pci.h"

uint32_t pci_page_read32(void *page, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	(void)bus, (void)dev, (void)fn;
	return *(volatile uint32_t *)((uintptr_t)page + (off & 0xFFC));
}

void pci_page_write32(void *page, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
	(void)bus, (void)dev, (void)fn;
	*(volatile uint32_t *)((uintptr_t)page + (off & 0xFFC)) = v;
}
