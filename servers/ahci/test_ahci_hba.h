/* SPDX-License-Identifier: MIT */
/*
 * The fake HBA of the AHCI driver's host test (test_ahci_hba.c): a register
 * file whose PxCI write runs each newly set slot's command the way a device
 * would (its FIS, NCQ or not, its PRDs, a fake disk of sectors), clears the
 * slot in PxCI and PxSACT and raises the interrupt, or, in hold mode, keeps
 * the commands until the test releases them in an order of its choosing.
 * Physical addresses are host pointers; the client's buffer is `backing`,
 * its pages in the order `perm` gives.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "disk.h"

#define SECTORS	     8192u /* 4 MiB */
#define CLIENT_PAGES 768u  /* 3 MiB */
#define CLIENT_BUF   (CLIENT_PAGES * AHCI_PAGE)

struct fake_hba {
	uint32_t regs[0x1100 / 4];
	uint8_t disk[SECTORS * 512];
	bool irq, fail_next, lose_next, hold;
	uint32_t held; /* slots issued but not yet run (hold mode) */
	uint64_t clock, commands, ncq_commands, flushes, most_in_flight;
	uint16_t identify[256];
};

extern struct fake_hba hw;
extern uint8_t page[AHCI_PAGE], scratch[AHCI_PAGE];
extern uint8_t tables[AHCI_SLOTS * AHCI_TABLE_BYTES];
extern uint8_t *backing;
extern unsigned perm[CLIENT_PAGES];
extern uint64_t armed_for, arms; /* the deadline the driver's timer was last armed for, how often */
extern const struct ahci_env env; /* the driver's environment over the fake */

/* Byte i of the client's buffer, wherever its page is. */
uint8_t *cbyte(uint64_t i);
unsigned popcount(uint32_t v);
/* Port `port`'s registers. */
uint32_t *port_regs(unsigned port);
/* Complete held slot s (hold mode). */
void release(unsigned s);
/* IDENTIFY DEVICE data of a good NCQ disk of SECTORS sectors. */
void good_identify(uint16_t *id);
