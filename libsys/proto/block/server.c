/* SPDX-License-Identifier: MIT */
/*
 * Server side of the block protocol (proto/block.h): every request is
 * checked against the disk's geometry and the caller's buffer here, before
 * an op runs; the ops (a driver's, or a host test's fake disk) then see only
 * ranges that fit both. A read or write the op left pending is answered
 * later by the driver with block_io_answer's message.
 */
#include <string.h>

#include "proto/block.h"
#include "sys/errors.h"

long block_check_io(const struct block_geometry *g, uint64_t buffer_size,
		    const struct block_io_request *rq)
{
	if (rq->count == 0 || rq->count > g->max_sectors || g->sector_size == 0 ||
	    rq->offset % g->sector_size)
		return E_INVAL;
	if (rq->lba >= g->sectors || rq->count > g->sectors - rq->lba)
		return E_RANGE;
	if (buffer_size == 0)
		return E_NOENT;
	uint64_t bytes = rq->count * g->sector_size; /* count <= max_sectors: no overflow */
	if (rq->offset >= buffer_size || bytes > buffer_size - rq->offset)
		return E_RANGE;
	return E_OK;
}

static long on_geometry(struct server_request *req)
{
	const struct block_server *bs = req->ctx;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES] = {0};

	long err = bs->ops->geometry(bs->ctx, &g, model);
	if (err == E_OK)
		server_reply_record(req, &g, sizeof(g), model, sizeof(model));
	return err;
}

static long on_attach(struct server_request *req)
{
	const struct block_server *bs = req->ctx;
	handle_t mobj = server_take_cap(req);
	uint64_t size = 0;

	if (mobj == HANDLE_INVALID)
		return E_INVAL;
	long err = bs->ops->attach(bs->ctx, req->msg.badge, mobj, &size);
	if (err < 0)
		return err;
	req->msg.w[0] = size;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

struct ipc_msg block_io_answer(long status, uint64_t count)
{
	if (status < 0 || count == 0) /* an error, or a flush's answer */
		return (struct ipc_msg){.tag = IPC_TAG((uint16_t)status, 0, 0, 0)};
	return (struct ipc_msg){.tag = IPC_TAG(0, 1, 0, 0), .w = {count}};
}

static long on_io(struct server_request *req, enum block_dir dir)
{
	const struct block_server *bs = req->ctx;
	struct block_io_request rq;
	struct block_geometry g;
	char model[BLOCK_MODEL_BYTES];

	if (IPC_TAG_WORDS(req->in_tag) != 3)
		return E_PROTO;
	memcpy(&rq, req->msg.w, sizeof(rq));
	long err = bs->ops->geometry(bs->ctx, &g, model);
	if (err == E_OK)
		err = block_check_io(&g, bs->ops->buffer_size(bs->ctx, req->msg.badge), &rq);
	if (err == E_OK)
		err = bs->ops->io(bs->ctx, req->msg.badge, dir, &rq);
	if (err < 0 || err == BLOCK_PENDING)
		return err < 0 ? err : E_OK; /* pending: the caller's reply is taken, none goes */
	req->msg.w[0] = rq.count;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static long on_read(struct server_request *req)
{
	return on_io(req, BLOCK_DIR_READ);
}

static long on_write(struct server_request *req)
{
	return on_io(req, BLOCK_DIR_WRITE);
}

static long on_flush(struct server_request *req)
{
	const struct block_server *bs = req->ctx;
	long err = bs->ops->flush(bs->ctx);

	return err == BLOCK_PENDING ? E_OK : err; /* pending: the caller's reply is taken */
}

static long on_stats(struct server_request *req)
{
	const struct block_server *bs = req->ctx;
	struct block_stats st = {0};
	long err = bs->ops->stats(bs->ctx, &st);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &st, sizeof(st));
	req->msg.tag = IPC_TAG(0, 3, 0, 0);
	return E_OK;
}

static const struct server_method block_methods[] = {
	{BLOCK_GEOMETRY, 0, on_geometry}, {BLOCK_ATTACH, 0, on_attach}, {BLOCK_READ, 0, on_read},
	{BLOCK_WRITE, 0, on_write},	  {BLOCK_FLUSH, 0, on_flush},	{BLOCK_STATS, 0, on_stats},
};

struct server block_server(handle_t ep, struct block_server *bs)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(block_methods), .ctx = bs};
}
