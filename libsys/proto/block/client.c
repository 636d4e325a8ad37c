/* SPDX-License-Identifier: MIT */
/*
 * Client stubs of the block protocol (proto/block.h). Every block request is
 * idempotent, so each stub resends after E_RESTARTED; a read or write that
 * finds no buffer (a new driver instance) attaches the client's buffer again
 * and resends. Threads share one block_client: a thread whose request
 * failed attaches again only if nobody did since it sent (the generation it
 * saw is still current), under the client's lock.
 */
#include <string.h>

#include "proto/block.h"
#include "sys/sys.h"

static int attempts(const struct block_client *c)
{
	return c->attempts > 0 ? c->attempts : BLOCK_ATTEMPTS;
}

long block_geometry(struct block_client *c, struct block_geometry *g, char model[BLOCK_MODEL_BYTES])
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_GEOMETRY, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = ipc_reply_status(&m, 3, BLOCK_MODEL_BYTES);
	if (err != E_OK)
		return err;
	uint32_t n = IPC_TAG_BYTES(m.tag);
	if (n == 0 || ipc_buffer()->data[n - 1] != '\0')
		return E_PROTO;
	memcpy(g, m.w, sizeof(*g));
	memcpy(model, ipc_buffer()->data, n);
	return E_OK;
}

static long attach_locked(struct block_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_ATTACH, 0, 1, 0), .cap = c->buffer};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = ipc_reply_status(&m, 1, 0);
	if (err == E_OK) {
		c->buffer_size = m.w[0];
		uint32_t next = c->generation + 1;
		__atomic_store_n(&c->generation, next ? next : 1, __ATOMIC_RELEASE);
	}
	return err;
}

long block_attach(struct block_client *c)
{
	sys_lock(&c->lock);
	long err = attach_locked(c);
	sys_unlock(&c->lock);
	return err;
}

/* Attach unless another thread has since `seen` (its attachment serves us too). */
static long attach_after(struct block_client *c, uint32_t seen)
{
	long err = E_OK;

	sys_lock(&c->lock);
	if (c->generation == seen)
		err = attach_locked(c);
	sys_unlock(&c->lock);
	return err;
}

static long io_once(struct block_client *c, uint16_t method, const struct block_io_request *rq)
{
	struct ipc_msg m = {.tag = IPC_TAG(method, 3, 0, 0)};

	memcpy(m.w, rq, sizeof(*rq));
	long err = ipc_call(c->ep, &m, c->timeout);
	if (err == E_OK)
		err = ipc_reply_status(&m, 1, 0);
	if (err == E_OK && m.w[0] != rq->count)
		err = E_PROTO;
	return err;
}

/* One read or write, attaching first when the driver (or a new instance of it) has no buffer. */
static long block_io(struct block_client *c, uint16_t method, uint64_t lba, uint64_t count,
		     uint64_t offset)
{
	struct block_io_request rq = {lba, count, offset};
	uint32_t seen = __atomic_load_n(&c->generation, __ATOMIC_ACQUIRE);
	long err = E_RESTARTED;

	for (int i = 0; i < attempts(c) && (err == E_RESTARTED || err == E_NOENT); i++) {
		if (!seen || i > 0) { /* seen: the attachment the failed request was sent under */
			err = attach_after(c, seen);
			if (err != E_OK)
				return err;
			seen = __atomic_load_n(&c->generation, __ATOMIC_ACQUIRE);
		}
		err = io_once(c, method, &rq);
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

long block_io_once(struct block_client *c, bool write, uint64_t lba, uint64_t count,
		   uint64_t offset)
{
	struct ipc_msg m = {.tag = IPC_TAG(write ? BLOCK_WRITE : BLOCK_READ, 3, 0, 0),
			    .w = {lba, count, offset}};
	long err = ipc_call(c->ep, &m, c->timeout);

	if (err == E_OK && m.tag == IPC_TAG(0, 1, 0, 0)) /* the usual answer: no shape checks */
		return m.w[0] == count ? E_OK : E_PROTO;
	if (err == E_OK) { /* the status is in the tag: m's own address never taken, m stays in
			      registers */
		struct ipc_msg answer = {.tag = m.tag};
		err = ipc_reply_status(&answer, 1, 0);
	}
	return err == E_OK ? E_PROTO : err; /* E_OK with one word is the case above */
}

long block_stats(struct block_client *c, struct block_stats *st)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_STATS, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	if (err == E_OK)
		err = ipc_reply_status(&m, 3, 0);
	if (err == E_OK)
		memcpy(st, m.w, sizeof(*st));
	return err;
}

long block_flush(struct block_client *c)
{
	struct ipc_msg m = {.tag = IPC_TAG(BLOCK_FLUSH, 0, 0, 0)};
	long err = ipc_call_retry(c->ep, &m, c->timeout, attempts(c));

	return err == E_OK ? ipc_reply_status(&m, 0, 0) : err;
}
