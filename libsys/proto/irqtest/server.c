/* SPDX-License-Identifier: MIT */
/* Server side of the irqtest protocol (proto/irqtest.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/irqtest.h"
#include "sys/errors.h"

static long on_fire(struct server_request *req)
{
	const struct irqtest_server *is = req->ctx;
	struct irqtest_fire_reply rp = {0};
	long err = is->ops->fire(is->ctx, &rp);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 4, 0, 0);
	return E_OK;
}

/* The handles' names packed into the reply's bytes, in order. */
static long on_handles(struct server_request *req)
{
	const struct irqtest_server *is = req->ctx;
	struct irqtest_handles_reply rp = {0};
	uint32_t used = 0;
	const char *name;

	while ((name = is->ops->handle_name(is->ctx, (uint32_t)rp.count)) != NULL) {
		if (server_put_name(req, &used, name) != E_OK)
			return E_NOSPACE;
		rp.count++;
	}
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 1, 0, used);
	return E_OK;
}

static long on_probe(struct server_request *req)
{
	const struct irqtest_server *is = req->ctx;
	struct irqtest_probe_reply rp = {0};
	long err = is->ops->probe(is->ctx, &rp);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 5, 0, 0);
	return E_OK;
}

static const struct server_method irqtest_methods[] = {
	{IRQTEST_FIRE, 0, on_fire},
	{IRQTEST_HANDLES, 0, on_handles},
	{IRQTEST_PROBE, 0, on_probe},
};

struct server irqtest_server(handle_t ep, struct irqtest_server *is)
{
	return (struct server){
		.endpoint = ep, .methods = SERVER_METHODS(irqtest_methods), .ctx = is};
}
