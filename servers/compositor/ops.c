/* SPDX-License-Identifier: MIT */
/*
 * The display protocol's ops (proto/display.h) over the compositor's
 * state: ids are checked against their owners here (a client may commit,
 * destroy and ping only its own windows; move, raise and close are what a
 * user does with the mouse and may name any window).
 */
#include <string.h>

#include "comp.h"
#include "ops.h"
#include "sys/errors.h"

static struct window *own(struct comp *c, uint64_t badge, uint64_t id)
{
	struct window *w = comp_find(c, id);

	return w && w->badge == badge ? w : NULL;
}

static long op_info(void *ctx, struct display_info *info)
{
	struct comp *c = ctx;

	*info = (struct display_info){(uint64_t)c->width, (uint64_t)c->height, c->clock_base};
	return E_OK;
}

static long op_create(void *ctx, uint64_t badge, handle_t surface,
		      const struct display_create_request *rq, const char *title,
		      struct display_create_reply *rp, handle_t *ntfn)
{
	return comp_create(ctx, badge, surface, rq, title, rp, ntfn);
}

static long op_commit(void *ctx, uint64_t badge, const struct display_commit_request *rq)
{
	struct window *w = own(ctx, badge, rq->id);

	if (!w)
		return E_NOENT;
	if (rq->x > DISPLAY_MAX_SIDE || rq->y > DISPLAY_MAX_SIDE || rq->w > DISPLAY_MAX_SIDE ||
	    rq->h > DISPLAY_MAX_SIDE)
		return E_RANGE;
	if (rq->probe)
		((struct comp *)ctx)->probe = (uint32_t)rq->probe;
	return comp_commit(
		ctx, w,
		(struct gui_rect){(int32_t)rq->x, (int32_t)rq->y, (int32_t)rq->w, (int32_t)rq->h});
}

static long op_destroy(void *ctx, uint64_t badge, uint64_t id)
{
	struct window *w = own(ctx, badge, id);

	if (!w)
		return E_NOENT;
	comp_destroy(ctx, w, false);
	return E_OK;
}

static long op_ping(void *ctx, uint64_t badge, uint64_t id)
{
	return own(ctx, badge, id) ? E_OK : E_NOENT;
}

/* The n-th window of DISPLAY_LIST: the stack bottom first, then the minimised ones. */
static const struct window *listed(const struct comp *c, uint64_t n)
{
	if (n < c->count)
		return c->stack[n];
	n -= c->count;
	for (uint32_t i = 0; i < COMP_MAX_WINDOWS; i++)
		if (c->win[i].used && c->win[i].minimised && n-- == 0)
			return &c->win[i];
	return NULL;
}

static long op_list(void *ctx, uint64_t n, struct display_window_info *info,
		    char title[DISPLAY_TITLE_MAX])
{
	struct comp *c = ctx;
	const struct window *w = listed(c, n);

	if (!w)
		return E_NOENT;
	*info = (struct display_window_info){w->id,
					     w->pid,
					     (uint64_t)(int64_t)w->x,
					     (uint64_t)(int64_t)w->y,
					     (uint64_t)w->w | (uint64_t)w->h << 32,
					     n | (c->focus == w ? DISPLAY_LIST_FOCUSED : 0) |
						     (w->minimised ? DISPLAY_LIST_MINIMISED : 0)};
	comp_copy_title(title, w->title);
	return E_OK;
}

static long op_move(void *ctx, uint64_t id, int32_t x, int32_t y)
{
	struct window *w = comp_find(ctx, id);

	if (!w)
		return E_NOENT;
	comp_move(ctx, w, x, y);
	return E_OK;
}

/* A request naming any window by id (what a user does with the mouse): act on it. */
static long by_id(void *ctx, uint64_t id, void (*act)(struct comp *c, struct window *w))
{
	struct window *w = comp_find(ctx, id);

	if (!w)
		return E_NOENT;
	act(ctx, w);
	return E_OK;
}

static void close_window(struct comp *c, struct window *w)
{
	comp_destroy(c, w, true);
}

static long op_raise(void *ctx, uint64_t id)
{
	return by_id(ctx, id, comp_raise);
}

static long op_close(void *ctx, uint64_t id)
{
	return by_id(ctx, id, close_window);
}

static long op_minimise(void *ctx, uint64_t id)
{
	return by_id(ctx, id, comp_minimise);
}

static long op_inject(void *ctx, uint64_t kind, uint64_t a, uint64_t b, uint64_t c)
{
	return input_source_inject(ctx, kind, a, b, c);
}

static long op_resize(void *ctx, uint64_t badge, uint64_t id, handle_t surface, uint32_t width,
		      uint32_t height)
{
	struct comp *c = ctx;
	struct window *w = own(c, badge, id);

	if (!w) {
		c->sys->close(c->sys_ctx, surface);
		return E_NOENT;
	}
	return comp_resize(c, w, surface, width, height);
}

static long op_ask_size(void *ctx, uint64_t id, uint32_t width, uint32_t height)
{
	struct window *w = comp_find(ctx, id);

	if (!w)
		return E_NOENT;
	comp_ask_size(ctx, w, (int32_t)width, (int32_t)height);
	return E_OK;
}

static void op_client_gone(void *ctx, uint64_t badge)
{
	comp_client_gone(ctx, badge);
}

/* Before each wait: the clock's second (the ticker's ping wakes us for it), then the frame. */
static void op_before_wait(void *ctx)
{
	struct comp *c = ctx;

	comp_set_clock(c, c->sys->clock(c->sys_ctx));
	comp_state_expire(c);
	comp_flush(c);
}

const struct display_ops comp_display_ops = {
	.info = op_info,
	.create = op_create,
	.commit = op_commit,
	.destroy = op_destroy,
	.ping = op_ping,
	.list = op_list,
	.move = op_move,
	.raise = op_raise,
	.close = op_close,
	.minimise = op_minimise,
	.inject = op_inject,
	.resize = op_resize,
	.ask_size = op_ask_size,
	.client_gone = op_client_gone,
	.before_wait = op_before_wait,
};
