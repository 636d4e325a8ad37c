/* SPDX-License-Identifier: MIT */
/* Server side of the input protocol (proto/input.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/input.h"
#include "sys/errors.h"

static const struct input_server *ctx_of(const struct server_request *req)
{
	return req->ctx;
}

static long on_subscribe(struct server_request *req)
{
	const struct input_server *is = ctx_of(req);

	if (!IPC_TAG_CAP(req->in_tag) || req->cap_in == HANDLE_INVALID)
		return E_INVAL;
	long err = is->ops->subscribe(is->ctx, req->msg.badge, req->cap_in);
	if (err == E_OK)
		server_take_cap(req);
	return err;
}

static long on_read(struct server_request *req)
{
	const struct input_server *is = ctx_of(req);
	uint64_t max = req->msg.w[0], dropped = 0;
	uint32_t count = 0;

	if (IPC_TAG_WORDS(req->in_tag) < 1 || max == 0 || max > INPUT_READ_MAX)
		return E_INVAL;
	long err = is->ops->read(is->ctx, req->msg.badge, (struct input_event *)req->buf->data,
				 (uint32_t)max, &count, &dropped);
	if (err < 0)
		return err;
	if (count > max)
		return E_PROTO;
	req->msg.w[0] = count;
	req->msg.w[1] = dropped;
	req->msg.tag = IPC_TAG(0, 2, 0, count * sizeof(struct input_event));
	return E_OK;
}

static long on_devices(struct server_request *req)
{
	const struct input_server *is = ctx_of(req);
	uint32_t count = 0;

	long err = is->ops->devices(is->ctx, (struct input_device *)req->buf->data,
				    INPUT_DEVICES_MAX, &count);
	if (err < 0)
		return err;
	if (count > INPUT_DEVICES_MAX)
		return E_PROTO;
	req->msg.w[0] = count;
	req->msg.tag = IPC_TAG(0, 1, 0, count * sizeof(struct input_device));
	return E_OK;
}

static long on_set_layout(struct server_request *req)
{
	const struct input_server *is = ctx_of(req);

	if (IPC_TAG_WORDS(req->in_tag) < 1 || req->msg.w[0] > INPUT_LAYOUT_JP)
		return E_INVAL;
	return is->ops->set_layout(is->ctx, (uint32_t)req->msg.w[0]);
}

static long on_set_repeat(struct server_request *req)
{
	const struct input_server *is = ctx_of(req);
	uint64_t delay = req->msg.w[0], rate = req->msg.w[1];

	if (IPC_TAG_WORDS(req->in_tag) < 2 || rate == 0 || rate > INPUT_REPEAT_RATE_MAX ||
	    (delay != 0 && (delay < INPUT_REPEAT_DELAY_MIN || delay > INPUT_REPEAT_DELAY_MAX)))
		return E_INVAL;
	return is->ops->set_repeat(is->ctx, (uint32_t)delay, (uint32_t)rate);
}

static void on_gone(void *ctx, uint64_t badge)
{
	const struct input_server *is = ctx;

	if (is->ops->client_gone)
		is->ops->client_gone(is->ctx, badge);
}

static const struct server_method input_methods[] = {
	{INPUT_SUBSCRIBE, 0, on_subscribe},   {INPUT_READ, 0, on_read},
	{INPUT_DEVICES, 0, on_devices},	      {INPUT_SET_LAYOUT, 0, on_set_layout},
	{INPUT_SET_REPEAT, 0, on_set_repeat},
};

struct server input_server(handle_t ep, struct input_server *is)
{
	return (struct server){.endpoint = ep,
			       .methods = SERVER_METHODS(input_methods),
			       .on_client_gone = on_gone,
			       .ctx = is};
}
