/* SPDX-License-Identifier: MIT */
/*
 * The manifest's hardware keys (manifest/manifest.h): irq (GSIs), ioport (port
 * ranges), devmem (the boot framebuffer, PCI ECAM, or physical ranges) and
 * dma, each value checked before it is stored; and the count of start
 * handles a service gets. The supervisor turns these keys into handles
 * named after them (irq:4, ioport:3f8, devmem:fee00000, ...), so a GSI may
 * be listed once and ranges of one key may not overlap: no two handles of
 * a service can have the same name.
 */
#include <string.h>

#include "manifest_impl.h"

int mf_set_irq(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest *m = ps->cur;
	struct mf_slice item;
	uint64_t n;

	while (mf_next_item(&v, &item)) {
		if (m->irq_count == MANIFEST_MAX_IRQS)
			return mf_error(ps, "irq: too many entries (max %d)", MANIFEST_MAX_IRQS);
		if (mf_bounded(ps, item, 0, MANIFEST_MAX_GSI, &n, "irq") < 0)
			return -1;
		for (uint8_t i = 0; i < m->irq_count; i++)
			if (m->irqs[i] == n)
				return mf_error(ps, "irq: %u listed twice", (unsigned)n);
		m->irqs[m->irq_count++] = (uint8_t)n;
	}
	return 0;
}

/* Split "a<sep>b" into a and b; false (b empty) without the separator. */
static bool split_at(struct mf_slice item, char sep, struct mf_slice *a, struct mf_slice *b)
{
	const char *at = memchr(item.s, sep, item.n);

	*a = item;
	*b = (struct mf_slice){NULL, 0};
	if (!at)
		return false;
	a->n = (size_t)(at - item.s);
	*b = (struct mf_slice){at + 1, item.n - a->n - 1};
	return true;
}

/* "first-last" or one port. */
static int port_range(struct mf_parser *ps, struct mf_slice item, struct manifest_range *r)
{
	struct mf_slice a, b;
	bool pair = split_at(item, '-', &a, &b);
	uint64_t first, last;

	if (mf_bounded(ps, a, 0, 0xFFFF, &first, "ioport") < 0)
		return -1;
	last = first;
	if (pair && mf_bounded(ps, b, first, 0xFFFF, &last, "ioport") < 0)
		return -1;
	*r = (struct manifest_range){first, last - first + 1};
	return 0;
}

/* "first-last" (inclusive) or "base+size", in whole pages. */
static int mem_range(struct mf_parser *ps, struct mf_slice item, struct manifest_range *r)
{
	struct mf_slice a, b;
	bool plus = split_at(item, '+', &a, &b);
	uint64_t x, y;

	if (!plus && !split_at(item, '-', &a, &b))
		return mf_error(ps,
				"devmem: expected framebuffer, ecam, first-last or base+size, "
				"got '%.*s'",
				mf_shown(item), item.s);
	if (mf_bounded(ps, a, 0, UINT64_MAX, &x, "devmem") < 0 ||
	    mf_bounded(ps, b, plus ? 1 : x, UINT64_MAX, &y, "devmem") < 0)
		return -1;
	uint64_t size = plus ? y : y - x + 1;
	if ((x & 0xFFF) || (size & 0xFFF) || size == 0 || x + size < x)
		return mf_error(ps, "devmem: '%.*s' is not whole pages", mf_shown(item), item.s);
	*r = (struct manifest_range){x, size};
	return 0;
}

static bool overlap(const struct manifest_range *a, const struct manifest_range *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* Append r to list[*count] unless the list is full or r overlaps an entry. */
static int add_range(struct mf_parser *ps, struct mf_slice item, struct manifest_range *list,
		     uint8_t *count, const struct manifest_range *r, const char *key)
{
	if (*count == MANIFEST_MAX_RANGES)
		return mf_error(ps, "%s: too many entries (max %d)", key, MANIFEST_MAX_RANGES);
	for (uint8_t i = 0; i < *count; i++)
		if (overlap(&list[i], r))
			return mf_error(ps, "%s: '%.*s' overlaps an earlier range", key,
					mf_shown(item), item.s);
	list[(*count)++] = *r;
	return 0;
}

int mf_set_ioport(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest *m = ps->cur;
	struct mf_slice item;
	struct manifest_range r;

	while (mf_next_item(&v, &item))
		if (port_range(ps, item, &r) < 0 ||
		    add_range(ps, item, m->ioports, &m->ioport_count, &r, "ioport") < 0)
			return -1;
	return 0;
}

/* A named region ("framebuffer", "ecam"): at most once. */
static int set_flag(struct mf_parser *ps, uint8_t *flag, const char *name)
{
	if (*flag)
		return mf_error(ps, "devmem: '%s' listed twice", name);
	*flag = 1;
	return 0;
}

int mf_set_devmem(struct mf_parser *ps, struct mf_slice v)
{
	struct manifest *m = ps->cur;
	struct mf_slice item;
	struct manifest_range r;

	while (mf_next_item(&v, &item)) {
		int err;
		if (mf_eq(item, "framebuffer"))
			err = set_flag(ps, &m->framebuffer, "framebuffer");
		else if (mf_eq(item, "ecam"))
			err = set_flag(ps, &m->ecam, "ecam");
		else
			err = mem_range(ps, item, &r) < 0
				      ? -1
				      : add_range(ps, item, m->devmem, &m->devmem_count, &r,
						  "devmem");
		if (err < 0)
			return -1;
	}
	return 0;
}

int mf_set_dma(struct mf_parser *ps, struct mf_slice v)
{
	static const char *const no_yes[] = {"no", "yes"};

	return mf_choice(ps, v, no_yes, 2, "dma", &ps->cur->dma);
}

static bool calls_ns(const struct manifest *m)
{
	for (uint8_t i = 0; i < m->calls_count; i++)
		if (strcmp(m->calls[i], "ns") == 0)
			return true;
	return false;
}

unsigned manifest_handle_count(const struct manifest *m)
{
	unsigned endpoints = m->serves_count + m->calls_count + (calls_ns(m) ? 0 : 1);
	unsigned memory = (m->state_pages ? 1 : 0) + m->framebuffer + m->ecam + m->devmem_count;

	return endpoints + memory + m->irq_count + m->ioport_count + m->dma +
	       manifest_pci_handle_count(m);
}
