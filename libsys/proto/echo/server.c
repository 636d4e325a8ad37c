/* SPDX-License-Identifier: MIT */
/* Server side of the echo protocol (proto/echo.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/echo.h"
#include "sys/errors.h"

static long on_echo(struct server_request *req)
{
	const struct echo_server *es = req->ctx;
	struct echo_request rq;
	struct echo_reply rp = {0};

	memcpy(&rq, req->msg.w, sizeof(rq));
	long err = es->ops->echo(es->ctx, &rq, &rp);
	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 6, 0, IPC_TAG_BYTES(req->in_tag)); /* the bytes are still there */
	return E_OK;
}

static const struct server_method echo_methods[] = {
	{ECHO_ECHO, 0, on_echo},
};

struct server echo_server(handle_t ep, struct echo_server *es)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(echo_methods), .ctx = es};
}
