/* SPDX-License-Identifier: MIT */
/* Server side of the counter protocol (proto/counter.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/counter.h"
#include "sys/errors.h"

static long on_add(struct server_request *req)
{
	const struct counter_server *cs = req->ctx;
	struct counter_add_request rq;
	struct counter_add_reply rp = {0};

	if (IPC_TAG_WORDS(req->in_tag) < 1)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	long err = cs->ops->add(cs->ctx, &rq, &rp);
	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static long on_get(struct server_request *req)
{
	const struct counter_server *cs = req->ctx;
	struct counter_get_reply rp = {0};
	long err = cs->ops->get(cs->ctx, &rp);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 2, 0, 0);
	return E_OK;
}

static const struct server_method counter_methods[] = {
	{COUNTER_ADD, 0, on_add},
	{COUNTER_GET, 0, on_get},
};

struct server counter_server(handle_t ep, struct counter_server *cs)
{
	return (struct server){
		.endpoint = ep, .methods = SERVER_METHODS(counter_methods), .ctx = cs};
}
