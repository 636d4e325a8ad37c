/* SPDX-License-Identifier: MIT */
/*
 * The block protocol's ops over one AHCI disk or partition (disk.c):
 * geometry, the clients' buffers by badge (their pages' physical extents,
 * taken once at BLOCK_ATTACH), reads, writes and flushes handed to the
 * port's queue (queue.c) and answered when the device is done. What needs
 * the system (checking a memory object and finding its pages, watching for
 * a client going, taking and answering a caller's reply) goes through
 * struct ahci_sys, so disk.c compiles on the host.
 */
#pragma once

#include "ahci.h"

#define AHCI_CLIENTS 8 /* buffers attached at once per device */
#define AHCI_IOS     (AHCI_CLIENTS * BLOCK_CLIENT_INFLIGHT) /* requests in flight per device */

struct ahci_client {
	uint64_t badge; /* 0: a free slot */
	handle_t mobj;	/* held: the pages stay while a transfer may reach them */
	struct ahci_buffer buf;
	unsigned inflight;
	bool gone; /* the client went with requests in flight: freed after the last */
};

struct ahci_sys {
	/* Check mobj (a memory object of at most BLOCK_BUFFER_MAX bytes) and find its pages. */
	long (*buffer)(void *ctx, handle_t mobj, struct ahci_buffer *b);
	/* Free what buffer() made and close the handle. */
	void (*release)(void *ctx, handle_t mobj, struct ahci_buffer *b);
	/* Arm a notice for the client going (E_NOENT: gone already). */
	long (*watch)(void *ctx, uint64_t badge);
	/* Take the caller's reply for a later answer (sys_reply_save): a token for answer(). */
	long (*defer)(void *ctx, uint64_t *token);
	void (*answer)(void *ctx, uint64_t token, long status, uint64_t count);
	void *ctx;
};

/* A whole disk, or a partition of one: sectors base..base + geo.sectors - 1 of the disk. */
struct ahci_disk_server {
	struct ahci_hba *hba;
	struct ahci_disk *disk;
	const struct ahci_sys *sys;
	uint64_t base;
	struct block_geometry geo;
	struct ahci_client clients[AHCI_CLIENTS];
	struct ahci_io ios[AHCI_IOS];
	bool io_used[AHCI_IOS];
};

/* Serve the whole disk (sectors 0: all of it) or sectors base..base+sectors-1 of it. */
void ahci_disk_server_init(struct ahci_disk_server *ds, struct ahci_hba *hba,
			   struct ahci_disk *disk, const struct ahci_sys *sys, uint64_t base,
			   uint64_t sectors);

extern const struct block_ops ahci_block_ops;
/* A client's badge is gone: forget its buffer (once nothing of it is in flight). */
void ahci_client_gone(void *ctx, uint64_t badge);
