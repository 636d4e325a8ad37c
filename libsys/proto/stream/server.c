/* SPDX-License-Identifier: MIT */
/* Server side of the stream protocol (proto/stream.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/stream.h"
#include "sys/errors.h"

static const struct stream_server *ctx_of(const struct server_request *req)
{
	return req->ctx;
}

/* A reply that carries handle h away (the loop closes our copy once it is out). */
static long reply_cap(struct server_request *req, handle_t h, uint32_t words)
{
	req->msg.cap = h;
	req->close_after_reply = h;
	req->msg.tag = IPC_TAG(0, words, 1, 0);
	return E_OK;
}

static long on_create(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	handle_t rd;
	uint64_t stream;
	long err = ss->ops->create(ss->ctx, req->msg.badge, &rd, &stream);

	if (err < 0)
		return err;
	req->msg.w[0] = stream;
	return reply_cap(req, rd, 1);
}

static long on_writer(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	handle_t wr;
	long err = ss->ops->writer(ss->ctx, req->msg.badge, &wr);

	return err < 0 ? err : reply_cap(req, wr, 0);
}

static long on_dup(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	handle_t copy;
	uint64_t seen = IPC_TAG_WORDS(req->in_tag) >= 1 ? req->msg.w[0] : STREAM_NO_SEEN;
	long err = ss->ops->dup(ss->ctx, req->msg.badge, seen, &copy);

	return err < 0 ? err : reply_cap(req, copy, 0);
}

static long on_attach(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	struct stream_attach_reply rp = {0};
	handle_t ring;
	long err = ss->ops->attach(ss->ctx, req->msg.badge, &ring, &rp);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	return reply_cap(req, ring, 4);
}

static long on_wait(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	struct stream_wait_request rq = {0};
	struct stream_wait_reply rp = {0};

	if (IPC_TAG_WORDS(req->in_tag) >= 1)
		memcpy(&rq, req->msg.w, sizeof(rq));
	long err = ss->ops->wait(ss->ctx, req->msg.badge, rq.interrupts_seen, &rp.interrupts);
	if (err == STREAM_DEFERRED)
		return err; /* the reply was kept: nobody is answered now */
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return err;
}

static long on_wake(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);

	return ss->ops->wake(ss->ctx, req->msg.badge);
}

static long on_interrupt(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);

	return ss->ops->interrupt(ss->ctx, req->msg.badge);
}

static long on_set_size(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	const uint64_t *w = req->msg.w;

	if (IPC_TAG_WORDS(req->in_tag) < 2)
		return E_PROTO;
	if (w[0] < 1 || w[0] > STREAM_SIZE_MAX || w[1] < 1 || w[1] > STREAM_SIZE_MAX)
		return E_INVAL;
	return ss->ops->set_size(ss->ctx, req->msg.badge, (uint32_t)w[0], (uint32_t)w[1]);
}

static long on_get_size(struct server_request *req)
{
	const struct stream_server *ss = ctx_of(req);
	struct stream_size size = {0};
	long err = ss->ops->get_size(ss->ctx, req->msg.badge, &size);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &size, sizeof(size));
	req->msg.tag = IPC_TAG(0, 3, 0, 0);
	return E_OK;
}

static void on_gone(void *ctx, uint64_t badge)
{
	const struct stream_server *ss = ctx;

	ss->ops->gone(ss->ctx, badge);
}

static const struct server_method stream_methods[] = {
	{STREAM_CREATE, 0, on_create},
	{STREAM_WRITER, 0, on_writer},
	{STREAM_DUP, 0, on_dup},
	{STREAM_ATTACH, 0, on_attach},
	{STREAM_WAIT, 0, on_wait},
	{STREAM_WAKE, 0, on_wake},
	{STREAM_INTERRUPT, 0, on_interrupt},
	{STREAM_SET_SIZE, 0, on_set_size},
	{STREAM_GET_SIZE, 0, on_get_size},
};

struct server stream_server_for(handle_t ep, struct stream_server *ss)
{
	return (struct server){.endpoint = ep,
			       .methods = SERVER_METHODS(stream_methods),
			       .on_client_gone = on_gone,
			       .ctx = ss};
}
