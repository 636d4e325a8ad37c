/* SPDX-License-Identifier: MIT */
/*
 * The block ops of one AHCI disk or partition (disk.h). The protocol's
 * decode has already held each read or write to the device and to the
 * client's buffer (block_check_io); a partition's geometry is the
 * partition's and `base` moves it on the disk. A read, write or flush
 * takes the caller's reply (ahci_sys.defer), goes to the port's queue as a
 * struct ahci_io from this device's pool and returns BLOCK_PENDING; the
 * completion thread answers it (io_done) when the device is done, so this
 * device's thread serves the next request meanwhile. Every client may have
 * BLOCK_CLIENT_INFLIGHT requests in flight; the pool holds that many for
 * every client slot. A client that goes (its badge's notice) keeps its
 * buffer's handle until its last request ended: its pages are not freed
 * under a transfer. The driver's one lock guards the table, the pool and
 * the port.
 */
#include <string.h>

#include "disk.h"
#include "sys/errors.h"

static void lock(struct ahci_disk_server *ds)
{
	ds->hba->env->lock(ds->hba->env->ctx);
}

static void unlock(struct ahci_disk_server *ds)
{
	ds->hba->env->unlock(ds->hba->env->ctx);
}

static struct ahci_client *client_of(struct ahci_disk_server *ds, uint64_t badge)
{
	for (unsigned i = 0; i < AHCI_CLIENTS; i++)
		if (ds->clients[i].badge == badge && badge && !ds->clients[i].gone)
			return &ds->clients[i];
	return NULL;
}

static struct ahci_client *free_client(struct ahci_disk_server *ds)
{
	for (unsigned i = 0; i < AHCI_CLIENTS; i++)
		if (!ds->clients[i].badge)
			return &ds->clients[i];
	return NULL;
}

static long disk_geometry(void *ctx, struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	struct ahci_disk_server *ds = ctx;

	*g = ds->geo;
	memcpy(model, ds->disk->model, BLOCK_MODEL_BYTES);
	return E_OK;
}

/* Badge's slot takes the buffer (E_BUSY while its old one has requests in flight). */
static long take_buffer(struct ahci_disk_server *ds, uint64_t badge, handle_t mobj,
			struct ahci_buffer *b)
{
	struct ahci_client *c = client_of(ds, badge);

	if (c && c->inflight)
		return E_BUSY;
	if (!c && ds->sys->watch(ds->sys->ctx, badge) < 0)
		return E_NOENT;
	if (!c && !(c = free_client(ds)))
		return E_NOSPACE;
	struct ahci_client old = *c;
	*c = (struct ahci_client){.badge = badge, .mobj = mobj, .buf = *b};
	*b = old.buf; /* the old buffer goes back to the caller to release */
	return old.mobj ? (long)old.mobj : 0;
}

static long disk_attach(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	struct ahci_disk_server *ds = ctx;
	struct ahci_buffer b = {0};
	long err = ds->sys->buffer(ds->sys->ctx, mobj, &b);

	if (err == E_OK && (b.size < ds->disk->geo.sector_size || !ahci_buffer_valid(&b)))
		err = E_RANGE;
	if (err < 0) {
		ds->sys->release(ds->sys->ctx, mobj, &b);
		return err;
	}
	uint64_t got = b.size;
	lock(ds);
	long old = take_buffer(ds, badge, mobj, &b);
	unlock(ds);
	if (old < 0)
		ds->sys->release(ds->sys->ctx, mobj, &b); /* refused: ours goes */
	else if (old > 0)
		ds->sys->release(ds->sys->ctx, (handle_t)old, &b); /* replaced: the old one goes */
	if (old < 0)
		return old;
	*size = got;
	return E_OK;
}

static uint64_t disk_buffer_size(void *ctx, uint64_t badge)
{
	struct ahci_disk_server *ds = ctx;

	lock(ds);
	struct ahci_client *c = client_of(ds, badge);
	uint64_t size = c ? c->buf.size : 0;
	unlock(ds);
	return size;
}

static struct ahci_io *io_alloc(struct ahci_disk_server *ds)
{
	for (unsigned i = 0; i < AHCI_IOS; i++)
		if (!ds->io_used[i]) {
			ds->io_used[i] = true;
			return &ds->ios[i];
		}
	return NULL;
}

/* The device is done with io (the completion thread, without the lock). */
static void io_done(struct ahci_io *io)
{
	struct ahci_disk_server *ds = io->owner;
	struct ahci_client *c = io->client, gone = {0};

	ds->sys->answer(ds->sys->ctx, io->token, io->status, io->count);
	lock(ds);
	if (c && --c->inflight == 0 && c->gone) {
		gone = *c;
		*c = (struct ahci_client){0};
	}
	ds->io_used[io - ds->ios] = false;
	unlock(ds);
	if (gone.mobj)
		ds->sys->release(ds->sys->ctx, gone.mobj, &gone.buf);
}

/* Queue a request for c (NULL: a flush); the caller's reply waits for io_done. */
static long submit(struct ahci_disk_server *ds, struct ahci_client *c, struct ahci_io *io)
{
	long err = ds->sys->defer(ds->sys->ctx, &io->token);

	if (err < 0) { /* the reply is still the decode's to send */
		ds->io_used[io - ds->ios] = false;
		return err;
	}
	io->owner = ds, io->client = c, io->done = io_done;
	err = ahci_submit(ds->hba, ds->disk, io);
	if (err < 0) { /* refused (never, after the decode): the reply taken says so */
		ds->sys->answer(ds->sys->ctx, io->token, err, 0);
		ds->io_used[io - ds->ios] = false;
		return BLOCK_PENDING;
	}
	if (c)
		c->inflight++;
	return BLOCK_PENDING;
}

static long disk_io(void *ctx, uint64_t badge, enum block_dir dir,
		    const struct block_io_request *rq)
{
	struct ahci_disk_server *ds = ctx;
	long err = E_NOSPACE;

	lock(ds);
	struct ahci_client *c = client_of(ds, badge);
	struct ahci_io *io = NULL;
	if (!c)
		err = E_NOENT;
	else if (c->inflight >= BLOCK_CLIENT_INFLIGHT)
		err = E_BUSY;
	else if ((io = io_alloc(ds)) != NULL) {
		*io = (struct ahci_io){.op = dir == BLOCK_DIR_WRITE ? AHCI_OP_WRITE : AHCI_OP_READ,
				       .buf = &c->buf,
				       .lba = ds->base +
					      rq->lba, /* the decode kept it inside geo */
				       .sectors = rq->count,
				       .offset = rq->offset,
				       .count = rq->count};
		err = submit(ds, c, io);
	}
	unlock(ds);
	return err;
}

static long disk_flush(void *ctx)
{
	struct ahci_disk_server *ds = ctx;
	long err = E_BUSY;

	lock(ds);
	struct ahci_io *io = io_alloc(ds);
	if (io) {
		*io = (struct ahci_io){.op = AHCI_OP_FLUSH};
		err = submit(ds, NULL, io);
	}
	unlock(ds);
	return err;
}

static long disk_stats(void *ctx, struct block_stats *st)
{
	const struct ahci_disk *d = ((struct ahci_disk_server *)ctx)->disk;

	*st = (struct block_stats){d->commands, d->errors, d->resets};
	return E_OK;
}

void ahci_disk_server_init(struct ahci_disk_server *ds, struct ahci_hba *hba,
			   struct ahci_disk *disk, const struct ahci_sys *sys, uint64_t base,
			   uint64_t sectors)
{
	memset(ds, 0, sizeof(*ds));
	ds->hba = hba, ds->disk = disk, ds->sys = sys, ds->base = base;
	ds->geo = disk->geo;
	if (sectors)
		ds->geo.sectors = sectors;
}

void ahci_client_gone(void *ctx, uint64_t badge)
{
	struct ahci_disk_server *ds = ctx;
	struct ahci_client gone = {0};

	lock(ds);
	struct ahci_client *c = client_of(ds, badge);
	if (c && c->inflight)
		c->gone = true; /* io_done frees it after the last */
	else if (c) {
		gone = *c;
		*c = (struct ahci_client){0};
	}
	unlock(ds);
	if (gone.mobj)
		ds->sys->release(ds->sys->ctx, gone.mobj, &gone.buf);
}

const struct block_ops ahci_block_ops = {disk_geometry, disk_attach, disk_buffer_size,
					 disk_io,	disk_flush,  disk_stats};
