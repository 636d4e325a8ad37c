/* SPDX-License-Identifier: MIT */
/*
 * The block protocol's ops over one AHCI disk (disk.c): geometry, the
 * clients' buffers by badge, reads and writes through the port's bounce
 * buffer in pieces of at most AHCI_BOUNCE bytes, FLUSH CACHE EXT. What needs
 * the system (mapping a client's memory object, watching for the client
 * going) goes through struct ahci_buffers, so disk.c compiles on the host.
 */
#pragma once

#include "ahci.h"

#define AHCI_CLIENTS 8 /* buffers attached at once per disk */

struct ahci_client {
	uint64_t badge; /* 0: a free slot */
	handle_t mobj;
	uint8_t *va;
	uint64_t size;
};

struct ahci_buffers {
	/* Check mobj (a memory object of at most BLOCK_BUFFER_MAX bytes) and map it for slot. */
	long (*map)(void *ctx, unsigned slot, handle_t mobj, uint8_t **va, uint64_t *size);
	void (*unmap)(void *ctx, const struct ahci_client *c);
	/* Arm a notice for the client going (E_NOENT: gone already). */
	long (*watch)(void *ctx, uint64_t badge);
	void *ctx;
};

/* A whole disk, or a partition of one: sectors base..base + geo.sectors - 1 of the disk. */
struct ahci_disk_server {
	struct ahci_hba *hba;
	struct ahci_disk *disk;
	const struct ahci_buffers *bufs;
	uint64_t base;
	struct block_geometry geo;
	struct ahci_client clients[AHCI_CLIENTS];
};

/* Serve the whole disk (sectors 0: all of it) or sectors base..base+sectors-1 of it. */
void ahci_disk_server_init(struct ahci_disk_server *ds, struct ahci_hba *hba,
			   struct ahci_disk *disk, const struct ahci_buffers *bufs, uint64_t base,
			   uint64_t sectors);

extern const struct block_ops ahci_block_ops;
/* A client's badge is gone: forget its buffer. */
void ahci_client_gone(void *ctx, uint64_t badge);
