/* SPDX-License-Identifier: MIT */
/*
 * Server side of the display protocol (proto/display.h): each handler
 * checks the request's shape (its words, its title, its capability), calls
 * the compositor's op and encodes the reply. What only the compositor can
 * judge (whose window an id is, how big a memory object is) the ops check.
 */
#include <string.h>

#include "proto/display.h"
#include "sys/errors.h"

static const struct display_server *ds_of(const struct server_request *req)
{
	return req->ctx;
}

static bool has_words(const struct server_request *req, uint32_t n)
{
	return IPC_TAG_WORDS(req->in_tag) >= n;
}

static long on_info(struct server_request *req)
{
	struct display_info info = {0};
	long err = ds_of(req)->ops->info(ds_of(req)->ctx, &info);

	if (err < 0)
		return err;
	memcpy(req->msg.w, &info, sizeof(info));
	req->msg.tag = IPC_TAG(0, 3, 0, 0);
	return E_OK;
}

static long on_create(struct server_request *req)
{
	const struct display_server *ds = ds_of(req);
	struct display_create_request rq;
	struct display_create_reply rp = {0};
	handle_t surface = server_take_cap(req), ntfn = HANDLE_INVALID;
	const char *title = server_name(req, DISPLAY_TITLE_MAX);

	if (surface == HANDLE_INVALID)
		return E_INVAL;
	memcpy(&rq, req->msg.w, sizeof(rq));
	if (!has_words(req, 6) || !title || rq.width == 0 || rq.height == 0 ||
	    rq.width > DISPLAY_MAX_SIDE || rq.height > DISPLAY_MAX_SIDE) {
		req->cap_in = surface; /* not taken after all: the loop closes it */
		return has_words(req, 6) ? E_INVAL : E_PROTO;
	}
	long err = ds->ops->create(ds->ctx, req->msg.badge, surface, &rq, title, &rp, &ntfn);
	if (err < 0)
		return err;
	memcpy(req->msg.w, &rp, sizeof(rp));
	req->msg.cap = ntfn;
	req->close_after_reply = ntfn;
	req->msg.tag = IPC_TAG(0, 3, 1, 0);
	return E_OK;
}

static long on_commit(struct server_request *req)
{
	struct display_commit_request rq = {0};

	if (!has_words(req, 5))
		return E_PROTO;
	memcpy(&rq, req->msg.w, (has_words(req, 6) ? 6 : 5) * sizeof(uint64_t));
	return ds_of(req)->ops->commit(ds_of(req)->ctx, req->msg.badge, &rq);
}

static long on_destroy(struct server_request *req)
{
	if (!has_words(req, 1))
		return E_PROTO;
	return ds_of(req)->ops->destroy(ds_of(req)->ctx, req->msg.badge, req->msg.w[0]);
}

static long on_ping(struct server_request *req)
{
	if (!has_words(req, 1))
		return E_PROTO;
	return ds_of(req)->ops->ping(ds_of(req)->ctx, req->msg.badge, req->msg.w[0]);
}

static long on_list(struct server_request *req)
{
	struct display_window_info info = {0};
	char title[DISPLAY_TITLE_MAX] = {0};

	if (!has_words(req, 1))
		return E_PROTO;
	long err = ds_of(req)->ops->list(ds_of(req)->ctx, req->msg.w[0], &info, title);
	if (err == E_OK)
		server_reply_record(req, &info, sizeof(info), title, sizeof(title));
	return err;
}

static long on_move(struct server_request *req)
{
	if (!has_words(req, 3))
		return E_PROTO;
	return ds_of(req)->ops->move(ds_of(req)->ctx, req->msg.w[0], (int32_t)req->msg.w[1],
				     (int32_t)req->msg.w[2]);
}

/* The requests that name any window by its id alone: what a user does with the mouse. */
static long by_id(struct server_request *req, long (*op)(void *ctx, uint64_t id))
{
	if (!has_words(req, 1))
		return E_PROTO;
	return op(ds_of(req)->ctx, req->msg.w[0]);
}

static long on_raise(struct server_request *req)
{
	return by_id(req, ds_of(req)->ops->raise);
}

static long on_close(struct server_request *req)
{
	return by_id(req, ds_of(req)->ops->close);
}

static long on_minimise(struct server_request *req)
{
	return by_id(req, ds_of(req)->ops->minimise);
}

static long on_inject(struct server_request *req)
{
	if (!has_words(req, 4))
		return E_PROTO;
	const uint64_t *w = req->msg.w;
	return ds_of(req)->ops->inject(ds_of(req)->ctx, w[0], w[1], w[2], w[3]);
}

static bool side_ok(uint64_t v)
{
	return v >= 1 && v <= DISPLAY_MAX_SIDE;
}

static long on_resize(struct server_request *req)
{
	const struct display_server *ds = ds_of(req);
	handle_t surface = server_take_cap(req);
	const uint64_t *w = req->msg.w;

	if (surface == HANDLE_INVALID)
		return has_words(req, 3) ? E_INVAL : E_PROTO;
	if (!has_words(req, 3) || !side_ok(w[1]) || !side_ok(w[2])) {
		req->cap_in = surface; /* not taken after all: the loop closes it */
		return has_words(req, 3) ? E_INVAL : E_PROTO;
	}
	return ds->ops->resize(ds->ctx, req->msg.badge, w[0], surface, (uint32_t)w[1],
			       (uint32_t)w[2]);
}

static long on_ask_size(struct server_request *req)
{
	const uint64_t *w = req->msg.w;

	if (!has_words(req, 3))
		return E_PROTO;
	if (!side_ok(w[1]) || !side_ok(w[2]))
		return E_INVAL;
	return ds_of(req)->ops->ask_size(ds_of(req)->ctx, w[0], (uint32_t)w[1], (uint32_t)w[2]);
}

static const struct server_method display_methods[] = {
	{DISPLAY_INFO, 0, on_info},	    {DISPLAY_CREATE, 0, on_create},
	{DISPLAY_COMMIT, 0, on_commit},	    {DISPLAY_DESTROY, 0, on_destroy},
	{DISPLAY_PING, 0, on_ping},	    {DISPLAY_LIST, 0, on_list},
	{DISPLAY_MOVE, 0, on_move},	    {DISPLAY_RAISE, 0, on_raise},
	{DISPLAY_CLOSE, 0, on_close},	    {DISPLAY_INJECT, 0, on_inject},
	{DISPLAY_MINIMISE, 0, on_minimise}, {DISPLAY_RESIZE, 0, on_resize},
	{DISPLAY_ASK_SIZE, 0, on_ask_size},
};

static void gone(void *ctx, uint64_t badge)
{
	const struct display_server *ds = ctx;

	if (ds->ops->client_gone)
		ds->ops->client_gone(ds->ctx, badge);
}

static void before_wait(void *ctx)
{
	const struct display_server *ds = ctx;

	if (ds->ops->before_wait)
		ds->ops->before_wait(ds->ctx);
}

struct server display_server(handle_t ep, struct display_server *ds)
{
	return (struct server){.endpoint = ep,
			       .methods = SERVER_METHODS(display_methods),
			       .before_wait = before_wait,
			       .on_client_gone = gone,
			       .ctx = ds};
}
