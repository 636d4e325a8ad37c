/* SPDX-License-Identifier: MIT */
/*
 * The block protocol (methods 0x0600-0x06FF, sys/protocols.h): a disk as
 * numbered sectors, served by a block driver (servers/ahci) on endpoints
 * named disk0, disk1, ... Sector data never travels through IPC: the client
 * hands the driver a memory object once (BLOCK_ATTACH) and each read or
 * write names a sector range and a byte offset in that buffer; the driver
 * has the device move the data straight between the disk and those pages
 * (DMA; no copy anywhere).
 *
 * BLOCK_GEOMETRY (idempotent)
 *   request: nothing
 *   reply:   w0 = sector size in bytes (512 or 4096), w1 = sector count,
 *            w2 = most sectors one request may name; bytes = the model,
 *            NUL-terminated, at most BLOCK_MODEL_BYTES with the NUL
 * BLOCK_ATTACH (idempotent: attaching again replaces the buffer)
 *   request: cap = a memory object (R_READ | R_WRITE) of at least one
 *            sector; the driver checks its size (SYS_HANDLE_INFO) and
 *            takes its pages' physical addresses once, holding the handle
 *            (so the pages stay while a transfer may still reach them,
 *            whatever the client does meanwhile)
 *   reply:   w0 = the buffer's size in bytes
 *   errors:  E_INVAL no capability; E_TYPE not a memory object; E_RANGE
 *            smaller than a sector, larger than BLOCK_BUFFER_MAX, or with
 *            pages above 4 GiB that the controller cannot address (make it
 *            with MOBJ_BELOW_4G); E_NOSPACE the driver's client table is
 *            full; E_BUSY requests on the old buffer are still in flight
 * BLOCK_READ, BLOCK_WRITE (idempotent: whole sectors at fixed places)
 *   request: w0 = first LBA, w1 = sector count, w2 = byte offset in the
 *            attached buffer (a multiple of the sector size)
 *   reply:   w0 = the sector count done (all of them)
 *   errors:  E_INVAL count 0, more than w2 of the geometry, or an offset
 *            not sector aligned; E_RANGE past the disk's end or the
 *            buffer's; E_NOENT no buffer attached (a new driver instance
 *            knows none); E_BUSY the client has BLOCK_CLIENT_INFLIGHT
 *            requests in flight already; E_IO the device failed it (the
 *            port was reset); E_TIMEOUT it did not complete in time (the
 *            port was reset, failing every request in flight on it)
 * BLOCK_FLUSH (idempotent)
 *   request: nothing; reply: nothing, once the device's write cache is on
 *            the medium (FLUSH CACHE EXT). A write is durable after a
 *            successful flush sent after the write's reply arrived.
 * BLOCK_STATS (idempotent)
 *   request: nothing
 *   reply:   w0 = commands the driver issued to the disk (a partition
 *            answers for its whole disk) since it started, w1 = commands
 *            that failed, w2 = port resets
 *
 * Several requests in flight: the driver answers a read or write when the
 * device completes it, not in order, and serves other requests meanwhile.
 * A client has several outstanding by calling from several threads on one
 * struct block_client (the stubs are thread-safe: each thread's call uses
 * its own IPC buffer, and attaching again after a restart happens once),
 * each thread using its own part of the shared buffer. There is no
 * submit/complete API: a blocked thread per request is what IPC calls give
 * for free, and the driver's limit per client keeps it bounded. A request
 * whose caller gave up (its timeout) still runs to the end on the device
 * and counts against that limit until then: a read may still write its
 * part of the buffer until the device ends it (within the driver's 30 s
 * command timeout), so a client that gave up does not reuse that part
 * sooner.
 *
 * Recovery: the driver is stateless. A call in flight when it dies returns
 * E_RESTARTED and a new instance knows no buffers; the client library
 * (struct block_client) attaches again and resends, up to
 * BLOCK_ATTEMPTS times, which is safe because every request names whole
 * sectors at fixed LBAs and offsets: doing one twice gives the same disk
 * and buffer as doing it once. A write that failed may have reached the
 * medium partly; resending it completes it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/lock.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define BLOCK_PROTOCOL_BASE PROTOCOL_BASE(block)
#define BLOCK_GEOMETRY	    (BLOCK_PROTOCOL_BASE + 0x01)
#define BLOCK_ATTACH	    (BLOCK_PROTOCOL_BASE + 0x02)
#define BLOCK_READ	    (BLOCK_PROTOCOL_BASE + 0x03)
#define BLOCK_WRITE	    (BLOCK_PROTOCOL_BASE + 0x04)
#define BLOCK_FLUSH	    (BLOCK_PROTOCOL_BASE + 0x05)
#define BLOCK_STATS	    (BLOCK_PROTOCOL_BASE + 0x06)

#define BLOCK_ATTEMPTS	      4		    /* how often the stubs send an idempotent request */
#define BLOCK_MODEL_BYTES     41	    /* an ATA model string (40 characters) and its NUL */
#define BLOCK_BUFFER_MAX      (64ull << 20) /* the largest buffer a client may attach */
#define BLOCK_NAME_PREFIX     "disk"	    /* endpoints: disk0, disk1, ... */
#define BLOCK_CLIENT_INFLIGHT 16	    /* requests a client may have in flight on one device */
#define BLOCK_PENDING	      1		    /* io op: the answer comes later (block_io_answer) */

struct block_geometry {
	uint64_t sector_size;
	uint64_t sectors;
	uint64_t max_sectors;
};
struct block_io_request {
	uint64_t lba;
	uint64_t count;
	uint64_t offset;
};
struct block_io_reply {
	uint64_t count;
};
struct block_stats {
	uint64_t commands;
	uint64_t errors;
	uint64_t resets;
};
_Static_assert(sizeof(struct block_geometry) == 3 * sizeof(uint64_t), "3 words");
_Static_assert(sizeof(struct block_io_request) == 3 * sizeof(uint64_t), "3 words");
_Static_assert(sizeof(struct block_io_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct block_stats) == 3 * sizeof(uint64_t), "3 words");

/*
 * A client's connection to one disk: its endpoint and the buffer it attaches
 * (the client keeps its own handle; the driver gets a copy). The stubs
 * attach on first use and again after the driver restarted. Several
 * threads may use one at once (see "Several requests in flight").
 */
struct block_client {
	handle_t ep;
	handle_t buffer;
	uint64_t buffer_size; /* what the driver reported */
	uint32_t generation;  /* attachments made; 0: not attached */
	struct sys_lock lock; /* held while attaching */
	uint64_t timeout;
	int attempts; /* BLOCK_ATTEMPTS unless set */
};

/* Client stubs: E_OK or an error (E_PROTO for a reply of the wrong shape). */
long block_geometry(struct block_client *c, struct block_geometry *g,
		    char model[BLOCK_MODEL_BYTES]);
long block_attach(struct block_client *c);
long block_read(struct block_client *c, uint64_t lba, uint64_t count, uint64_t offset);
long block_write(struct block_client *c, uint64_t lba, uint64_t count, uint64_t offset);
/*
 * One read or write request, sent once with no attach before or after: E_OK
 * when the driver did all `count` sectors, else its answer as it is
 * (E_RESTARTED or E_NOENT: block_read or block_write resends and attaches
 * again). For a client whose buffer is attached and that resends itself.
 */
long block_io_once(struct block_client *c, bool write, uint64_t lba, uint64_t count,
		   uint64_t offset);
long block_flush(struct block_client *c);
long block_stats(struct block_client *c, struct block_stats *st);

/*
 * Server side. The decode checks every request against the geometry and the
 * caller's buffer before an op runs, so the io op sees only ranges inside
 * the disk and inside the buffer. The io and flush ops either answer at once
 * (E_OK or an error) or return BLOCK_PENDING after taking the caller's reply
 * (sys_reply_save); the decode then answers nothing, and the driver sends
 * block_io_answer's message to that reply when the device is done.
 */
enum block_dir { BLOCK_DIR_READ, BLOCK_DIR_WRITE };
struct block_ops {
	long (*geometry)(void *ctx, struct block_geometry *g, char model[BLOCK_MODEL_BYTES]);
	/* Take handle `mobj` as badge's buffer (replacing one it had); its size in *size. */
	long (*attach)(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size);
	/* The size of badge's buffer, 0 if it has none. */
	uint64_t (*buffer_size)(void *ctx, uint64_t badge);
	long (*io)(void *ctx, uint64_t badge, enum block_dir dir,
		   const struct block_io_request *rq);
	long (*flush)(void *ctx);
	long (*stats)(void *ctx, struct block_stats *st);
};
struct block_server {
	const struct block_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into bs (which must outlive it). */
struct server block_server(handle_t ep, struct block_server *bs);
/* The reply to a read or write of `count` sectors that ended with `status`; count 0: a flush's. */
struct ipc_msg block_io_answer(long status, uint64_t count);
/* The check the decode makes of a read or write (E_OK or the error above). */
long block_check_io(const struct block_geometry *g, uint64_t buffer_size,
		    const struct block_io_request *rq);
