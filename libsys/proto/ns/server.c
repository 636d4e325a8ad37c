/* SPDX-License-Identifier: MIT */
/*
 * Server side of the name service (proto/ns.h): check the name, ask the
 * ops for a handle, and reply with it. The reply carries the handle away,
 * so the server's copy is closed once the reply is out.
 */
#include "proto/ns.h"
#include "sys/errors.h"

static long on_lookup(struct server_request *req)
{
	const struct ns_server *ns = req->ctx;
	const char *name = server_name(req, NS_NAME_MAX);

	if (!name)
		return E_INVAL;
	long h = ns->ops->lookup(ns->ctx, name);
	if (h < 0)
		return h;
	req->msg.cap = (handle_t)h;
	req->close_after_reply = (handle_t)h;
	req->msg.tag = IPC_TAG(0, 0, 1, 0);
	return E_OK;
}

static const struct server_method ns_methods[] = {
	{NS_LOOKUP, 0, on_lookup},
};

struct server ns_server(handle_t ep, struct ns_server *ns)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(ns_methods), .ctx = ns};
}
