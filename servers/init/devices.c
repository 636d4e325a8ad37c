/* SPDX-License-Identifier: MIT */
/*
 * Hardware handles for services, from their manifests' irq, ioport, devmem
 * and dma keys (manifest/manifest.h), made from init's own resource handles
 * ("irq", "ioport", "devmem", "dma" from the kernel). Objects are made once,
 * before a service's first instance starts, and kept for ever: a GSI can be
 * claimed only once, so every instance gets a new copy of the same IRQ
 * object and binds it again (the kernel masks the line while no instance's
 * notification is bound). The framebuffer has one holder at a time: each
 * instance that lists it gets a fresh exclusive, write-combining object
 * over it, which init hands over without keeping a copy, so a second
 * service is refused (E_BUSY) until the first instance has closed it (or
 * ended). The ECAM object is made once and shared by every service that
 * lists it. A PCI function's handles are pci_grant.c's. A boot fact the
 * machine lacks (no framebuffer, no MCFG) is left out with one line; an
 * object the kernel refuses stops the start with one line.
 */
#include <string.h>

#include "init.h"
#include "sys/device.h"
#include "sys/fmt.h"
#include "sys/stdio.h"

#define MIB	    (1ull << 20)
#define PAGE	    4096u
#define DEVICE_COPY R_TRANSFER			    /* irq, ioport, dma */
#define MEMORY_COPY (R_READ | R_WRITE | R_TRANSFER) /* framebuffer, ecam, devmem */

/* Handle names (manifest/manifest.h); "ecam", "framebuffer" and "dma" are fixed. */
#define NAME_IRQ    "irq:%lu"
#define NAME_IOPORT "ioport:%lx"
#define NAME_DEVMEM "devmem:%lx"

_Static_assert(MANIFEST_MAX_HANDLES <= START_MAX_HANDLES, "a manifest's handles fit a start_info");

static handle_t ecam = HANDLE_INVALID; /* PCI configuration space, made on first use */
static uint32_t ecam_bytes;

static handle_t resource(const char *kind)
{
	return start_handle(kind, NULL);
}

static long refused(const struct service *s, const char *name_fmt, uint64_t n, long err)
{
	char name[START_NAME_MAX];

	snprintf(name, sizeof(name), name_fmt, (unsigned long)n);
	printf("svc: %s: cannot make its %s: %s\n", s->m.name, name, sys_error_name(err));
	return err;
}

static long make_ports_and_irqs(struct service *s)
{
	for (uint8_t i = 0; i < s->m.irq_count; i++) {
		if (s->irqs[i] != HANDLE_INVALID)
			continue;
		long h = sys_irq_create(resource("irq"), s->m.irqs[i], 0);
		if (h < 0)
			return refused(s, NAME_IRQ, s->m.irqs[i], h);
		s->irqs[i] = (handle_t)h;
	}
	for (uint8_t i = 0; i < s->m.ioport_count; i++) {
		const struct manifest_range *r = &s->m.ioports[i];
		if (s->ioports[i] != HANDLE_INVALID)
			continue;
		long h =
			sys_ioport_create(resource("ioport"), (uint16_t)r->base, (uint32_t)r->size);
		if (h < 0)
			return refused(s, NAME_IOPORT, r->base, h);
		s->ioports[i] = (handle_t)h;
	}
	return E_OK;
}

static long make_devmem(struct service *s)
{
	for (uint8_t i = 0; i < s->m.devmem_count; i++) {
		const struct manifest_range *r = &s->m.devmem[i];
		if (s->devmem[i] != HANDLE_INVALID)
			continue;
		long h = sys_devmem_create(resource("devmem"), r->base, r->size);
		if (h < 0)
			return refused(s, NAME_DEVMEM, r->base, h);
		s->devmem[i] = (handle_t)h;
	}
	return E_OK;
}

/* The ECAM window for the MCFG's bus range; E_NOENT without an MCFG. */
static long ecam_object(void)
{
	const struct start_pci *pci = &start_info()->pci;

	if (ecam != HANDLE_INVALID)
		return E_OK;
	if (pci->ecam_base == 0 || pci->bus_end < pci->bus_start)
		return E_NOENT;
	uint64_t size = (uint64_t)(pci->bus_end - pci->bus_start + 1) * MIB;
	long h = sys_devmem_create(resource("devmem"), pci->ecam_base + pci->bus_start * MIB, size);
	if (h < 0)
		return h;
	ecam = (handle_t)h;
	ecam_bytes = (uint32_t)size;
	return E_OK;
}

static long make_ecam(struct service *s)
{
	long err = ecam_object();

	if (err < 0 && err != E_NOENT)
		return refused(s, "ecam at %#lx", start_info()->pci.ecam_base, err);
	return err;
}

handle_t devices_ecam(uint32_t *bytes)
{
	if (ecam_object() < 0)
		return HANDLE_INVALID;
	*bytes = ecam_bytes;
	return ecam;
}

static bool have_framebuffer(void)
{
	return start_handle("framebuffer", NULL) != HANDLE_INVALID && start_info()->fb.width;
}

/* Boot facts this machine may lack: left out, with one line per service. */
static long check_boot_facts(struct service *s)
{
	long err = s->m.ecam ? make_ecam(s) : E_OK;
	bool no_ecam = err == E_NOENT, no_fb = s->m.framebuffer && !have_framebuffer();

	if (err < 0 && !no_ecam)
		return err;
	if ((no_ecam || no_fb) && !s->told_missing)
		printf("svc: %s: this machine has no %s to grant; starting it without\n", s->m.name,
		       no_fb ? "framebuffer" : "ECAM (MCFG)");
	s->told_missing = s->told_missing || no_ecam || no_fb;
	return E_OK;
}

/*
 * The framebuffer for the next instance: exclusive, so E_BUSY while another
 * service's instance still holds one; write-combining, as init's own.
 */
static long make_framebuffer(struct service *s)
{
	uint32_t size = 0;

	if (!s->m.framebuffer || !have_framebuffer() || s->framebuffer != HANDLE_INVALID)
		return E_OK;
	start_handle("framebuffer", &size); /* init's own object: its size */
	uint64_t phys = start_info()->fb.phys & ~(uint64_t)(PAGE - 1);
	long h = sys_devmem_create_flags(resource("devmem"), phys, size,
					 DEVMEM_WC | DEVMEM_EXCLUSIVE);
	if (h < 0)
		return refused(s, "framebuffer", 0, h);
	s->framebuffer = (handle_t)h;
	return E_OK;
}

void devices_release(struct service *s)
{
	if (s->framebuffer != HANDLE_INVALID)
		sys_handle_close(s->framebuffer);
	s->framebuffer = HANDLE_INVALID;
}

long devices_prepare(struct service *s)
{
	long err = make_ports_and_irqs(s);

	if (err >= 0)
		err = make_devmem(s);
	if (err >= 0)
		err = check_boot_facts(s);
	if (err >= 0)
		err = make_framebuffer(s);
	if (err >= 0)
		err = pci_prepare(s);
	return err;
}

static long copy(handle_t h, uint32_t rights, struct svc_grant *g)
{
	long c = sys_handle_dup(h, rights);

	if (c >= 0)
		g->handle = (handle_t)c;
	return c < 0 ? c : E_OK;
}

/* Handed over, not copied: the instance is its only holder (SVC_BOOT closes ours). */
static long grant_framebuffer(struct service *s, struct svc_grant *g)
{
	uint32_t size = 0;

	start_handle("framebuffer", &size);
	strlcpy(g->name, "framebuffer", sizeof(g->name));
	g->size = size;
	g->geometry_words = 3;
	memcpy(g->geometry, &start_info()->fb, sizeof(start_info()->fb));
	if (s->framebuffer == HANDLE_INVALID)
		return E_BUSY; /* this instance took it already */
	g->handle = s->framebuffer;
	s->framebuffer = HANDLE_INVALID;
	return E_OK;
}

static long grant_ecam(struct svc_grant *g)
{
	strlcpy(g->name, "ecam", sizeof(g->name));
	g->size = ecam_bytes;
	g->geometry_words = 2;
	memcpy(g->geometry, &start_info()->pci, sizeof(start_info()->pci));
	return copy(ecam, MEMORY_COPY, g);
}

/* The memory part of the list: framebuffer, ecam, devmem:* (only what exists). */
static long grant_memory(struct service *s, uint32_t i, struct svc_grant *g)
{
	bool fb = s->m.framebuffer && have_framebuffer();
	bool pci = s->m.ecam && ecam != HANDLE_INVALID;

	if (fb && i-- == 0)
		return grant_framebuffer(s, g);
	if (pci && i-- == 0)
		return grant_ecam(g);
	if (i < s->m.devmem_count) {
		snprintf(g->name, sizeof(g->name), NAME_DEVMEM, (unsigned long)s->m.devmem[i].base);
		g->size = (uint32_t)s->m.devmem[i].size;
		return copy(s->devmem[i], MEMORY_COPY, g);
	}
	i -= s->m.devmem_count;
	if (s->m.dma && i-- == 0) {
		strlcpy(g->name, "dma", sizeof(g->name));
		return copy(resource("dma"), DEVICE_COPY, g);
	}
	return pci_grant(s, i, g);
}

/*
 * Raising an IRQ by software (R_TRIGGER) is for test services only. Until a
 * manifest key says who may, the one service that does is named here.
 */
static uint32_t irq_copy_rights(const struct service *s)
{
	return strcmp(s->m.name, "irqtest") == 0 ? DEVICE_COPY | R_TRIGGER : DEVICE_COPY;
}

long devices_grant(struct service *s, uint32_t i, struct svc_grant *g)
{
	if (i < s->m.irq_count) {
		snprintf(g->name, sizeof(g->name), NAME_IRQ, (unsigned long)s->m.irqs[i]);
		return copy(s->irqs[i], irq_copy_rights(s), g);
	}
	i -= s->m.irq_count;
	if (i < s->m.ioport_count) {
		snprintf(g->name, sizeof(g->name), NAME_IOPORT,
			 (unsigned long)s->m.ioports[i].base);
		g->size = (uint32_t)s->m.ioports[i].size;
		return copy(s->ioports[i], DEVICE_COPY, g);
	}
	return grant_memory(s, i - s->m.ioport_count, g);
}
