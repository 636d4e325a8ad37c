/* SPDX-License-Identifier: MIT */
/*
 * I/O port ranges and resources. A process that enables a range gets an
 * I/O permission bitmap of its own (8 KiB, allocated once); the scheduler
 * loads it into the TSS when one of the process's threads runs: only the
 * bytes up to the highest port it enabled (the FAT server's CMOS clock at
 * 0x70 is 15 bytes; copying all 8 KiB cost ~25,000 instructions a switch).
 * Enabling is for good: the bitmap is freed when the process ends.
 */
#include "arch/gdt.h"
#include "kernel/device.h"
#include "kernel/kheap.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "sys/device.h"
#include "sys/errors.h"

#define PORTS 65536u

const uint8_t *ioport_loaded; /* the bitmap in the TSS now (fastpath.asm compares it) */

int resource_create(uint32_t kind, struct resource **out)
{
	struct resource *r = kzalloc(sizeof(*r));

	if (!r)
		return E_NOMEM;
	r->kind = kind;
	kobj_init(&r->obj, KOBJ_RESOURCE);
	*out = r;
	return E_OK;
}

void resource_destroy(struct kobj *o)
{
	kfree(o);
}

int ioport_create(uint16_t base, uint32_t count, struct ioport **out)
{
	if (count == 0 || base + count > PORTS)
		return E_RANGE;
	struct ioport *io = kzalloc(sizeof(*io));
	if (!io)
		return E_NOMEM;
	io->base = base;
	io->count = count;
	kobj_init(&io->obj, KOBJ_IOPORT);
	*out = io;
	return E_OK;
}

void ioport_destroy(struct kobj *o)
{
	kfree(o);
}

int ioport_enable(struct process *p, const struct ioport *io)
{
	if (!p->iopb) {
		p->iopb = kmem_zalloc(IO_BITMAP_BYTES);
		if (!p->iopb)
			return E_NOMEM;
		memset(p->iopb, 0xFF, IO_BITMAP_BYTES); /* a set bit denies the port */
	}
	for (uint32_t port = io->base; port < io->base + io->count; port++)
		p->iopb[port / 8] &= (uint8_t) ~(1u << (port % 8));
	uint32_t bytes = (io->base + io->count - 1) / 8 + 1;
	if (bytes > p->iopb_bytes)
		p->iopb_bytes = (uint16_t)bytes;
	ioport_loaded = NULL; /* reload even if it is the one in the TSS */
	ioport_switch(p);
	return E_OK;
}

void ioport_switch(struct process *p)
{
	const uint8_t *want = p ? p->iopb : NULL;

	if (want == ioport_loaded)
		return;
	gdt_set_io_bitmap(want, p ? p->iopb_bytes : 0);
	ioport_loaded = want;
}

void ioport_process_exit(struct process *p)
{
	if (!p->iopb)
		return;
	if (ioport_loaded == p->iopb) {
		gdt_set_io_bitmap(NULL, 0);
		ioport_loaded = NULL;
	}
	kmem_free(p->iopb, IO_BITMAP_BYTES);
	p->iopb = NULL;
}
