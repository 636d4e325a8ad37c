/* SPDX-License-Identifier: MIT */
/* Server side of the term protocol (proto/term.h): decode, call the ops, encode. */
#include <string.h>

#include "proto/term.h"
#include "sys/errors.h"

static const struct term_server *ts_of(const struct server_request *req)
{
	return req->ctx;
}

static long on_info(struct server_request *req)
{
	struct term_info info = {0};
	long err = ts_of(req)->ops->info(ts_of(req)->ctx, &info);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &info, sizeof(info));
	req->msg.tag = IPC_TAG(0, 6, 0, 0);
	return E_OK;
}

static long on_text(struct server_request *req)
{
	uint64_t rows = 0;
	size_t len = 0;

	if (IPC_TAG_WORDS(req->in_tag) < 1)
		return E_PROTO;
	long err = ts_of(req)->ops->text(ts_of(req)->ctx, req->msg.w[0], (char *)req->buf->data,
					 IPC_BUF_BYTES, &rows, &len);
	if (err < 0)
		return err;
	if (rows == 0 || len > IPC_BUF_BYTES)
		return E_RANGE;
	req->msg.w[0] = rows;
	req->msg.tag = IPC_TAG(0, 1, 0, len);
	return E_OK;
}

static long on_input(struct server_request *req)
{
	uint32_t n = IPC_TAG_BYTES(req->in_tag);

	if (n == 0 || n > TERM_INPUT_MAX)
		return E_INVAL;
	if (!ts_of(req)->ops->input)
		return E_NOSYS;
	long err = ts_of(req)->ops->input(ts_of(req)->ctx, (const char *)req->buf->data, n);
	req->msg.tag = IPC_TAG(0, 0, 0, 0);
	return err < 0 ? err : E_OK;
}

static const struct server_method term_methods[] = {
	{TERM_INFO, 0, on_info},
	{TERM_TEXT, 0, on_text},
	{TERM_INPUT, 0, on_input},
};

struct server term_server(handle_t ep, struct term_server *ts)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(term_methods), .ctx = ts};
}
