/* SPDX-License-Identifier: MIT */
/*
 * Inside the manifest parser: slices of the text, the parser state, and the
 * helpers manifest.c (lines, words, numbers) shares with manifest_keys.c
 * (one setter per key, sections and the checks over the whole set),
 * manifest_devices.c (the hardware keys) and manifest_pci.c (the PCI keys).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest/manifest.h"

/* Part of the text: not NUL-terminated. */
struct mf_slice {
	const char *s;
	size_t n;
};

struct mf_parser {
	struct manifest *out;
	size_t max, count;
	struct manifest *cur; /* the section being read, or NULL before the first */
	uint32_t seen;	      /* one bit per key already set in this section */
	uint32_t line;
	struct manifest_error *err;
};

/* Record an error at the current line; returns -1. */
int mf_error(struct mf_parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct mf_slice mf_trim(struct mf_slice s);
bool mf_eq(struct mf_slice s, const char *word);
int mf_shown(struct mf_slice s);
bool mf_number(struct mf_slice s, uint64_t *out);
bool mf_next_item(struct mf_slice *rest, struct mf_slice *item);
int mf_name(struct mf_parser *ps, struct mf_slice s, char dst[MANIFEST_NAME_MAX], const char *what);
int mf_bounded(struct mf_parser *ps, struct mf_slice v, uint64_t lo, uint64_t hi, uint64_t *out,
	       const char *key);
int mf_choice(struct mf_parser *ps, struct mf_slice v, const char *const *words, unsigned count,
	      const char *key, uint8_t *out);

int mf_set_restart(struct mf_parser *ps, struct mf_slice v);
int mf_set_recovery(struct mf_parser *ps, struct mf_slice v);
int mf_set_autostart(struct mf_parser *ps, struct mf_slice v);

/* manifest_devices.c: irq, ioport, devmem, dma */
int mf_set_irq(struct mf_parser *ps, struct mf_slice v);
int mf_set_ioport(struct mf_parser *ps, struct mf_slice v);
int mf_set_devmem(struct mf_parser *ps, struct mf_slice v);
int mf_set_dma(struct mf_parser *ps, struct mf_slice v);

/* manifest_pci.c: pci, pci_class, msi, msix; the section check */
int mf_set_pci(struct mf_parser *ps, struct mf_slice v);
int mf_set_pci_class(struct mf_parser *ps, struct mf_slice v);
int mf_set_msi(struct mf_parser *ps, struct mf_slice v);
int mf_set_msix(struct mf_parser *ps, struct mf_slice v);
int mf_check_pci(struct mf_parser *ps, const struct manifest *m);

/* manifest_keys.c */
int mf_section(struct mf_parser *ps, struct mf_slice line);
int mf_section_end(struct mf_parser *ps);
int mf_assignment(struct mf_parser *ps, struct mf_slice line);
int mf_check_set(struct mf_parser *ps);
