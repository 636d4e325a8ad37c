/* SPDX-License-Identifier: MIT */
/*
 * PCI functions for services (manifest pci / pci_class / msi / msix). At a
 * service's first start init scans PCI through ECAM (mapped one bus at a
 * time into a window of its own) for the first function that matches every
 * id the manifest gives and that no other service holds, sizes its BARs
 * (once, before any driver of it runs), and makes exactly that function's
 * objects from its resource handles:
 *
 *   pci.config   its 4 KiB of ECAM, exclusive device memory
 *   pci.bar<n>   each memory BAR of whole pages as exclusive device memory,
 *                each I/O BAR as a port range (a sub-page memory BAR would
 *                share its page with another device: it is left out)
 *   irq.msix<i>  MSI-X vectors, the kernel told where each entry's mask bit
 *                is (vector control in the table's BAR)
 *   irq.msi<i>   MSI vectors: a block aligned to its size (the device ORs
 *                the vector number into the data), with the mask bits in
 *                the config page when the function has per-vector masking
 *
 * "Exclusive" device memory means no other exclusive object may cover the
 * same pages while it lives (sys/device.h), so two services can never drive
 * one function. Everything is kept for ever, as the other hardware objects.
 */
#include <string.h>

#include "init.h"
#include "pci/pci.h"
#include "sys/device.h"
#include "sys/fmt.h"
#include "sys/stdio.h"

#define ECAM_WINDOW_VA 0x00006d0000000000ull /* one bus of ECAM, while scanning */
#define QUIESCE_VA     0x00006d8000000000ull /* a function's config page, while quiescing it */
#define BUS_SHIFT      20
#define BUS_BYTES      (1ull << BUS_SHIFT)
#define PAGE	       4096u
#define DEVMEM_MAX     (1ull << 30) /* a memory object's largest size */
#define PORTS_END      0x10000u
#define NO_BUS	       (-1)
#define MEMORY_COPY    (R_READ | R_WRITE | R_TRANSFER)
#define DEVICE_COPY    R_TRANSFER

static handle_t resource(const char *kind)
{
	return start_handle(kind, NULL);
}

static long refused(const struct service *s, const char *name, unsigned n, long err)
{
	char what[START_NAME_MAX];

	snprintf(what, sizeof(what), name, n);
	printf("svc: %s: cannot make its %s: %s\n", s->m.name, what, sys_error_name(err));
	return err;
}

/* ---- configuration space through a one-bus ECAM window ---- */

struct ecam_window {
	handle_t ecam;
	uint64_t bytes;
	const struct start_pci *pci;
	int bus; /* mapped at ECAM_WINDOW_VA, or NO_BUS */
};

static bool window_map(struct ecam_window *w, uint8_t bus)
{
	uint64_t offset = (uint64_t)(bus - w->pci->bus_start) << BUS_SHIFT;

	if (w->bus == bus)
		return true;
	if (w->bus != NO_BUS)
		sys_unmap(HANDLE_SELF, ECAM_WINDOW_VA, BUS_BYTES);
	w->bus = NO_BUS;
	if (bus < w->pci->bus_start || bus > w->pci->bus_end || offset + BUS_BYTES > w->bytes)
		return false;
	if (sys_mobj_map(HANDLE_SELF, w->ecam, ECAM_WINDOW_VA, offset, BUS_BYTES,
			 R_READ | R_WRITE) < 0)
		return false;
	w->bus = bus;
	return true;
}

static volatile uint32_t *window_at(uint8_t dev, uint8_t fn, uint16_t off)
{
	return (volatile uint32_t *)(ECAM_WINDOW_VA + ((uint64_t)dev << 15) + ((uint64_t)fn << 12) +
				     (off & 0xFFC));
}

static uint32_t ecam_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
	return window_map(ctx, bus) ? *window_at(dev, fn, off) : 0xFFFFFFFFu;
}

static void ecam_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
	if (window_map(ctx, bus))
		*window_at(dev, fn, off) = v;
}

static void window_close(struct ecam_window *w)
{
	if (w->bus != NO_BUS)
		sys_unmap(HANDLE_SELF, ECAM_WINDOW_VA, BUS_BYTES);
	w->bus = NO_BUS;
}

/* ---- finding the function ---- */

struct finder {
	const struct service *s;
	struct pci_addr addr;
	bool found;
};

static bool matches(const struct manifest_pci *want, const struct pci_device *d)
{
	if (d->header_type != 0)
		return false; /* bridges are not for drivers */
	if ((want->match & MANIFEST_PCI_ID) &&
	    (d->vendor != want->vendor || d->device != want->device))
		return false;
	if ((want->match & MANIFEST_PCI_CLASS) &&
	    (d->class_code != want->class_code || d->subclass != want->subclass))
		return false;
	return !(want->match & MANIFEST_PCI_PROG_IF) || d->prog_if == want->prog_if;
}

static bool held_by_another(const struct service *s, struct pci_addr a)
{
	for (uint32_t i = 0; i < sup.count; i++) {
		const struct pci_grant *p = &sup.services[i].pci;
		if (&sup.services[i] != s && p->found && p->fn.bus == a.bus && p->fn.dev == a.dev &&
		    p->fn.fn == a.fn)
			return true;
	}
	return false;
}

static int visit(void *arg, const struct pci_device *d)
{
	struct finder *f = arg;

	if (!matches(&f->s->m.pci, d) || held_by_another(f->s, d->addr))
		return 0;
	f->addr = d->addr;
	f->found = true;
	return 1; /* stop the scan */
}

/* The function for s, read with its BARs sized; E_NOENT if there is none. */
static long find_function(const struct service *s, struct pci_device *out)
{
	const struct start_pci *pci = &start_info()->pci;
	uint32_t bytes = 0;
	handle_t ecam = devices_ecam(&bytes);
	struct ecam_window w = {ecam, bytes, pci, NO_BUS};
	struct pci_access pa = {ecam_read32, ecam_write32, &w};
	struct finder f = {.s = s};

	if (ecam == HANDLE_INVALID)
		return E_NOENT;
	pci_scan(&pa, pci->bus_start, pci->bus_end, 0, visit, &f, NULL);
	long err = f.found ? pci_read_function(&pa, f.addr, PCI_READ_SIZE_BARS, out) : E_NOENT;
	window_close(&w);
	return err;
}

/* ---- the objects ---- */

static long make_config(struct service *s, const struct pci_device *d)
{
	const struct start_pci *pci = &start_info()->pci;
	uint64_t phys = pci->ecam_base + ((uint64_t)d->addr.bus << BUS_SHIFT) +
			((uint64_t)d->addr.dev << 15) + ((uint64_t)d->addr.fn << 12);
	long h = sys_devmem_create_flags(resource("devmem"), phys, PAGE, DEVMEM_EXCLUSIVE);

	if (h < 0)
		return refused(s, "pci.config", 0, h);
	s->pci.config = (handle_t)h;
	return E_OK;
}

static bool whole_pages(const struct pci_bar *b)
{
	return b->base && !(b->base % PAGE) && b->size >= PAGE && !(b->size % PAGE) &&
	       b->size <= DEVMEM_MAX;
}

/* A memory BAR as exclusive device memory, an I/O BAR as a port range; 0: not granted. */
static long bar_object(const struct service *s, const struct pci_bar *b, unsigned i)
{
	if (b->type == PCI_BAR_IO)
		return b->size && b->base + b->size <= PORTS_END
			       ? sys_ioport_create(resource("ioport"), (uint16_t)b->base,
						   (uint32_t)b->size)
			       : 0;
	if (b->type != PCI_BAR_MEM32 && b->type != PCI_BAR_MEM64)
		return 0;
	if (whole_pages(b))
		return sys_devmem_create_flags(resource("devmem"), b->base, b->size,
					       DEVMEM_EXCLUSIVE);
	printf("svc: %s: pci.bar%u (%#lx bytes at %#lx) is not whole pages; not granted\n",
	       s->m.name, i, (unsigned long)b->size, (unsigned long)b->base);
	return 0;
}

static long make_bars(struct service *s, const struct pci_device *d)
{
	for (unsigned i = 0; i < d->bar_count && i < PCI_GRANT_BARS; i++) {
		long h = bar_object(s, &d->bars[i], i);
		if (h < 0)
			return refused(s, "pci.bar%u", i, h);
		if (h == 0)
			continue;
		s->pci.bars[i] = (handle_t)h;
		s->pci.bar_size[i] = (uint32_t)d->bars[i].size;
		s->pci.fn.bars |= (uint8_t)(1u << i);
		if (d->bars[i].type == PCI_BAR_IO)
			s->pci.fn.bars_io |= (uint8_t)(1u << i);
	}
	return E_OK;
}

/* Tell the kernel where vector `irq`'s mask bit is: the config page or a memory BAR. */
static long mask_at(struct service *s, handle_t irq, const struct pci_mask_place *p)
{
	handle_t where = HANDLE_INVALID;

	if (p->bar == PCI_MASK_IN_CONFIG)
		where = s->pci.config;
	else if (p->bar < PCI_GRANT_BARS && !(s->pci.fn.bars_io & (1u << p->bar)))
		where = s->pci.bars[p->bar];
	if (where == HANDLE_INVALID)
		return E_NOENT; /* the table's BAR was not granted */
	return sys_irq_set_mask(irq, where, p->offset, p->bit);
}

/* The function has fewer vectors of that kind than the manifest asks for. */
static long too_few(const struct service *s, const char *kind, unsigned have, unsigned want)
{
	printf("svc: %s: its PCI function has %u %s vectors, not %u\n", s->m.name, have, kind,
	       want);
	return E_RANGE;
}

static long make_msix(struct service *s, const struct pci_device *d)
{
	unsigned n = s->m.pci.msix;

	if (!d->msix.offset || n > d->msix.table_size)
		return too_few(s, "MSI-X", d->msix.offset ? d->msix.table_size : 0, n);
	for (unsigned i = 0; i < n; i++) {
		struct pci_mask_place p;
		long h = sys_irq_create(resource("irq"), 0, IRQ_MSI);
		if (h < 0)
			return refused(s, "irq.msix%u", i, h);
		s->pci.irqs[s->pci.irq_count++] = (handle_t)h;
		long err = pci_msix_mask_place(d, (uint16_t)i, &p);
		if (err == E_OK)
			err = mask_at(s, (handle_t)h, &p);
		if (err < 0)
			return refused(s, "irq.msix%u", i, err);
	}
	return E_OK;
}

static void close_irqs(struct pci_grant *p)
{
	while (p->irq_count)
		sys_handle_close(p->irqs[--p->irq_count]);
}

/* Vectors base..base+n-1, each claimed exactly; all or none. */
static long claim_block(struct service *s, unsigned base, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		long h = sys_irq_create(resource("irq"), base + i, IRQ_MSI);
		if (h < 0) {
			close_irqs(&s->pci);
			return h;
		}
		s->pci.irqs[s->pci.irq_count++] = (handle_t)h;
	}
	return E_OK;
}

static long make_msi(struct service *s, const struct pci_device *d)
{
	unsigned n = s->m.pci.msi;
	long err = E_NOSPACE;

	if (!d->msi.offset || n > d->msi.max_vectors)
		return too_few(s, "MSI", d->msi.offset ? d->msi.max_vectors : 0, n);
	for (unsigned base = IRQ_MSI_VECTOR_FIRST; err < 0 && base + n - 1 <= IRQ_MSI_VECTOR_LAST;
	     base += n)
		err = claim_block(s, base, n); /* the first vector is a multiple of n */
	if (err < 0)
		return refused(s, "irq.msi%u", 0, err);
	for (unsigned i = 0; i < n && d->msi.per_vector_mask; i++) {
		struct pci_mask_place p;
		err = pci_msi_mask_place(d, (uint8_t)i, &p);
		if (err == E_OK)
			err = mask_at(s, s->pci.irqs[i], &p);
		if (err < 0)
			return refused(s, "irq.msi%u", i, err);
	}
	return E_OK;
}

static void describe(struct service *s, const struct pci_device *d)
{
	struct start_pci_function *fn = &s->pci.fn;

	fn->segment = start_info()->pci.segment;
	fn->bus = d->addr.bus;
	fn->dev = d->addr.dev;
	fn->fn = d->addr.fn;
	fn->vendor = d->vendor;
	fn->device = d->device;
	fn->class_code = d->class_code;
	fn->subclass = d->subclass;
	fn->prog_if = d->prog_if;
	fn->revision = d->revision;
	fn->irq_kind = s->m.pci.msix  ? START_PCI_IRQ_MSIX
		       : s->m.pci.msi ? START_PCI_IRQ_MSI
				      : START_PCI_IRQ_NONE;
	fn->irq_count = s->pci.irq_count;
}

/* Drop what a failed preparation made: the next start tries again from nothing. */
static void release(struct pci_grant *p)
{
	close_irqs(p);
	for (unsigned i = 0; i < PCI_GRANT_BARS; i++)
		if (p->bars[i] != HANDLE_INVALID)
			sys_handle_close(p->bars[i]);
	if (p->config != HANDLE_INVALID)
		sys_handle_close(p->config);
	bool told = p->told_missing;
	*p = (struct pci_grant){.told_missing = told};
}

static long make_objects(struct service *s, const struct pci_device *d)
{
	long err = make_config(s, d);

	if (err >= 0)
		err = make_bars(s, d);
	if (err >= 0 && s->m.pci.msix)
		err = make_msix(s, d);
	if (err >= 0 && s->m.pci.msi)
		err = make_msi(s, d);
	return err;
}

long pci_prepare(struct service *s)
{
	struct pci_device d;

	if (!s->m.pci.match || s->pci.found)
		return E_OK;
	if (find_function(s, &d) < 0) {
		if (!s->pci.told_missing)
			printf("svc: %s: no PCI function here matches its manifest; starting it "
			       "without\n",
			       s->m.name);
		s->pci.told_missing = true;
		return E_OK;
	}
	long err = make_objects(s, &d);
	if (err < 0) {
		release(&s->pci);
		return err;
	}
	describe(s, &d);
	s->pci.found = true;
	printf("svc: %s: PCI %02x:%02x.%x %04x:%04x granted (BARs %#x, %u vectors)\n", s->m.name,
	       d.addr.bus, d.addr.dev, d.addr.fn, d.vendor, d.device, s->pci.fn.bars,
	       s->pci.irq_count);
	return E_OK;
}

/* ---- the start handles ---- */

static long copy(handle_t h, uint32_t rights, struct svc_grant *g)
{
	long c = sys_handle_dup(h, rights);

	if (c >= 0)
		g->handle = (handle_t)c;
	return c < 0 ? c : E_OK;
}

static long grant_config(struct pci_grant *p, struct svc_grant *g)
{
	strlcpy(g->name, "pci.config", sizeof(g->name));
	g->size = PAGE;
	g->geometry_words = 3;
	memcpy(g->geometry, &p->fn, sizeof(p->fn));
	return copy(p->config, MEMORY_COPY, g);
}

long pci_grant(struct service *s, uint32_t i, struct svc_grant *g)
{
	struct pci_grant *p = &s->pci;

	if (!p->found)
		return E_NOENT;
	if (i-- == 0)
		return grant_config(p, g);
	for (unsigned b = 0; b < PCI_GRANT_BARS; b++) {
		if (p->bars[b] == HANDLE_INVALID || i-- != 0)
			continue;
		snprintf(g->name, sizeof(g->name), "pci.bar%u", b);
		g->size = p->bar_size[b];
		return copy(p->bars[b], (p->fn.bars_io & (1u << b)) ? DEVICE_COPY : MEMORY_COPY, g);
	}
	if (i >= p->irq_count)
		return E_NOENT;
	snprintf(g->name, sizeof(g->name), s->m.pci.msix ? "irq.msix%u" : "irq.msi%u", i);
	return copy(p->irqs[i], DEVICE_COPY, g);
}

/*
 * Before an instance of s is killed: clear its function's Bus Master Enable.
 * The kill returns the instance's DMA memory to the frame allocator, and a
 * device still writing into it (an xHC completing a HID transfer, an AHCI
 * command in flight) would corrupt whoever gets those frames next: the
 * fault campaign saw a tablet report land in a page table. The next
 * instance enables bus mastering again when it sets the device up.
 */
void pci_quiesce(struct service *s)
{
	volatile uint32_t *command = (volatile uint32_t *)(QUIESCE_VA + PCI_COMMAND);

	if (!s->pci.found ||
	    sys_mobj_map(HANDLE_SELF, s->pci.config, QUIESCE_VA, 0, PAGE, R_READ | R_WRITE) < 0)
		return;
	/* the status half written as 0: its bits are write-1-to-clear */
	*command = *command & 0xFFFFu & ~(uint32_t)PCI_CMD_BUS_MASTER;
	(void)*command; /* the write reaches the device before the kill */
	sys_unmap(HANDLE_SELF, QUIESCE_VA, PAGE);
}
