/* SPDX-License-Identifier: MIT */
/*
 * Device syscalls: make IRQ, port and device-memory handles from a resource
 * handle of the right kind, bind and acknowledge IRQs, tell the kernel where
 * an MSI's mask bit is, open port ranges, and tell DMA drivers the physical
 * addresses of their buffers. Every argument is checked before anything
 * changes.
 */
#include "arch/apic.h"
#include "kernel/device.h"
#include "kernel/ipc.h"
#include "kernel/mobj.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "sys/device.h"
#include "sys/errors.h"

#define DEVICE_RIGHTS (R_DUP | R_TRANSFER)
/*
 * The creator of an IRQ may raise it by software (R_TRIGGER) and say where
 * an MSI is masked (R_MANAGE); copies keep either only if given.
 */
#define IRQ_RIGHTS    (DEVICE_RIGHTS | R_TRIGGER | R_MANAGE)

static int lookup_resource(handle_t h, uint32_t kind)
{
	struct handle_slot *s;
	int err = cap_lookup(h, KOBJ_RESOURCE, 0, &s);

	if (err)
		return err;
	return ((struct resource *)s->obj)->kind == kind ? E_OK : E_TYPE;
}

static int lookup_irq(handle_t h, uint32_t rights, struct irq **out)
{
	struct handle_slot *s;
	int err = cap_lookup(h, KOBJ_IRQ, rights, &s);

	if (!err)
		*out = (struct irq *)s->obj;
	return err;
}

long SYS_IRQ_CREATE_handler(struct trap_frame *tf)
{
	struct irq *irq;
	uint32_t flags = (uint32_t)SYS_ARG2(tf);
	int err = lookup_resource((handle_t)SYS_ARG0(tf), RESOURCE_IRQ);

	if (err)
		return err;
	if (flags & ~(IRQ_MSI | IRQ_LEVEL | IRQ_ACTIVE_LOW | IRQ_EDGE))
		return E_INVAL;
	if (SYS_ARG1(tf) > UINT32_MAX)
		return E_RANGE;
	err = irq_create((uint32_t)SYS_ARG1(tf), flags, &irq);
	return err ? err : cap_give_charged(&irq->obj, IRQ_RIGHTS, sizeof(*irq));
}

long SYS_IRQ_BIND_handler(struct trap_frame *tf)
{
	struct irq *irq;
	struct handle_slot *s;
	int err = lookup_irq((handle_t)SYS_ARG0(tf), 0, &irq);

	if (!err)
		err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_NOTIFICATION, R_SIGNAL, &s);
	if (err)
		return err;
	if (!(SYS_ARG2(tf) & NTFN_BITS_MASK))
		return E_INVAL;
	return irq_bind(irq, (struct ntfn *)s->obj, SYS_ARG2(tf));
}

long SYS_IRQ_ACK_handler(struct trap_frame *tf)
{
	struct irq *irq;
	bool trigger = SYS_ARG1(tf) == IRQ_TEST_TRIGGER;
	int err = lookup_irq((handle_t)SYS_ARG0(tf), trigger ? R_TRIGGER : 0, &irq);

	if (err)
		return err;
	if (trigger) {
		lapic_self_ipi_for(irq);
		return E_OK;
	}
	if (SYS_ARG1(tf))
		return E_INVAL;
	irq_ack(irq);
	return E_OK;
}

long SYS_IRQ_INFO_handler(struct trap_frame *tf)
{
	struct irq *irq;
	int err = lookup_irq((handle_t)SYS_ARG0(tf), 0, &irq);

	if (err)
		return err;
	struct irq_info info = {
		.gsi = irq->gsi,
		.vector = irq->vector,
		.flags = (irq->level ? IRQ_LEVEL : 0) | (irq->active_low ? IRQ_ACTIVE_LOW : 0) |
			 (irq->gsi == IRQ_NO_GSI ? IRQ_MSI : 0),
		.count = irq->count,
		.last_entry_tsc = irq->last_entry_tsc,
		.masked = irq->masked,
	};
	if (irq->gsi == IRQ_NO_GSI)
		msi_compose(irq->vector, &info.msi_address, &info.msi_data);
	return copy_to_user(SYS_ARG1(tf), &info, sizeof(info));
}

long SYS_IOPORT_CREATE_handler(struct trap_frame *tf)
{
	struct ioport *io;
	int err = lookup_resource((handle_t)SYS_ARG0(tf), RESOURCE_IOPORT);

	if (err)
		return err;
	if (SYS_ARG1(tf) > 0xFFFF || SYS_ARG2(tf) > 0x10000)
		return E_RANGE;
	err = ioport_create((uint16_t)SYS_ARG1(tf), (uint32_t)SYS_ARG2(tf), &io);
	return err ? err : cap_give_charged(&io->obj, DEVICE_RIGHTS, sizeof(*io));
}

long SYS_IOPORT_ENABLE_handler(struct trap_frame *tf)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)SYS_ARG0(tf), KOBJ_IOPORT, 0, &s);

	if (err)
		return err;
	return ioport_enable(current_process(), (struct ioport *)s->obj);
}

long SYS_DEVMEM_CREATE_handler(struct trap_frame *tf)
{
	struct mobj *m;
	int err = lookup_resource((handle_t)SYS_ARG0(tf), RESOURCE_DEVMEM);

	if (err)
		return err;
	if (SYS_ARG3(tf) & ~(uint64_t)(DEVMEM_WC | DEVMEM_EXCLUSIVE))
		return E_INVAL;
	err = mobj_create_device(SYS_ARG1(tf), SYS_ARG2(tf), (uint32_t)SYS_ARG3(tf), &m);
	return err ? err
		   : cap_give_charged(&m->obj, R_READ | R_WRITE | R_DUP | R_TRANSFER,
				      mobj_meta_bytes(m));
}

/* The dma resource and a memory object the device may write (R_WRITE). */
static int lookup_dma_mobj(struct trap_frame *tf, struct mobj **out)
{
	struct handle_slot *s;
	int err = lookup_resource((handle_t)SYS_ARG0(tf), RESOURCE_DMA);

	if (!err)
		err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_MOBJ, R_WRITE, &s);
	if (!err)
		*out = (struct mobj *)s->obj;
	return err;
}

long SYS_MOBJ_PHYS_handler(struct trap_frame *tf)
{
	struct mobj *m;
	int err = lookup_dma_mobj(tf, &m);

	if (err)
		return err;
	if (SYS_ARG2(tf) >= m->npages)
		return E_RANGE;
	return (long)m->pages[SYS_ARG2(tf)];
}

/* Copy pages[first, first + count) out through a small buffer on the stack. */
static int copy_phys_list(const struct mobj *m, uint64_t first, uintptr_t out, uint64_t count)
{
	enum { CHUNK = 64 };
	paddr_t buf[CHUNK];

	for (uint64_t done = 0; done < count;) {
		uint64_t n = MIN(count - done, (uint64_t)CHUNK);
		for (uint64_t i = 0; i < n; i++)
			buf[i] = m->pages[first + done + i];
		int err = copy_to_user(out + done * sizeof(paddr_t), buf, n * sizeof(paddr_t));
		if (err)
			return err;
		done += n;
	}
	return E_OK;
}

long SYS_MOBJ_PHYS_LIST_handler(struct trap_frame *tf)
{
	struct mobj *m;
	uint64_t first = SYS_ARG2(tf), count = SYS_ARG4(tf);
	int err = lookup_dma_mobj(tf, &m);

	if (err)
		return err;
	if (count == 0 || count > MOBJ_PHYS_LIST_MAX)
		return E_INVAL;
	if (first >= m->npages || count > m->npages - first)
		return E_RANGE;
	err = copy_phys_list(m, first, SYS_ARG3(tf), count);
	return err ? err : (long)count;
}

/* Checks for SYS_IRQ_SET_MASK's place: a dword of device memory the caller may write. */
static int lookup_mask_place(struct trap_frame *tf, struct mobj **out)
{
	struct handle_slot *s;
	uint64_t offset = SYS_ARG2(tf);
	int err = cap_lookup((handle_t)SYS_ARG1(tf), KOBJ_MOBJ, R_WRITE, &s);

	if (err)
		return err;
	struct mobj *m = (struct mobj *)s->obj;
	if (!m->device)
		return E_TYPE; /* the kernel writes device registers only */
	if ((offset & 3) || SYS_ARG3(tf) >= 32)
		return E_INVAL;
	if (offset >= m->npages * PAGE_SIZE)
		return E_RANGE;
	*out = m;
	return E_OK;
}

/*
 * No more power than the caller has: it names device memory it may write
 * itself, and a driver can always unmask its device by writing there. It
 * needs R_MANAGE on the IRQ, which only its creator holds unless given: a
 * driver handed its vectors cannot move their mask bits (nor make its IRQ
 * object hold some other device memory alive).
 */
long SYS_IRQ_SET_MASK_handler(struct trap_frame *tf)
{
	struct irq *irq;
	struct mobj *m = NULL;
	int err = lookup_irq((handle_t)SYS_ARG0(tf), R_MANAGE, &irq);

	if (err)
		return err;
	if (irq->gsi != IRQ_NO_GSI)
		return E_INVAL; /* lines are masked at the IOAPIC */
	if ((handle_t)SYS_ARG1(tf) != HANDLE_INVALID && (err = lookup_mask_place(tf, &m)))
		return err;
	return irq_set_mask(irq, m, SYS_ARG2(tf), (uint32_t)SYS_ARG3(tf));
}
