/* SPDX-License-Identifier: MIT */
/*
 * Inside the PCI library: the capability walk (pci_cap.c) that
 * pci_read_function (pci.c) runs after the header and the BARs.
 */
#pragma once

#include "pci/pci.h"

/* Fill caps, cap_count, cap_error, msi and msix of `d` (header read). */
void pci_read_caps(const struct pci_access *pa, struct pci_device *d);
