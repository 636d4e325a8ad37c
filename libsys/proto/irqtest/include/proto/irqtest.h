/* SPDX-License-Identifier: MIT */
/*
 * The irqtest protocol (methods 0x7800-0x78FF, sys/protocols.h) of the
 * irqtest test server (servers/test/irqtest): a service with hardware in its
 * manifest (irq = 10, ioport = 0x70-0x71, devmem = ecam, dma = yes), through
 * which stest checks that a service gets exactly those handles, that they
 * work, and that its IRQ object outlives each instance. The library: this
 * header, the client stubs (client.c) and the server-side decode into
 * irqtest_ops (server.c).
 *
 * IRQTEST_FIRE (not idempotent: the line fires once more each time; the
 *               stub sends it once)
 *   reply: w0 = the IRQ's firings so far (struct irq_info.count) after
 *          raising it once and receiving it: the count goes on across
 *          instances, because they all get copies of one IRQ object;
 *          w1 = its GSI, w2 = the notification bits that arrived,
 *          w3 = the server's pid
 * IRQTEST_HANDLES (idempotent; the stub resends after E_RESTARTED)
 *   reply: w0 = how many start handles the instance was given; the buffer
 *          holds their names in order, each NUL-terminated
 *   errors: E_NOSPACE if the names do not fit in the buffer
 * IRQTEST_PROBE (idempotent; the stub resends after E_RESTARTED)
 *   reply: w0 = the first dword of PCI 00:00.0's configuration space read
 *          through "ecam" (vendor | device << 16), w1 = the ECAM base in its
 *          start_info, w2 = bus_start | bus_end << 8 from there, w3 = CMOS
 *          status register A read through "ioport:70", w4 = the physical
 *          address of a page, from "dma"
 *   errors: what the failing step gave (E_NOENT for a missing handle)
 * Recovery: stateless (the IRQ object is the supervisor's).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define IRQTEST_PROTOCOL_BASE PROTOCOL_BASE(irqtest)
#define IRQTEST_FIRE	      (IRQTEST_PROTOCOL_BASE + 0x01)
#define IRQTEST_HANDLES	      (IRQTEST_PROTOCOL_BASE + 0x02)
#define IRQTEST_PROBE	      (IRQTEST_PROTOCOL_BASE + 0x03)

#define IRQTEST_ATTEMPTS 3 /* how often the idempotent stubs send their request */

struct irqtest_fire_reply {
	uint64_t count, gsi, bits, pid;
};
struct irqtest_handles_reply {
	uint64_t count;
};
struct irqtest_probe_reply {
	uint64_t pci_id, ecam_base, buses, cmos_status_a, dma_phys;
};
_Static_assert(sizeof(struct irqtest_fire_reply) == 4 * sizeof(uint64_t), "4 words");
_Static_assert(sizeof(struct irqtest_handles_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct irqtest_probe_reply) == 5 * sizeof(uint64_t), "5 words");

/* Client stubs: E_OK or an error. */
long irqtest_fire(handle_t ep, struct irqtest_fire_reply *rp, uint64_t timeout);
/* The names, each NUL-terminated, into names (E_RANGE if they need more than size bytes). */
long irqtest_handles(handle_t ep, struct irqtest_handles_reply *rp, char *names, size_t size,
		     uint64_t timeout);
long irqtest_probe(handle_t ep, struct irqtest_probe_reply *rp, uint64_t timeout);

/* Server side: what the server implements, and the method table that decodes into it. */
struct irqtest_ops {
	long (*fire)(void *ctx, struct irqtest_fire_reply *rp);
	/* The name of start handle i, in the order given; NULL past the last. */
	const char *(*handle_name)(void *ctx, uint32_t i);
	long (*probe)(void *ctx, struct irqtest_probe_reply *rp);
};
struct irqtest_server {
	const struct irqtest_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into is (which must outlive it). */
struct server irqtest_server(handle_t ep, struct irqtest_server *is);
