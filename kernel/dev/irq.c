/* SPDX-License-Identifier: MIT */
/*
 * IRQ objects: an IOAPIC line (GSI) or an MSI vector, delivered to a
 * notification. The interrupt handler only counts, masks a level-triggered
 * line or an MSI (until the driver acknowledges), sends the EOI and
 * signals: no allocation and no work on the driver's behalf in interrupt
 * context. When the driver waits above everything ready, the signal runs
 * it at once (fastpath_irq_signal, ipc/fastpath.c: the IRQ route). An MSI is masked at its device
 * when the kernel knows where the function's mask bit is (irq_set_mask: an MSI-X vector control bit
 * or an MSI per-vector mask bit, through the kernel's own uncached mapping of that page), so a
 * device that keeps signalling is held off like a level line; without one, an MSI that arrives
 * while masked is only remembered and delivered at the acknowledgement.
 */
#include "acpi/acpi.h"
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/bootinfo.h"
#include "kernel/device.h"
#include "kernel/fastpath.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/mobj.h"
#include "kernel/vm.h"
#include "sys/device.h"
#include "sys/errors.h"

#define MSI_VECTOR_FIRST IRQ_MSI_VECTOR_FIRST
#define MSI_VECTOR_LAST	 IRQ_MSI_VECTOR_LAST
#define GSI_MAX		 (MSI_VECTOR_FIRST - VEC_IRQ_BASE)
_Static_assert(IRQ_MSI_VECTOR_LAST == VEC_IRQ_LAST, "MSI vectors end where device vectors do");

static bool gsi_taken[GSI_MAX];
static bool msi_taken[MSI_VECTOR_LAST - MSI_VECTOR_FIRST + 1];

static bool is_msi(const struct irq *irq)
{
	return irq->gsi == IRQ_NO_GSI;
}

/* The device's own mask bit, if the kernel was told where it is (an MSI only). */
static void device_mask(struct irq *irq, bool masked)
{
	if (!irq->mask_reg)
		return;
	uint32_t v = *irq->mask_reg;
	*irq->mask_reg = masked ? v | (1u << irq->mask_bit) : v & ~(1u << irq->mask_bit);
}

static void mask(struct irq *irq)
{
	if (is_msi(irq))
		device_mask(irq, true);
	else
		ioapic_set_masked(irq->gsi, true);
	irq->masked = true;
}

static void unmask(struct irq *irq)
{
	if (is_msi(irq))
		device_mask(irq, false);
	else
		ioapic_set_masked(irq->gsi, false);
	irq->masked = false;
}

/*
 * Quiet it until the driver acknowledges: a level line or an MSI (an edge
 * line cannot fire again by itself). False: an MSI that came while masked,
 * kept pending for the acknowledgement instead of delivered.
 */
static bool quiet_until_ack(struct irq *irq)
{
	if (!is_msi(irq)) {
		if (irq->level)
			mask(irq);
		return true;
	}
	if (irq->masked) {
		irq->pending = true;
		return false;
	}
	mask(irq);
	return true;
}

/* Returns the frame of the waiting driver to run at once (fastpath_irq_signal), or NULL. */
static struct trap_frame *irq_handler(struct trap_frame *tf, void *ctx)
{
	struct irq *irq = ctx;

	irq->last_entry_tsc = rdtsc();
	irq->count++;
	bool deliver = quiet_until_ack(irq);
	lapic_eoi();
	if (!deliver || !irq->ntfn)
		return NULL;
	struct trap_frame *to = fastpath_irq_signal(tf, irq->ntfn, irq->bits);
	if (!to)
		ntfn_signal(irq->ntfn, irq->bits);
	return to;
}

/* Any free MSI vector (want 0), or exactly `want`. */
static int take_msi_vector(uint32_t want, uint8_t *vector)
{
	if (want != 0 && (want < MSI_VECTOR_FIRST || want > MSI_VECTOR_LAST))
		return E_RANGE;
	for (unsigned v = MSI_VECTOR_FIRST; v <= MSI_VECTOR_LAST; v++) {
		if (want != 0 && v != want)
			continue;
		if (msi_taken[v - MSI_VECTOR_FIRST])
			continue;
		msi_taken[v - MSI_VECTOR_FIRST] = true;
		*vector = (uint8_t)v;
		return E_OK;
	}
	return want != 0 ? E_BUSY : E_NOSPACE;
}

static int take_vector(uint32_t gsi, uint32_t flags, uint8_t *vector)
{
	if (flags & IRQ_MSI)
		return take_msi_vector(gsi, vector);
	if (gsi >= GSI_MAX || gsi >= ioapic_gsi_count())
		return E_RANGE;
	if (gsi_taken[gsi])
		return E_BUSY;
	gsi_taken[gsi] = true;
	*vector = (uint8_t)(VEC_IRQ_BASE + gsi);
	return E_OK;
}

/* The MADT's interrupt source override naming this GSI, if any. */
static const struct acpi_iso *override_for(uint32_t gsi)
{
	const struct acpi_info *ai = kernel_acpi_info();

	for (size_t i = 0; ai->has_madt && i < ai->madt.iso_count; i++)
		if (ai->madt.isos[i].bus == 0 && ai->madt.isos[i].gsi == gsi)
			return &ai->madt.isos[i];
	return NULL;
}

/*
 * Trigger mode: the caller's flags; else, for an ISA line, what the MADT's
 * override says (edge, active high when it says nothing); else, for a PCI
 * line, level and active low.
 */
static void choose_trigger(struct irq *irq, uint32_t flags)
{
	const struct acpi_iso *iso = irq->gsi < 16 ? override_for(irq->gsi) : NULL;
	bool isa = irq->gsi < 16;

	if (flags & (IRQ_LEVEL | IRQ_EDGE | IRQ_ACTIVE_LOW)) {
		irq->level = (flags & IRQ_LEVEL) != 0;
		irq->active_low = (flags & IRQ_ACTIVE_LOW) != 0;
	} else if (isa) {
		irq->level = iso && iso->trigger == ACPI_TRIGGER_LEVEL;
		irq->active_low = iso && iso->polarity == ACPI_POLARITY_LOW;
	} else {
		irq->level = true;
		irq->active_low = true;
	}
}

int irq_create(uint32_t gsi, uint32_t flags, struct irq **out)
{
	uint8_t vector;
	struct irq *irq = kzalloc(sizeof(*irq));

	if (!irq)
		return E_NOMEM;
	int err = take_vector(gsi, flags, &vector);
	if (err) {
		kfree(irq);
		return err;
	}
	irq->gsi = (flags & IRQ_MSI) ? IRQ_NO_GSI : gsi;
	irq->vector = vector;
	irq->masked = true;
	if (!(flags & IRQ_MSI))
		choose_trigger(irq, flags);
	kobj_init(&irq->obj, KOBJ_IRQ);
	trap_set_handler(vector, irq_handler, irq);
	*out = irq;
	return E_OK;
}

static void unlink_from_ntfn(struct irq *irq)
{
	if (!irq->ntfn)
		return;
	for (struct irq **link = &irq->ntfn->irqs; *link; link = &(*link)->ntfn_next) {
		if (*link == irq) {
			*link = irq->ntfn_next;
			break;
		}
	}
	irq->ntfn = NULL;
	irq->ntfn_next = NULL;
}

/* Route first: a line that cannot be routed stays masked and bound to nothing. */
int irq_bind(struct irq *irq, struct ntfn *n, uint64_t bits)
{
	mask(irq);
	unlink_from_ntfn(irq);
	if (irq->gsi != IRQ_NO_GSI &&
	    ioapic_route(irq->gsi, irq->vector, irq->level, irq->active_low) != 0)
		return E_RANGE;
	irq->ntfn = n;
	irq->bits = bits;
	irq->ntfn_next = n->irqs;
	n->irqs = irq;
	irq_ack(irq);
	return E_OK;
}

/* Unmask, or deliver the MSI that came while it was masked (and stay masked). */
void irq_ack(struct irq *irq)
{
	if (!irq->ntfn)
		return; /* unbound lines stay masked */
	if (irq->pending) {
		irq->pending = false;
		ntfn_signal(irq->ntfn, irq->bits);
		return;
	}
	unmask(irq);
}

/*
 * Point the kernel at bit `bit` of the dword at `offset` in device memory m
 * (checked by the caller), or nowhere (m NULL). The new place gets the
 * object's present state at once: a masked IRQ masks its device.
 */
int irq_set_mask(struct irq *irq, struct mobj *m, uint64_t offset, uint32_t bit)
{
	volatile uint32_t *reg = NULL;

	if (m) {
		uint8_t *page = vm_map_mmio_page(m->pages[offset / PAGE_SIZE]);
		if (!page)
			return E_NOSPACE;
		reg = (volatile uint32_t *)(page + offset % PAGE_SIZE);
		kobj_get(&m->obj);
	}
	if (irq->mask_mobj)
		kobj_put(&irq->mask_mobj->obj);
	irq->mask_mobj = m;
	irq->mask_reg = reg;
	irq->mask_bit = bit;
	device_mask(irq, irq->masked);
	return E_OK;
}

void irq_unbind_all(struct irq *first)
{
	while (first) {
		struct irq *next = first->ntfn_next;
		mask(first);
		first->ntfn = NULL;
		first->ntfn_next = NULL;
		first = next;
	}
}

void irq_destroy(struct kobj *o)
{
	struct irq *irq = (struct irq *)o;

	mask(irq);
	unlink_from_ntfn(irq);
	trap_set_handler(irq->vector, NULL, NULL);
	if (irq->mask_mobj)
		kobj_put(&irq->mask_mobj->obj);
	if (irq->gsi != IRQ_NO_GSI)
		gsi_taken[irq->gsi] = false;
	else
		msi_taken[irq->vector - MSI_VECTOR_FIRST] = false;
	kfree(irq);
}

void lapic_self_ipi_for(struct irq *irq)
{
	lapic_self_ipi(irq->vector);
}
