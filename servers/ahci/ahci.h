/* SPDX-License-Identifier: MIT */
/*
 * The AHCI driver's core (AHCI 1.3.1; commands from ATA/ATAPI-8 ACS): the
 * HBA and port registers, the command list, received-FIS area and command
 * table of each port in DMA memory, IDENTIFY DEVICE parsing and one command
 * at a time through PRDs, completed by interrupt. Everything the core needs
 * of the system goes through struct ahci_env (register access, waiting for
 * the interrupt, sleeping during resets), so hba.c and identify.c compile on
 * the host and a fake HBA can drive them; main.c fills the env in with the
 * real BAR mapping, MSI notification and clock.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/block.h"

#define AHCI_MAX_PORTS	 32
#define AHCI_MAX_DISKS	 4
#define AHCI_SERVED	 8 /* disks and partitions: as many endpoints as a manifest serves */
#define AHCI_PAGE	 4096u
#define AHCI_BOUNCE	 (128u * 1024)		   /* bytes one command moves at most */
#define AHCI_PRDS	 (AHCI_BOUNCE / AHCI_PAGE) /* one PRD per bounce page */
#define AHCI_CMD_TIMEOUT (5000ull * 1000 * 1000)   /* ns a command may take */

/* HBA registers (AHCI 1.3.1, 3.1) */
#define HBA_CAP	    0x00
#define HBA_GHC	    0x04
#define HBA_IS	    0x08
#define HBA_PI	    0x0C
#define CAP_S64A    (1u << 31)
#define GHC_HR	    (1u << 0)
#define GHC_IE	    (1u << 1)
#define GHC_AE	    (1u << 31)
#define PORT_REG(p) (0x100u + 0x80u * (p))

/* Port registers (3.3) */
#define PX_CLB	0x00
#define PX_CLBU 0x04
#define PX_FB	0x08
#define PX_FBU	0x0C
#define PX_IS	0x10
#define PX_IE	0x14
#define PX_CMD	0x18
#define PX_TFD	0x20
#define PX_SIG	0x24
#define PX_SSTS 0x28
#define PX_SCTL 0x2C
#define PX_SERR 0x30
#define PX_CI	0x38

#define CMD_ST	(1u << 0)
#define CMD_SUD (1u << 1)
#define CMD_POD (1u << 2)
#define CMD_FRE (1u << 4)
#define CMD_FR	(1u << 14)
#define CMD_CR	(1u << 15)

#define IS_DHRS	  (1u << 0)
#define IS_PSS	  (1u << 1)
#define IS_DSS	  (1u << 2)
#define IS_SDBS	  (1u << 3)
#define IS_ERRORS 0x7D000000u /* TFES HBFS HBDS IFS INFS OFS: the fatal causes (3.3.5) */
#define IE_ALL	  (IS_DHRS | IS_PSS | IS_DSS | IS_SDBS | IS_ERRORS)

#define TFD_ERR	     (1u << 0)
#define TFD_DRQ	     (1u << 3)
#define TFD_BSY	     (1u << 7)
#define SSTS_DET_UP  3u
#define SIG_SATA     0x00000101u
#define SCTL_DET_INI 1u

/* ATA commands (ACS-2) */
#define ATA_IDENTIFY	  0xEC
#define ATA_READ_DMA_EXT  0x25
#define ATA_WRITE_DMA_EXT 0x35
#define ATA_FLUSH_EXT	  0xEA
#define FIS_H2D		  0x27

/* Where the core reaches the hardware and the system. */
struct ahci_env {
	uint32_t (*read)(void *ctx, uint32_t off);
	void (*write)(void *ctx, uint32_t off, uint32_t v);
	/* Wait for the HBA's interrupt (E_OK) until the deadline (E_TIMEOUT); ack it after. */
	long (*wait_irq)(void *ctx, uint64_t deadline);
	void (*ack_irq)(void *ctx);
	uint64_t (*now)(void *ctx);
	void (*sleep)(void *ctx, uint64_t ns);
	/* One command on the HBA at a time (disks are served by threads of their own). */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	void *ctx;
};

/* A port's DMA memory: command list, received FISes, one command table, the bounce buffer. */
struct ahci_dma {
	uint8_t *page; /* command list at 0, FIS area at 0x400, command table at 0x800 */
	uint64_t page_phys;
	uint8_t *bounce; /* AHCI_BOUNCE bytes */
	uint64_t bounce_phys[AHCI_PRDS];
};

struct ahci_disk {
	unsigned port;
	struct ahci_dma dma;
	struct block_geometry geo;
	char model[BLOCK_MODEL_BYTES];
	char serial[21];
	bool lba48;
	uint64_t commands, errors, resets; /* for the log and tests */
};

struct ahci_hba {
	const struct ahci_env *env;
	uint32_t cap, implemented;
	struct ahci_disk disks[AHCI_MAX_DISKS];
	unsigned disk_count;
};

/* hba.c */
long ahci_hba_reset(struct ahci_hba *h);
/* Implemented ports with a link up, in port order (their signatures are checked at start). */
unsigned ahci_find_ports(struct ahci_hba *h, unsigned ports[AHCI_MAX_PORTS]);
long ahci_port_start(struct ahci_hba *h, struct ahci_disk *d);
long ahci_port_reset(struct ahci_hba *h, struct ahci_disk *d);
/* Stop a port (its command engine and FIS receive) that will not be served. */
long ahci_port_stop(struct ahci_hba *h, struct ahci_disk *d);
/* One ATA command over `bytes` of the bounce buffer (0: no data); E_IO, E_TIMEOUT. */
long ahci_command(struct ahci_hba *h, struct ahci_disk *d, uint8_t cmd, uint64_t lba,
		  uint32_t count, uint32_t bytes, bool write);
long ahci_identify(struct ahci_hba *h, struct ahci_disk *d);

/* identify.c: IDENTIFY DEVICE data (256 words, hostile) into d's geometry, model, serial. */
long ahci_parse_identify(const uint16_t id[256], struct ahci_disk *d);
