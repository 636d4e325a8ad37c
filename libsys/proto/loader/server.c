/* SPDX-License-Identifier: MIT */
/*
 * Server side of the loader protocol (proto/loader.h): check a LOADER_SPAWN
 * as hostile (words, strings and their NULs, counts, priority, flags), call
 * the ops with what it says, and encode the reply. Nothing reaches the ops
 * unless every check passed.
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/errors.h"

/*
 * Split the buffer's strings into c: the program, then exactly argc
 * arguments filling the rest of the bytes (the last byte is a NUL).
 */
static long split_strings(const char *data, uint32_t bytes, uint64_t argc,
			  struct loader_spawn_call *c)
{
	const char *end = data + bytes;
	const char *p = data + strlen(data) + 1;

	if (!data[0])
		return E_INVAL;
	if ((uint64_t)(end - p) > LOADER_MAX_ARG_BYTES)
		return E_RANGE;
	c->program = data;
	c->argc = 0;
	while (p < end) {
		if ((uint64_t)c->argc == argc)
			return E_INVAL; /* more strings than argc */
		c->argv[c->argc++] = p;
		p += strlen(p) + 1;
	}
	return (uint64_t)c->argc == argc ? E_OK : E_INVAL;
}

static long decode_spawn(const struct server_request *req, struct loader_spawn_call *c)
{
	uint32_t bytes = IPC_TAG_BYTES(req->in_tag);
	const char *data = (const char *)req->buf->data;
	struct loader_spawn_request rq;

	if (IPC_TAG_WORDS(req->in_tag) < 3 || bytes == 0 || data[bytes - 1] != '\0')
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	if (rq.flags & ~(uint64_t)LOADER_F_ALL)
		return E_INVAL;
	if ((rq.flags & LOADER_F_BOOTSTRAP) && req->cap_in == HANDLE_INVALID)
		return E_INVAL; /* a service without its bootstrap could not start */
	if (rq.argc > LOADER_MAX_ARGS || rq.priority > LOADER_MAX_PRIORITY)
		return E_RANGE;
	c->priority = (unsigned)rq.priority;
	c->flags = (uint32_t)rq.flags;
	c->given = req->cap_in;
	return split_strings(data, bytes, rq.argc, c);
}

static long on_spawn(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	struct loader_spawn_call c;
	int elf_err = 0;
	long child = decode_spawn(req, &c);

	if (child == E_OK)
		child = ls->ops->spawn(ls->ctx, &c, &elf_err);
	struct loader_spawn_reply rp = {child < 0 ? elf_err : 0};
	memcpy(req->msg.w, &rp, sizeof(rp));
	if (child < 0) {
		req->msg.tag = IPC_TAG(0, 1, 0, 0);
		return child;
	}
	req->msg.cap = (handle_t)child;
	req->close_after_reply = (handle_t)child; /* the caller holds the only handle */
	req->msg.tag = IPC_TAG(0, 1, 1, 0);
	return E_OK;
}

static const struct server_method loader_methods[] = {
	{LOADER_SPAWN, 0, on_spawn},
};

struct server loader_server(handle_t ep, struct loader_server *ls)
{
	return (struct server){
		.endpoint = ep, .methods = SERVER_METHODS(loader_methods), .ctx = ls};
}
