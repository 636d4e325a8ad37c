/* SPDX-License-Identifier: MIT */
/*
 * The block ops of one AHCI disk (disk.h). The protocol's decode has already
 * held each read or write to the disk and to the client's buffer
 * (block_check_io), a partition's included (its geometry is the
 * partition's; `base` moves it on the disk); here it is cut into commands of at most AHCI_BOUNCE
 * bytes, copied through the port's bounce buffer (DMA memory the driver
 * owns, below 4 GiB when the HBA lacks 64-bit addressing).
 */
#include <string.h>

#include "disk.h"
#include "sys/errors.h"

static struct ahci_client *client_of(struct ahci_disk_server *ds, uint64_t badge)
{
	for (unsigned i = 0; i < AHCI_CLIENTS; i++)
		if (ds->clients[i].badge == badge && ds->clients[i].va)
			return &ds->clients[i];
	return NULL;
}

static void forget(struct ahci_disk_server *ds, struct ahci_client *c)
{
	ds->bufs->unmap(ds->bufs->ctx, c);
	*c = (struct ahci_client){0};
}

static long disk_geometry(void *ctx, struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	struct ahci_disk_server *ds = ctx;

	*g = ds->geo;
	memcpy(model, ds->disk->model, BLOCK_MODEL_BYTES);
	return E_OK;
}

static struct ahci_client *free_slot(struct ahci_disk_server *ds)
{
	for (unsigned i = 0; i < AHCI_CLIENTS; i++)
		if (!ds->clients[i].va && !ds->clients[i].mobj)
			return &ds->clients[i];
	return NULL;
}

static long disk_attach(void *ctx, uint64_t badge, handle_t mobj, uint64_t *size)
{
	struct ahci_disk_server *ds = ctx;
	struct ahci_client *c = client_of(ds, badge);

	if (c)
		forget(ds, c); /* attaching again replaces the buffer */
	else if (ds->bufs->watch(ds->bufs->ctx, badge) < 0)
		return E_NOENT;
	c = free_slot(ds);
	if (!c)
		return E_NOSPACE;
	c->mobj = mobj;
	long err =
		ds->bufs->map(ds->bufs->ctx, (unsigned)(c - ds->clients), mobj, &c->va, &c->size);
	if (err == E_OK && c->size < ds->disk->geo.sector_size)
		err = E_RANGE;
	if (err < 0) {
		forget(ds, c); /* closes the handle, unmaps what was mapped */
		return err;
	}
	c->badge = badge;
	c->mobj = mobj;
	*size = c->size;
	return E_OK;
}

static uint64_t disk_buffer_size(void *ctx, uint64_t badge)
{
	struct ahci_client *c = client_of(ctx, badge);

	return c ? c->size : 0;
}

/* One command's worth: at most AHCI_BOUNCE bytes. */
static long io_piece(struct ahci_disk_server *ds, bool write, uint64_t lba, uint32_t count,
		     uint8_t *buf)
{
	struct ahci_disk *d = ds->disk;
	uint32_t bytes = count * (uint32_t)d->geo.sector_size;

	if (bytes > AHCI_BOUNCE)
		return E_INVAL;
	if (write)
		memcpy(d->dma.bounce, buf, bytes);
	long err = ahci_command(ds->hba, d, write ? ATA_WRITE_DMA_EXT : ATA_READ_DMA_EXT, lba,
				count, bytes, write);
	if (err == E_OK && !write)
		memcpy(buf, d->dma.bounce, bytes);
	return err;
}

static long disk_io(void *ctx, uint64_t badge, enum block_dir dir,
		    const struct block_io_request *rq)
{
	struct ahci_disk_server *ds = ctx;
	struct ahci_client *c = client_of(ds, badge);
	uint64_t per = AHCI_BOUNCE / ds->disk->geo.sector_size, done = 0;

	if (!c)
		return E_NOENT;
	while (done < rq->count) {
		uint64_t n = rq->count - done < per ? rq->count - done : per;
		uint8_t *buf = c->va + rq->offset + done * ds->disk->geo.sector_size;
		uint64_t lba = ds->base + rq->lba + done; /* the decode kept it inside geo */
		long err = io_piece(ds, dir == BLOCK_DIR_WRITE, lba, (uint32_t)n, buf);
		if (err < 0)
			return err;
		done += n;
	}
	return E_OK;
}

static long disk_flush(void *ctx)
{
	struct ahci_disk_server *ds = ctx;

	return ahci_command(ds->hba, ds->disk, ATA_FLUSH_EXT, 0, 0, 0, false);
}

void ahci_disk_server_init(struct ahci_disk_server *ds, struct ahci_hba *hba,
			   struct ahci_disk *disk, const struct ahci_buffers *bufs, uint64_t base,
			   uint64_t sectors)
{
	*ds = (struct ahci_disk_server){.hba = hba, .disk = disk, .bufs = bufs, .base = base};
	ds->geo = disk->geo;
	if (sectors)
		ds->geo.sectors = sectors;
}

void ahci_client_gone(void *ctx, uint64_t badge)
{
	struct ahci_disk_server *ds = ctx;
	struct ahci_client *c = client_of(ds, badge);

	if (c)
		forget(ds, c);
}

const struct block_ops ahci_block_ops = {disk_geometry, disk_attach, disk_buffer_size, disk_io,
					 disk_flush};
