/* SPDX-License-Identifier: MIT */
/*
 * IRQ objects: an IOAPIC line (GSI) or an MSI vector, delivered to a
 * notification. The interrupt handler only counts, masks a level-triggered
 * line (until the driver acknowledges), sends the EOI and signals: no
 * allocation and no work on the driver's behalf in interrupt context.
 */
#include "acpi/acpi.h"
#include "arch/apic.h"
#include "arch/cpu.h"
#include "arch/trap.h"
#include "kernel/bootinfo.h"
#include "kernel/device.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "sys/device.h"
#include "sys/errors.h"

#define MSI_VECTOR_FIRST 0x80
#define MSI_VECTOR_LAST	 VEC_IRQ_LAST
#define GSI_MAX		 (MSI_VECTOR_FIRST - VEC_IRQ_BASE)

static bool gsi_taken[GSI_MAX];
static bool msi_taken[MSI_VECTOR_LAST - MSI_VECTOR_FIRST + 1];

static void irq_handler(struct trap_frame *tf, void *ctx)
{
	struct irq *irq = ctx;

	(void)tf;
	irq->last_entry_tsc = rdtsc();
	irq->count++;
	if (irq->level && irq->gsi != IRQ_NO_GSI) {
		ioapic_set_masked(irq->gsi, true); /* quiet until the driver acknowledges */
		irq->masked = true;
	}
	lapic_eoi();
	if (irq->ntfn)
		ntfn_signal(irq->ntfn, irq->bits);
}

static int take_vector(uint32_t gsi, uint32_t flags, uint8_t *vector)
{
	if (flags & IRQ_MSI) {
		for (unsigned i = 0; i < ARRAY_SIZE(msi_taken); i++) {
			if (!msi_taken[i]) {
				msi_taken[i] = true;
				*vector = (uint8_t)(MSI_VECTOR_FIRST + i);
				return E_OK;
			}
		}
		return E_NOSPACE;
	}
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

static void mask(struct irq *irq)
{
	if (irq->gsi != IRQ_NO_GSI)
		ioapic_set_masked(irq->gsi, true);
	irq->masked = true;
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

void irq_ack(struct irq *irq)
{
	if (!irq->ntfn)
		return; /* unbound lines stay masked */
	if (irq->gsi != IRQ_NO_GSI)
		ioapic_set_masked(irq->gsi, false);
	irq->masked = false;
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
