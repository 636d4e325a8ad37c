/* SPDX-License-Identifier: MIT */
/*
 * The irqtest protocol (methods 0x7800-0x78FF) of the irqtest test server
 * (servers/test/irqtest): a service with hardware in its manifest (irq = 10,
 * ioport = 0x70-0x71, devmem = ecam, dma = yes), through which stest checks
 * that a service gets exactly those handles, that they work, and that its
 * IRQ object outlives each instance.
 *
 * IRQTEST_FIRE (not idempotent: the line fires once more each time)
 *   reply: w0 = the IRQ's firings so far (struct irq_info.count) after
 *          raising it once and receiving it: the count goes on across
 *          instances, because they all get copies of one IRQ object;
 *          w1 = its GSI, w2 = the notification bits that arrived,
 *          w3 = the server's pid
 * IRQTEST_HANDLES (idempotent)
 *   reply: w0 = how many start handles the instance was given; the buffer
 *          holds their names in order, each NUL-terminated
 * IRQTEST_PROBE (idempotent)
 *   reply: w0 = the first dword of PCI 00:00.0's configuration space read
 *          through "ecam" (vendor | device << 16), w1 = the ECAM base in its
 *          start_info, w2 = bus_start | bus_end << 8 from there, w3 = CMOS
 *          status register A read through "ioport:70", w4 = the physical
 *          address of a page, from "dma"
 *   errors: what the failing step gave (E_NOENT for a missing handle)
 */
#pragma once

#define IRQTEST_PROTOCOL_BASE 0x7800
#define IRQTEST_FIRE	      0x7801
#define IRQTEST_HANDLES	      0x7802
#define IRQTEST_PROBE	      0x7803
