/* SPDX-License-Identifier: MIT */
/*
 * The AHCI driver's core (AHCI 1.3.1; commands from ATA/ATAPI-8 ACS): the
 * HBA and port registers, each port's command list, received-FIS area, a
 * command table per slot and a scratch page in DMA memory, IDENTIFY DEVICE
 * parsing, and requests in flight (queue.c): NCQ or one command at a time,
 * PRDs straight into the clients' pages, completed by interrupt.
 * Everything the core needs of the system goes through struct ahci_env
 * (register access, waiting for the interrupt, sleeping during resets, the
 * lock, the deadline timer), so hba.c, identify.c and queue.c compile on
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
#define AHCI_SLOTS	 32				  /* command slots a port has at most */
#define AHCI_TABLE_BYTES 1024u				  /* a command table: 4 to a page */
#define AHCI_TABLE_PRDS	 ((AHCI_TABLE_BYTES - 0x80) / 16) /* PRDs in it: 56 */
#define AHCI_DMA_PAGES	 (2 + AHCI_SLOTS * AHCI_TABLE_BYTES / AHCI_PAGE) /* a port's: 10 */
#define AHCI_CMD_BYTES	 (1u << 20)		  /* bytes one command moves at most */
#define AHCI_PRD_BYTES	 (4u << 20)		  /* bytes one PRD moves at most (AHCI 4.2.3) */
#define AHCI_CMD_TIMEOUT (30000ull * 1000 * 1000) /* ns a command may take (as Linux's libata) */
#define AHCI_NO_DEADLINE UINT64_MAX

/* HBA registers (AHCI 1.3.1, 3.1) */
#define HBA_CAP	    0x00
#define HBA_GHC	    0x04
#define HBA_IS	    0x08
#define HBA_PI	    0x0C
#define CAP_S64A    (1u << 31)
#define CAP_SNCQ    (1u << 30)
#define CAP_NCS(c)  ((((c) >> 8) & 0x1F) + 1) /* command slots per port */
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
#define PX_SACT 0x34
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
#define ATA_READ_FPDMA	  0x60 /* NCQ: READ/WRITE FPDMA QUEUED */
#define ATA_WRITE_FPDMA	  0x61
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
	/* The driver's one lock: ports, their queues and the clients' tables. */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/* Wake the completion thread at `deadline` (a timer on its notification; queue.c). */
	void (*arm)(void *ctx, uint64_t deadline);
	void *ctx;
};

/* A run of a client's buffer that is physically contiguous: bytes at buffer offset `offset`. */
struct ahci_extent {
	uint64_t offset, phys, bytes;
};
struct ahci_buffer {
	struct ahci_extent *ext; /* by offset, covering 0..size-1 */
	unsigned count;
	uint64_t size;
};

/*
 * A port's DMA memory: one page holding the command list (32 headers) and
 * the received-FIS area, a 1 KiB command table per slot (56 PRDs: a
 * command over a buffer of scattered pages moves 224 KiB, over runs of
 * contiguous pages AHCI_CMD_BYTES), and a scratch page for the driver's own
 * commands (IDENTIFY, the partition table).
 */
struct ahci_dma {
	uint8_t *page; /* command list at 0, FIS area at 0x400 */
	uint64_t page_phys;
	uint8_t *tables; /* slot i's at i * AHCI_TABLE_BYTES */
	uint64_t table_phys[AHCI_SLOTS];
	uint8_t *scratch; /* AHCI_PAGE bytes */
	uint64_t scratch_phys;
};

/*
 * One request on a port: a read or write of sectors to or from a client's
 * buffer (cut into commands of at most AHCI_CMD_BYTES and AHCI_TABLE_PRDS
 * PRDs), or a flush. `lba`, `sectors` and `offset` are what is left to
 * issue; done(io) runs, without the lock, once every command of it ended
 * (status E_OK, or the first error).
 */
enum ahci_op { AHCI_OP_READ, AHCI_OP_WRITE, AHCI_OP_FLUSH };
struct ahci_io {
	struct ahci_io *next; /* in the port's queue, or a list of finished ones */
	enum ahci_op op;
	const struct ahci_buffer *buf;
	uint64_t lba, sectors, offset;
	unsigned inflight; /* its commands on the port */
	bool queued;	   /* still in the port's queue (more to issue) */
	long status;
	void (*done)(struct ahci_io *io);
	void *owner, *client; /* for done */
	uint64_t token, count;
};

struct ahci_disk {
	unsigned port;
	struct ahci_dma dma;
	struct block_geometry geo;
	char model[BLOCK_MODEL_BYTES];
	char serial[21];
	bool lba48, ncq;
	unsigned depth; /* commands in flight at most: the slots (NCQ), else 1 */
	/* In flight: the request each busy slot's command belongs to, and its deadline. */
	struct ahci_io *slot_io[AHCI_SLOTS];
	uint64_t slot_deadline[AHCI_SLOTS];
	uint32_t busy;		     /* slots with a command in flight */
	bool exclusive;		     /* a non-queued command is in flight: nothing else may be */
	struct ahci_io *head, *tail; /* requests with commands still to issue, in order */
	uint64_t commands, errors, resets; /* for the log, BLOCK_STATS and tests */
};

struct ahci_hba {
	const struct ahci_env *env;
	uint32_t cap, implemented;
	struct ahci_disk disks[AHCI_MAX_DISKS];
	unsigned disk_count;
	uint64_t timer_at; /* when arm() will wake the completion thread; AHCI_NO_DEADLINE: never */
};

/* hba.c */
long ahci_hba_reset(struct ahci_hba *h);
/* Implemented ports with a link up, in port order (their signatures are checked at start). */
unsigned ahci_find_ports(struct ahci_hba *h, unsigned ports[AHCI_MAX_PORTS]);
long ahci_port_start(struct ahci_hba *h, struct ahci_disk *d);
long ahci_port_reset(struct ahci_hba *h, struct ahci_disk *d);
/* Stop a port (its command engine and FIS receive) that will not be served. */
long ahci_port_stop(struct ahci_hba *h, struct ahci_disk *d);
/* Slot s's header and command table: an H2D FIS for cmd, `prds` PRDs written by the caller. */
uint32_t *ahci_slot_prds(struct ahci_disk *d, unsigned s);
void ahci_slot_build(struct ahci_disk *d, unsigned s, uint8_t cmd, uint64_t lba, uint32_t count,
		     unsigned prds, bool write);
/*
 * Before the port is served (queue.c takes over): one ATA command in slot 0
 * over `bytes` of the scratch page, waited for here; E_IO, E_TIMEOUT.
 */
long ahci_command(struct ahci_hba *h, struct ahci_disk *d, uint8_t cmd, uint64_t lba,
		  uint32_t count, uint32_t bytes, bool write);
long ahci_identify(struct ahci_hba *h, struct ahci_disk *d);

/* identify.c: IDENTIFY DEVICE data (256 words, hostile) into d's geometry, model, serial. */
long ahci_parse_identify(const uint16_t id[256], struct ahci_disk *d);

/*
 * queue.c: requests in flight. ahci_submit queues io on d and issues what
 * the port can take (lock held by the caller; E_RANGE for a request its
 * buffer does not hold, and then io is not the port's). ahci_service (lock
 * held) reads every port's completions and errors, resets a port whose
 * command failed or outlived its deadline (failing every request in flight
 * on it), issues more, and returns the finished requests as a list for the
 * caller to run done() on once it has dropped the lock. Deadlines need no
 * wake-up of their own: the first command issued on an idle driver arms a
 * timer (env->arm) for its deadline, and each firing arms it for the
 * earliest one still in flight.
 */
long ahci_submit(struct ahci_hba *h, struct ahci_disk *d, struct ahci_io *io);
struct ahci_io *ahci_service(struct ahci_hba *h);
/* Its extents cover it from offset 0 in whole pages, without gaps (checked at attach). */
bool ahci_buffer_valid(const struct ahci_buffer *b);
/* d's depth and NCQ from the HBA's CAP and IDENTIFY (words 75, 76). */
void ahci_queue_setup(struct ahci_hba *h, struct ahci_disk *d, const uint16_t id[256]);
