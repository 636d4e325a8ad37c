/* SPDX-License-Identifier: MIT */
/*
 * Client stubs of the block protocol (proto/block.h). Every block request is
 * idempotent, so each stub resends after E_RESTARTED; a read or write that
 * finds no buffer (a new driver instance) attaches the client's buffer again
 * and resends.
 */
#include <string.h>

#include "proto/block.h"
#include "sys/sys.h"

static int attempts(const struct block_client *c)
{
	return c->attempts > 0 ? c->attempts : BLOCK_ATTEMPTS;
}

/* The reply's status, or E_PROTO unless it carries `words` words and no more bytes than `bytes`. */
static long reply_status(const struct ipc_msg *m, uint32_t words, uint32_t bytes)
{
	long status = (int16_t)IPC_TAG_LABEL(m->tag);

	if (status < 0)
		return status;
	if (IPC_TAG_WORDS(m->tag) != words || IPC_TAG_BYTES(m->tag) > bytes || IPC_TAG_CAP(m->tag))
		return E_PROTO;
	return E_OK;
}

long block_geometry(struct block_client *c, struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_GEOMETRY, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = reply_status(&m, 3, BLOCK_MODEL_BYTES);
	if (err != E_OK)
		return err;
	uint32_t n = IPC_TAG_BYTES(m.tag);
	if (n == 0 || ipc_buffer()->data[n - 1] != '\0')
		return E_PROTO;
	memcpy(g, m.w, sizeof(*g));
	memcpy(model, ipc_buffer()->data, n);
	return E_OK;
}

long block_attach(struct block_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_ATTACH, 0, 1, 0), .cap = c->buffer};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = reply_status(&m, 1, 0);
	c->attached = err == E_OK;
	if (err == E_OK)
		c->buffer_size = m.w[0];
	return err;
}

/* One read or write, attaching first when the driver (or a new instance of it) has no buffer. */
static long block_io(struct block_client *c, uint16_t method, uint64_t lba, uint64_t count,
		     uint64_t offset)
{
	struct block_io_request rq = {lba, count, offset};
	long err = E_RESTARTED;

	for (int i = 0; i < attempts(c) && (err == E_RESTARTED || err == E_NOENT); i++) {
		err = c->attached ? E_OK : block_attach(c);
		if (err != E_OK)
			return err;
		struct ipc_msg m = {.tag = IPC_TAG(method, 3, 0, 0)};
		memcpy(m.w, &rq, sizeof(rq));
		err = ipc_call(c->ep, &m, c->timeout);
		if (err == E_OK)
			err = reply_status(&m, 1, 0);
		if (err == E_OK && m.w[0] != count)
			err = E_PROTO;
		if (err == E_RESTARTED || err == E_NOENT)
			c->attached = false;
	}
	return err;
}

long block_read(struct block_client *c, uint64_t lba, uint64_t count, uint64_t offset)
{
	return block_io(c, BLOCK_READ, lba, count, offset);
}

long block_write(struct block_client *c, uint64_t lba, uint64_t count, uint64_t offset)
{
	return block_io(c, BLOCK_WRITE, lba, count, offset);
}

long block_flush(struct block_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_FLUSH, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	return err == E_OK ? reply_status(&m, 0, 0) : err;
}
