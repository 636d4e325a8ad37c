/* SPDX-License-Identifier: MIT */
/*
 * The manifest's PCI keys (manifest/manifest.h): `pci = VVVV:DDDD` (vendor
 * and device, hex), `pci_class = CC:SS[:PP]` (class, subclass and
 * programming interface, hex), and the interrupt vectors to grant with the
 * function, `msi = N` (a power of two up to 32) or `msix = N` (1-16). Each
 * value is checked before it is stored; the checks that need the whole
 * section (vectors without a function, MSI and MSI-X together) run at its
 * end.
 */
#include <string.h>

#include "manifest_impl.h"

/* 1 to `digits` hex digits without 0x, at most `max`. */
static bool hex_field(struct mf_slice s, unsigned digits, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (s.n == 0 || s.n > digits)
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return false;
		v = v * 16 + (uint64_t)d;
	}
	*out = v;
	return v <= max;
}

/* Up to `max` colon-separated hex fields of `digits` digits; how many there were, or -1. */
static int hex_fields(struct mf_slice v, unsigned digits, uint64_t *out, int max)
{
	int n = 0;

	while (n < max) {
		const char *colon = memchr(v.s, ':', v.n);
		struct mf_slice f = {v.s, colon ? (size_t)(colon - v.s) : v.n};
		if (!hex_field(f, digits, (1ull << (4 * digits)) - 1, &out[n++]))
			return -1;
		if (!colon)
			return n;
		v = (struct mf_slice){colon + 1, v.n - f.n - 1};
	}
	return -1; /* more fields than allowed */
}

int mf_set_pci(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest_pci *p = &ps->cur->pci;
	uint64_t f[2];

	if (hex_fields(v, 4, f, 2) != 2)
		return mf_error(ps, "pci: expected vendor:device in hex (1b36:000d), got '%.*s'",
				mf_shown(v), v.s);
	if (f[0] == 0 || f[0] == 0xFFFF)
		return mf_error(ps, "pci: vendor %04llx is not a vendor", (unsigned long long)f[0]);
	p->vendor = (uint16_t)f[0];
	p->device = (uint16_t)f[1];
	p->match |= MANIFEST_PCI_ID;
	return 0;
}

int mf_set_pci_class(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest_pci *p = &ps->cur->pci;
	uint64_t f[3];
	int n = hex_fields(v, 2, f, 3);

	if (n < 2)
		return mf_error(ps,
				"pci_class: expected class:subclass[:prog-if] in hex (0c:03:30), "
				"got '%.*s'",
				mf_shown(v), v.s);
	p->class_code = (uint8_t)f[0];
	p->subclass = (uint8_t)f[1];
	p->match |= MANIFEST_PCI_CLASS;
	if (n == 3) {
		p->prog_if = (uint8_t)f[2];
		p->match |= MANIFEST_PCI_PROG_IF;
	}
	return 0;
}

int mf_set_msi(struct mf_parser *ps, struct mf_slice v)
{
	uint64_t n;

	if (mf_bounded(ps, v, 1, MANIFEST_MAX_MSI, &n, "msi") < 0)
		return -1;
	if (n & (n - 1))
		return mf_error(ps, "msi: %llu is not a power of two", (unsigned long long)n);
	ps->cur->pci.msi = (uint8_t)n;
	return 0;
}

int mf_set_msix(struct mf_parser *ps, struct mf_slice v)
{
	uint64_t n;

	if (mf_bounded(ps, v, 1, MANIFEST_MAX_MSIX, &n, "msix") < 0)
		return -1;
	ps->cur->pci.msix = (uint8_t)n;
	return 0;
}

/* At the end of a section: vectors need a function, and a function uses MSI or MSI-X. */
int mf_check_pci(struct mf_parser *ps, const struct manifest *m)
{
	const struct manifest_pci *p = &m->pci;

	if ((p->msi || p->msix) && !p->match)
		return mf_error(ps, "service '%s': msi or msix needs pci or pci_class", m->name);
	if (p->msi && p->msix)
		return mf_error(ps, "service '%s': msi and msix together (a function uses one)",
				m->name);
	return 0;
}

unsigned manifest_pci_handle_count(const struct manifest *m)
{
	if (!m->pci.match)
		return 0;
	return 1 + MANIFEST_PCI_BARS + m->pci.msi + m->pci.msix;
}
