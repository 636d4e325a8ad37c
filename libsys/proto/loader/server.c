/* SPDX-License-Identifier: MIT */
/*
 * Server side of the loader protocol (proto/loader.h): check each request
 * as hostile (words, strings and their NULs, counts, priority, flags, the
 * capability it must or must not carry), call the ops with what it says,
 * and encode the reply. Nothing reaches the ops unless every check passed.
 * A capability an op keeps (an exec's image or handle) is taken from the
 * request; any other is closed by the server loop.
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/errors.h"

/*
 * Split the buffer's strings: the program, then exactly argc arguments
 * filling the rest of the bytes (the last byte is a NUL).
 */
static long split_strings(const char *data, uint32_t bytes, uint64_t argc, const char **program,
			  int *out_argc, const char **argv)
{
	const char *end = data + bytes;
	const char *p = data + strlen(data) + 1;

	if (!data[0])
		return E_INVAL;
	if ((uint64_t)(end - p) > LOADER_MAX_ARG_BYTES)
		return E_RANGE;
	*program = data;
	*out_argc = 0;
	while (p < end) {
		if ((uint64_t)*out_argc == argc)
			return E_INVAL; /* more strings than argc */
		argv[(*out_argc)++] = p;
		p += strlen(p) + 1;
	}
	return (uint64_t)*out_argc == argc ? E_OK : E_INVAL;
}

/* The buffer holds strings ending in a NUL, argc and priority are within the limits. */
static long check_program(const struct server_request *req, uint64_t argc, uint64_t priority)
{
	uint32_t bytes = IPC_TAG_BYTES(req->in_tag);

	if (bytes == 0 || req->buf->data[bytes - 1] != '\0')
		return E_INVAL;
	return argc > LOADER_MAX_ARGS || priority > LOADER_MAX_PRIORITY ? E_RANGE : E_OK;
}

static long decode_spawn(const struct server_request *req, struct loader_spawn_call *c)
{
	struct loader_spawn_request rq;

	if (IPC_TAG_WORDS(req->in_tag) < 3)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	long err = check_program(req, rq.argc, rq.priority);
	if (err)
		return err;
	if (rq.flags & ~(uint64_t)LOADER_F_ALL)
		return E_INVAL;
	if ((rq.flags & LOADER_F_BOOTSTRAP) && req->cap_in == HANDLE_INVALID)
		return E_INVAL; /* a service without its bootstrap could not start */
	c->priority = (unsigned)rq.priority;
	c->flags = (uint32_t)rq.flags;
	c->given = req->cap_in;
	c->badge = req->msg.badge;
	return split_strings((const char *)req->buf->data, IPC_TAG_BYTES(req->in_tag), rq.argc,
			     &c->program, &c->argc, c->argv);
}

/* The reply of a spawn or an exec's start: the new process, or the error and the ELF reason. */
static long reply_process(struct server_request *req, long child, int elf_err)
{
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

static long on_spawn(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	struct loader_spawn_call c;
	int elf_err = 0;
	long child = decode_spawn(req, &c);

	if (child == E_OK)
		child = ls->ops->spawn(ls->ctx, &c, &elf_err);
	return reply_process(req, child, elf_err);
}

static long on_image(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	const char *name = server_name(req, START_NAME_MAX);
	struct loader_image_reply rp = {0};

	if (!name || req->cap_in != HANDLE_INVALID)
		return E_INVAL;
	long h = ls->ops->image(ls->ctx, name, &rp.size);
	if (h < 0)
		return h;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.cap = (handle_t)h;
	req->close_after_reply = (handle_t)h;
	req->msg.tag = IPC_TAG(0, 1, 1, 0);
	return E_OK;
}

static long decode_exec_begin(const struct server_request *req, struct loader_exec_begin_call *c)
{
	struct loader_exec_begin_request rq;

	if (IPC_TAG_WORDS(req->in_tag) < 4)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	long err = check_program(req, rq.argc, rq.priority);
	if (err)
		return err;
	bool by_path = rq.flags == LOADER_EXEC_F_PATH;
	if ((rq.flags != 0 && !by_path) || (by_path != (rq.size == 0)) ||
	    (by_path == (req->cap_in != HANDLE_INVALID)))
		return E_INVAL; /* an image and its size, or a path and neither */
	if (rq.size > LOADER_MAX_IMAGE)
		return E_RANGE;
	*c = (struct loader_exec_begin_call){.bytes = IPC_TAG_BYTES(req->in_tag),
					     .priority = (unsigned)rq.priority,
					     .image = req->cap_in,
					     .size = rq.size,
					     .badge = req->msg.badge,
					     .flags = (uint32_t)rq.flags};
	return split_strings((const char *)req->buf->data, c->bytes, rq.argc, &c->program, &c->argc,
			     c->argv);
}

static long on_exec_begin(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	struct loader_exec_begin_call c;
	long session = decode_exec_begin(req, &c);

	if (session == E_OK)
		session = ls->ops->exec_begin(ls->ctx, &c);
	if (session < 0)
		return session;
	server_take_cap(req); /* the session's now */
	struct loader_exec_begin_reply rp = {(uint64_t)session};
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

/* The session word of a request that has one; E_INVAL without it. */
static long session_of(const struct server_request *req, uint64_t *session)
{
	struct loader_session_request rq;

	if (IPC_TAG_WORDS(req->in_tag) < 1)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	*session = rq.session;
	return E_OK;
}

static long on_exec_handle(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	const char *name = server_name(req, START_NAME_MAX);
	uint64_t session;
	long err = session_of(req, &session);

	if (!err && (!name || req->cap_in == HANDLE_INVALID))
		err = E_INVAL;
	if (!err)
		err = ls->ops->exec_handle(ls->ctx, req->msg.badge, session, name, req->cap_in);
	if (err >= 0)
		server_take_cap(req); /* the session's now */
	return err < 0 ? err : E_OK;
}

static long on_exec_start(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	uint64_t session;
	int elf_err = 0;
	long child = session_of(req, &session);

	if (child == E_OK && req->cap_in != HANDLE_INVALID)
		child = E_INVAL;
	if (child == E_OK)
		child = ls->ops->exec_start(ls->ctx, req->msg.badge, session, &elf_err);
	return reply_process(req, child, elf_err);
}

static long on_exec_cancel(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	uint64_t session;
	long err = session_of(req, &session);

	if (!err && req->cap_in != HANDLE_INVALID)
		err = E_INVAL;
	return err ? err : ls->ops->exec_cancel(ls->ctx, req->msg.badge, session);
}

static long on_list(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	struct loader_list_request rq;
	struct loader_list_reply rp = {0};
	uint32_t total = 0;

	if (IPC_TAG_WORDS(req->in_tag) < 1 || req->cap_in != HANDLE_INVALID)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	struct loader_proc_entry *out = (struct loader_proc_entry *)req->buf->data;
	long n = ls->ops->list(ls->ctx, rq.first, out, LOADER_LIST_MAX, &total);
	if (n < 0)
		return n;
	rp = (struct loader_list_reply){(uint64_t)n, total};
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.tag = IPC_TAG(0, 2, 0, (uint32_t)n * sizeof(*out));
	return E_OK;
}

static long on_kill(struct server_request *req)
{
	const struct loader_server *ls = req->ctx;
	struct loader_kill_request rq;

	if (IPC_TAG_WORDS(req->in_tag) < 1 || req->cap_in != HANDLE_INVALID)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	return ls->ops->kill(ls->ctx, rq.pid);
}

static void on_client_gone(void *ctx, uint64_t badge)
{
	const struct loader_server *ls = ctx;

	ls->ops->client_gone(ls->ctx, badge);
}

static const struct server_method loader_methods[] = {
	{LOADER_SPAWN, 0, on_spawn},
	{LOADER_IMAGE, 0, on_image},
	{LOADER_EXEC_BEGIN, 0, on_exec_begin},
	{LOADER_EXEC_HANDLE, 0, on_exec_handle},
	{LOADER_EXEC_START, 0, on_exec_start},
	{LOADER_EXEC_CANCEL, 0, on_exec_cancel},
	{LOADER_LIST, 0, on_list},
	{LOADER_KILL, 0, on_kill},
};

struct server loader_server(handle_t ep, struct loader_server *ls)
{
	return (struct server){.endpoint = ep,
			       .methods = SERVER_METHODS(loader_methods),
			       .ctx = ls,
			       .on_client_gone = on_client_gone};
}
