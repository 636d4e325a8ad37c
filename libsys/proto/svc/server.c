/* SPDX-License-Identifier: MIT */
/*
 * Server side of the svc protocol (proto/svc.h), parts 2 and 3: decode and
 * check each request (its name, its words, the fault it asks for), call
 * the ops, and encode the reply. The checks all come before the op, so an
 * op never sees a malformed request.
 */
#include <string.h>

#include "proto/svc.h"
#include "sys/errors.h"

/* The ops and ctx of the server this request came to. */
static const struct svc_server *server_of(const struct server_request *req)
{
	return req->ctx;
}

/* The request's word i, or false if it has fewer words. */
static bool word(const struct server_request *req, uint32_t i, uint64_t *w)
{
	if (IPC_TAG_WORDS(req->in_tag) <= i)
		return false;
	*w = req->msg.w[i];
	return true;
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static long on_list(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);
	uint64_t first;
	uint32_t total = 0;

	if (!word(req, 0, &first))
		return E_INVAL;
	long n = ss->ops->list(ss->ctx, clamp32(first), (struct svc_entry *)req->buf->data,
			       SVC_LIST_MAX, &total);
	if (n < 0)
		return n;
	req->msg.w[0] = (uint64_t)n;
	req->msg.w[1] = total;
	req->msg.tag = IPC_TAG(0, 2, 0, (uint32_t)n * sizeof(struct svc_entry));
	return E_OK;
}

static long on_status(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);
	const char *name = server_name(req, SVC_NAME_MAX);
	struct svc_entry e;

	if (!name)
		return E_INVAL;
	long err = ss->ops->status(ss->ctx, name, &e);
	if (err < 0)
		return err;
	memcpy(req->buf->data, &e, sizeof(e)); /* over the name: it is no longer needed */
	req->msg.tag = IPC_TAG(0, 0, 0, sizeof(e));
	return E_OK;
}

/* SVC_STOP, SVC_START and SVC_RESTART: a name, and the op that does it. */
static long on_control(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);
	const char *name = server_name(req, SVC_NAME_MAX);

	if (!name)
		return E_INVAL;
	switch (IPC_TAG_LABEL(req->in_tag)) {
	case SVC_STOP:
		return ss->ops->stop(ss->ctx, name);
	case SVC_START:
		return ss->ops->start(ss->ctx, name);
	default:
		return ss->ops->restart(ss->ctx, name);
	}
}

static long on_fault(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);
	const char *name = server_name(req, SVC_NAME_MAX);
	struct svc_fi_request fi;

	if (!name || !word(req, 0, &fi.fault) || !word(req, 1, &fi.kind) ||
	    !word(req, 2, &fi.after))
		return E_INVAL;
	if (fi.fault >= SVC_FAULTS || fi.kind >= SVC_CRASH_KINDS)
		return E_INVAL;
	return ss->ops->fault(ss->ctx, name, &fi);
}

static long on_shutdown(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);

	return ss->ops->shutdown(ss->ctx);
}

/* The grant into the reply: its name in the buffer, size and geometry in the words. */
static void put_grant(struct server_request *req, const struct svc_grant *g)
{
	size_t n = strnlen(g->name, sizeof(g->name) - 1);
	uint32_t words = g->geometry_words <= 3 ? g->geometry_words : 3;

	memcpy(req->buf->data, g->name, n);
	req->buf->data[n] = '\0';
	req->msg.w[0] = g->size;
	memcpy(&req->msg.w[1], g->geometry, words * sizeof(uint64_t));
	req->msg.cap = g->handle;
	req->close_after_reply = g->handle;
	req->msg.tag = IPC_TAG(0, 1 + words, 1, n + 1);
}

static long on_boot(struct server_request *req)
{
	const struct svc_server *ss = server_of(req);
	struct svc_grant g = {0};
	uint64_t index;

	if (!word(req, 0, &index))
		return E_INVAL;
	long err = ss->ops->boot(ss->ctx, req->msg.badge, clamp32(index), &g);
	if (err < 0)
		return err;
	put_grant(req, &g);
	return E_OK;
}

static const struct server_method control_methods[] = {
	{SVC_LIST, 0, on_list},		{SVC_STATUS, 0, on_status},   {SVC_STOP, 0, on_control},
	{SVC_START, 0, on_control},	{SVC_RESTART, 0, on_control}, {SVC_FI, 0, on_fault},
	{SVC_SHUTDOWN, 0, on_shutdown},
};

static const struct server_method boot_methods[] = {
	{SVC_BOOT, 0, on_boot},
};

struct server svc_control_server(handle_t ep, struct svc_server *ss)
{
	return (struct server){
		.endpoint = ep, .methods = SERVER_METHODS(control_methods), .ctx = ss};
}

struct server svc_boot_server(handle_t ep, struct svc_server *ss)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(boot_methods), .ctx = ss};
}
