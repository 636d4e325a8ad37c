/* SPDX-License-Identifier: MIT */
/*
 * Requests in flight on a port. Each port keeps a FIFO of requests (struct
 * ahci_io) and a table of its busy command slots. ahci_submit appends a
 * request and issues what the port can take: with NCQ (CAP.SNCQ and
 * IDENTIFY word 76 bit 8) up to `depth` READ/WRITE FPDMA QUEUED commands at
 * once, tag = slot, PxSACT then PxCI set; without it one READ/WRITE DMA EXT
 * at a time. FLUSH CACHE EXT is never queued: it waits until the port is
 * idle and nothing is issued behind it until it ends, so it is a barrier.
 * Each command's PRDs point straight into the client's buffer (its
 * extents, merged up to AHCI_PRD_BYTES per entry), at most AHCI_CMD_BYTES
 * and AHCI_TABLE_PRDS entries per command; a larger request takes several
 * commands, issued as slots free up.
 *
 * ahci_service runs on the driver's completion thread after each MSI (or a
 * deadline): for every port it clears PxIS, and a slot whose bit left both
 * PxCI and PxSACT has completed. A task-file or HBA error, or a command past
 * its deadline, resets the port (COMRESET) and fails every request with a
 * command in flight there (E_IO or E_TIMEOUT); requests still waiting in
 * the queue are issued after the reset. The caller holds the driver's lock
 * for both and runs the finished requests' done() after dropping it.
 */
#include <string.h>

#include "ahci.h"
#include "sys/errors.h"

static uint32_t port_read(struct ahci_hba *h, struct ahci_disk *d, uint32_t off)
{
	return h->env->read(h->env->ctx, PORT_REG(d->port) + off);
}

static void port_write(struct ahci_hba *h, struct ahci_disk *d, uint32_t off, uint32_t v)
{
	h->env->write(h->env->ctx, PORT_REG(d->port) + off, v);
}

void ahci_queue_setup(struct ahci_hba *h, struct ahci_disk *d, const uint16_t id[256])
{
	unsigned slots = CAP_NCS(h->cap), queue = (id[75] & 0x1F) + 1u;

	d->ncq = (h->cap & CAP_SNCQ) && id[76] != 0xFFFF && (id[76] & (1u << 8));
	d->depth = d->ncq ? (slots < queue ? slots : queue) : 1;
	if (d->depth > AHCI_SLOTS)
		d->depth = AHCI_SLOTS;
}

static bool queued(const struct ahci_disk *d, const struct ahci_io *io)
{
	return d->ncq && io->op != AHCI_OP_FLUSH && io->status == E_OK;
}

static int free_slot(const struct ahci_disk *d)
{
	for (unsigned s = 0; s < d->depth; s++)
		if (!(d->busy & (1u << s)))
			return (int)s;
	return -1;
}

/* The extent holding buffer offset `off` (the decode kept every request inside the buffer). */
static unsigned extent_at(const struct ahci_buffer *b, uint64_t off)
{
	unsigned lo = 0, hi = b->count;

	while (hi - lo > 1) {
		unsigned mid = lo + (hi - lo) / 2;
		if (b->ext[mid].offset <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Slot s's PRDs for io's next command; its byte count (whole sectors), *prds entries. */
static uint64_t fill_prds(struct ahci_disk *d, unsigned s, const struct ahci_io *io, unsigned *prds)
{
	const struct ahci_buffer *b = io->buf;
	uint64_t ss = d->geo.sector_size, off = io->offset, done = 0;
	uint64_t want = io->sectors * ss < AHCI_CMD_BYTES ? io->sectors * ss : AHCI_CMD_BYTES;
	uint32_t *e = ahci_slot_prds(d, s);
	unsigned n = 0;

	for (unsigned k = extent_at(b, off); done < want && n < AHCI_TABLE_PRDS && k < b->count;) {
		const struct ahci_extent *x = &b->ext[k];
		uint64_t len = x->offset + x->bytes - off, phys = x->phys + (off - x->offset);
		len = len < want - done ? len : want - done;
		len = len < AHCI_PRD_BYTES ? len : AHCI_PRD_BYTES;
		e[4 * n] = (uint32_t)phys;
		e[4 * n + 1] = (uint32_t)(phys >> 32);
		e[4 * n + 2] = 0;
		e[4 * n + 3] = (uint32_t)(len - 1);
		n++, done += len, off += len;
		if (off == x->offset + x->bytes)
			k++;
	}
	uint64_t cut = done % ss; /* extents are whole pages, so never; but end on a sector */
	if (cut && n > 0 && (e[4 * (n - 1) + 3] + 1u) > cut)
		e[4 * (n - 1) + 3] -= (uint32_t)cut;
	*prds = n;
	return done - cut;
}

static uint8_t command_of(const struct ahci_disk *d, const struct ahci_io *io)
{
	if (io->op == AHCI_OP_FLUSH)
		return ATA_FLUSH_EXT;
	if (io->op == AHCI_OP_WRITE)
		return d->ncq ? ATA_WRITE_FPDMA : ATA_WRITE_DMA_EXT;
	return d->ncq ? ATA_READ_FPDMA : ATA_READ_DMA_EXT;
}

/* io's next command in slot s. */
static void issue_one(struct ahci_hba *h, struct ahci_disk *d, struct ahci_io *io, unsigned s)
{
	unsigned prds = 0;
	uint64_t bytes = io->op == AHCI_OP_FLUSH ? 0 : fill_prds(d, s, io, &prds);
	uint32_t count = (uint32_t)(bytes / d->geo.sector_size);
	uint64_t deadline = h->env->now(h->env->ctx) + AHCI_CMD_TIMEOUT;

	uint8_t cmd = command_of(d, io);

	if (io->op != AHCI_OP_FLUSH && bytes == 0) { /* ahci_submit checked: never */
		io->status = E_IO;
		io->sectors = 0;
		cmd = ATA_FLUSH_EXT; /* harmless, and it completes the request */
	}
	ahci_slot_build(d, s, cmd, io->lba, count, prds, io->op == AHCI_OP_WRITE);
	io->lba += count, io->sectors -= count, io->offset += bytes;
	if (io->op == AHCI_OP_FLUSH)
		io->sectors = 0;
	io->inflight++;
	d->slot_io[s] = io;
	d->slot_deadline[s] = deadline;
	d->busy |= 1u << s;
	d->exclusive = cmd == ATA_FLUSH_EXT || !d->ncq;
	d->commands++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* the tables are written before the doorbell */
	if (!d->exclusive)
		port_write(h, d, PX_SACT, 1u << s);
	port_write(h, d, PX_CI, 1u << s);
	if (h->timer_at == AHCI_NO_DEADLINE) { /* an armed timer is earlier than any new deadline */
		h->timer_at = deadline;
		h->env->arm(h->env->ctx, deadline);
	}
}

/* Issue from the head of the queue while the port can take more. */
static void issue(struct ahci_hba *h, struct ahci_disk *d)
{
	while (d->head && !d->exclusive) {
		struct ahci_io *io = d->head;
		int s = free_slot(d);
		if (s < 0 || (!queued(d, io) && d->busy))
			return; /* no slot, or a non-queued command waits for an idle port */
		issue_one(h, d, io, (unsigned)s);
		if (io->sectors == 0) {
			d->head = io->next;
			if (!d->head)
				d->tail = NULL;
			io->queued = false;
		}
	}
}

bool ahci_buffer_valid(const struct ahci_buffer *b)
{
	uint64_t at = 0;

	for (unsigned k = 0; k < b->count; k++) {
		if (b->ext[k].offset != at || b->ext[k].bytes == 0 || b->ext[k].bytes % AHCI_PAGE)
			return false;
		at += b->ext[k].bytes;
	}
	return b->count > 0 && at == b->size;
}

long ahci_submit(struct ahci_hba *h, struct ahci_disk *d, struct ahci_io *io)
{
	if (io->op != AHCI_OP_FLUSH &&
	    (io->sectors == 0 || !io->buf || io->offset % d->geo.sector_size ||
	     io->sectors > (io->buf->size - io->offset) / d->geo.sector_size ||
	     io->offset >= io->buf->size))
		return E_RANGE;
	io->next = NULL;
	io->inflight = 0;
	io->status = E_OK;
	io->queued = true;
	if (io->op == AHCI_OP_FLUSH)
		io->sectors = 0;
	if (d->tail)
		d->tail->next = io;
	else
		d->head = io;
	d->tail = io;
	issue(h, d);
	return E_OK;
}

/* Slot s is done (err: how); its request joins *done once nothing of it is left. */
static void finish_slot(struct ahci_disk *d, unsigned s, long err, struct ahci_io **done)
{
	struct ahci_io *io = d->slot_io[s];

	d->slot_io[s] = NULL;
	d->busy &= ~(1u << s);
	d->exclusive = false; /* an exclusive command is the only one in flight */
	if (err < 0 && io->status == E_OK)
		io->status = err;
	if (--io->inflight == 0 && !io->queued) {
		io->next = *done;
		*done = io;
	}
}

/* Reset the port; every request with a command in flight fails with err. */
static void fail_port(struct ahci_hba *h, struct ahci_disk *d, long err, struct ahci_io **done)
{
	d->errors++;
	if (d->head && d->head->inflight) { /* partly issued: the rest is not sent */
		d->head->queued = false;
		d->head = d->head->next;
		if (!d->head)
			d->tail = NULL;
	}
	for (unsigned s = 0; s < AHCI_SLOTS; s++)
		if (d->busy & (1u << s))
			finish_slot(d, s, err, done);
	d->exclusive = false;
	ahci_port_reset(h, d);
}

static void service_port(struct ahci_hba *h, struct ahci_disk *d, uint64_t now,
			 struct ahci_io **done)
{
	uint32_t is = port_read(h, d, PX_IS);

	port_write(h, d, PX_IS, is);
	h->env->write(h->env->ctx, HBA_IS, 1u << d->port);
	if ((is & IS_ERRORS) || (port_read(h, d, PX_TFD) & TFD_ERR)) {
		fail_port(h, d, E_IO, done);
	} else {
		uint32_t ended = d->busy & ~(port_read(h, d, PX_CI) | port_read(h, d, PX_SACT));
		for (unsigned s = 0; s < AHCI_SLOTS; s++)
			if (ended & (1u << s))
				finish_slot(d, s, E_OK, done);
		for (unsigned s = 0; s < AHCI_SLOTS; s++)
			if ((d->busy & (1u << s)) && d->slot_deadline[s] <= now) {
				fail_port(h, d, E_TIMEOUT, done);
				break;
			}
	}
	issue(h, d);
}

/* The earliest deadline in flight, and the timer armed for it once the last one fired. */
static void rearm(struct ahci_hba *h, uint64_t now)
{
	uint64_t next = AHCI_NO_DEADLINE;

	if (h->timer_at != AHCI_NO_DEADLINE && h->timer_at > now)
		return; /* still to come: no later than any deadline in flight */
	for (unsigned i = 0; i < h->disk_count; i++)
		for (unsigned s = 0; s < AHCI_SLOTS; s++)
			if ((h->disks[i].busy & (1u << s)) && h->disks[i].slot_deadline[s] < next)
				next = h->disks[i].slot_deadline[s];
	h->timer_at = next;
	if (next != AHCI_NO_DEADLINE)
		h->env->arm(h->env->ctx, next);
}

struct ahci_io *ahci_service(struct ahci_hba *h)
{
	struct ahci_io *done = NULL;
	uint64_t now = h->env->now(h->env->ctx);

	for (unsigned i = 0; i < h->disk_count; i++)
		service_port(h, &h->disks[i], now, &done);
	h->env->ack_irq(h->env->ctx);
	rearm(h, now);
	return done;
}
