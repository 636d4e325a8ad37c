/* SPDX-License-Identifier: MIT */
/*
 * Server side of the console protocol (proto/console.h): check the
 * request (the count, the words, the stream end), then call the op.
 */
#include <string.h>

#include "proto/console.h"
#include "sys/errors.h"

/* The request's words into argv: E_OK when there are exactly argc of them. */
static long unpack(const struct server_request *req, int argc, char **argv)
{
	uint32_t n = IPC_TAG_BYTES(req->in_tag), at = 0;
	char *buf = (char *)req->buf->data;

	if (n == 0 || n > CONSOLE_BYTES_MAX || buf[n - 1] != '\0')
		return E_INVAL;
	for (int i = 0; i < argc; i++) {
		if (at >= n)
			return E_INVAL;
		argv[i] = buf + at;
		at += (uint32_t)strlen(buf + at) + 1;
	}
	argv[argc] = NULL;
	return at == n ? E_OK : E_INVAL;
}

static long on_run(struct server_request *req)
{
	const struct console_server *cs = req->ctx;
	char *argv[CONSOLE_ARGS_MAX + 1];
	uint64_t argc = req->msg.w[0];
	int64_t status = 0;

	if (IPC_TAG_WORDS(req->in_tag) != 1 || argc < 1 || argc > CONSOLE_ARGS_MAX ||
	    req->cap_in == HANDLE_INVALID || unpack(req, (int)argc, argv) != E_OK)
		return E_INVAL;
	if (!console_lent(argv[0]))
		return E_NOENT;
	long err = cs->ops->run(cs->ctx, server_take_cap(req), (int)argc, argv, &status);
	if (err < 0)
		return err;
	req->msg.w[0] = (uint64_t)status;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static const struct server_method console_methods[] = {
	{CONSOLE_RUN, 0, on_run},
};

struct server console_server(handle_t ep, struct console_server *cs)
{
	return (struct server){
		.endpoint = ep, .methods = SERVER_METHODS(console_methods), .ctx = cs};
}
