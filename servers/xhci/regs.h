/* SPDX-License-Identifier: MIT */
/*
 * xHCI 1.2 register offsets and bits (chapter 5) and 32-bit MMIO access,
 * shared by the driver (hc.c) and the PCI-grant test driver
 * (servers/test/pcitest/xhci.c). Capability registers sit at the BAR,
 * operational ones at BAR + CAPLENGTH, runtime ones at BAR + RTSOFF with
 * interrupter 0 at +0x20, doorbells at BAR + DBOFF.
 */
#pragma once

#include <stdint.h>

#define CAP_LENGTH     0x00
#define CAP_HCSPARAMS1 0x04
#define CAP_HCSPARAMS2 0x08
#define CAP_HCCPARAMS1 0x10
#define CAP_DBOFF      0x14
#define CAP_RTSOFF     0x18
#define OP_USBCMD      0x00
#define OP_USBSTS      0x04
#define OP_CRCR	       0x18
#define OP_DCBAAP      0x30
#define OP_CONFIG      0x38
#define OP_PORTSC      0x400
#define IR0_IMAN       0x20
#define IR0_IMOD       0x24
#define IR0_ERSTSZ     0x28
#define IR0_ERSTBA     0x30
#define IR0_ERDP       0x38
#define CMD_RUN	       0x1
#define CMD_RESET      0x2
#define CMD_INTE       0x4
#define STS_HALTED     0x1
#define STS_EINT       0x8
#define STS_NOT_READY  (1u << 11)
#define IMAN_IP	       0x1
#define IMAN_IE	       0x2
#define ERDP_EHB       0x8

static inline volatile uint32_t *reg(volatile uint8_t *base, unsigned off)
{
	return (volatile uint32_t *)(base + off);
}

/* A 64-bit register as two writes, the high half last: it commits. */
static inline void write64(volatile uint8_t *base, unsigned off, uint64_t v)
{
	*reg(base, off) = (uint32_t)v;
	*reg(base, off + 4) = (uint32_t)(v >> 32);
}
