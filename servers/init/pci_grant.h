/* SPDX-License-Identifier: MIT */
/*
 * init's PCI grants (pci_grant.c): what init keeps for a service whose
 * manifest names a PCI function (pci, pci_class, msi, msix). Found and made
 * once, at the service's first start, and kept across its restarts, like
 * its other hardware objects: the function's ECAM page, its BARs and its
 * MSI or MSI-X IRQ objects; each instance gets copies.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "manifest/manifest.h"
#include "sys/handle.h"
#include "sys/start.h"

#define PCI_GRANT_BARS 6

struct pci_grant {
	bool found;	   /* the function was found and every object made */
	bool told_missing; /* the line about no matching function is out */
	struct start_pci_function fn;
	handle_t config;		   /* its 4 KiB of ECAM (exclusive device memory) */
	handle_t bars[PCI_GRANT_BARS];	   /* device memory or a port range, or none */
	uint32_t bar_size[PCI_GRANT_BARS]; /* bytes, or ports */
	handle_t irqs[MANIFEST_MAX_MSI];   /* MSI or MSI-X vectors 0..irq_count-1 */
	uint8_t irq_count;
};

struct service;
struct svc_grant;

/*
 * Find s's PCI function and make its objects, once. No matching function
 * (or no ECAM) leaves it out with one line; an object the kernel refuses
 * gives a `svc:` line and the error, with nothing kept.
 */
long pci_prepare(struct service *s);
/* The index-th PCI start handle: pci.config, pci.bar<n>..., irq.msi<i>/irq.msix<i>. */
long pci_grant(struct service *s, uint32_t index, struct svc_grant *g);
/* Clear the Bus Master Enable of s's function (if it has one): before its instance is killed. */
void pci_quiesce(struct service *s);
