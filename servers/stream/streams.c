/* SPDX-License-Identifier: MIT */
/*
 * The stream server's handlers (proto/stream.h, streams.h): streams made
 * and freed, ends handed out (each with a badge of its own, armed for a
 * client-death notice), and the waits in STREAM_WAIT, which are kept and
 * answered whenever something that could end them happens: a wake from the
 * other side, an interrupt, an end going away. One rule decides whether a
 * wait is over (wait_result); everything else only counts ends.
 */
#include <string.h>

#include "streams.h"
#include "sys/errors.h"

static struct stream_end *end_of(struct streams *st, uint64_t badge)
{
	for (uint32_t i = 0; badge && i < STREAM_ENDS_MAX; i++)
		if (st->ends[i].badge == badge)
			return &st->ends[i];
	return NULL;
}

/* Bytes in the ring as its (untrusted) header says, clamped to its size. */
static uint64_t ring_used(const struct stream_rec *r)
{
	uint64_t used = __atomic_load_n(&r->ring->head, __ATOMIC_SEQ_CST) -
			__atomic_load_n(&r->ring->tail, __ATOMIC_SEQ_CST);

	return used > STREAM_DATA_BYTES ? STREAM_DATA_BYTES : used;
}

/* Whether a wait is over: its answer, or STREAM_DEFERRED while it is not. */
static long wait_result(const struct stream_rec *r, uint32_t kind, uint64_t seen)
{
	if (kind == STREAM_END_READ) {
		if (r->interrupts > seen)
			return E_INTR;
		return ring_used(r) > 0 || r->writers == 0 ? E_OK : STREAM_DEFERRED;
	}
	if (r->readers == 0)
		return E_PIPE;
	return ring_used(r) < STREAM_DATA_BYTES ? E_OK : STREAM_DEFERRED;
}

/* Answer every waiter whose wait is over. */
static void settle(struct streams *st, struct stream_rec *r)
{
	for (int i = 0; i < STREAM_WAITERS_MAX; i++) {
		struct stream_waiter *w = &r->waiters[i];
		if (!w->kind)
			continue;
		long res = wait_result(r, w->kind, w->seen);
		if (res == STREAM_DEFERRED)
			continue;
		st->sys->answer(st->sys->ctx, w->token, res, r->interrupts);
		*w = (struct stream_waiter){0};
	}
}

/* The ring's state word, from our own counts (a holder may have scribbled on it). */
static void publish_state(struct stream_rec *r)
{
	uint32_t state = (r->writers == 0 ? STREAM_S_WRITERS_GONE : 0) |
			 (r->readers == 0 ? STREAM_S_READERS_GONE : 0);

	__atomic_store_n(&r->ring->state, state, __ATOMIC_SEQ_CST);
	__atomic_store_n(&r->ring->interrupts, r->interrupts, __ATOMIC_SEQ_CST);
}

static struct stream_end *free_end(struct streams *st)
{
	for (uint32_t i = 0; i < STREAM_ENDS_MAX; i++)
		if (!st->ends[i].badge)
			return &st->ends[i];
	return NULL;
}

/* A new end of `stream`; interrupts after `seen` (at most the stream's count) are its reader's. */
static long new_end(struct streams *st, uint32_t stream, uint32_t kind, uint64_t seen,
		    handle_t *out)
{
	struct stream_end *e = free_end(st);
	handle_t h;
	uint64_t badge;

	if (!e)
		return E_NOSPACE;
	long err = st->sys->mint(st->sys->ctx, &h, &badge);
	if (err == E_OK && (err = st->sys->watch(st->sys->ctx, badge)) != E_OK)
		st->sys->close(st->sys->ctx, h);
	if (err != E_OK)
		return err;
	if (++st->next_writer_id == 0)
		st->next_writer_id = 1;
	struct stream_rec *r = &st->s[stream];
	*e = (struct stream_end){badge, stream, kind, st->next_writer_id,
				 seen < r->interrupts ? seen : r->interrupts};
	*(kind == STREAM_END_READ ? &r->readers : &r->writers) += 1;
	*out = h;
	return E_OK;
}

static long on_create(void *ctx, uint64_t badge, handle_t *rd, uint64_t *stream)
{
	struct streams *st = ctx;
	uint32_t i = 0;

	(void)badge;
	while (i < STREAM_MAX && st->s[i].used)
		i++;
	if (i == STREAM_MAX)
		return E_NOSPACE;
	struct stream_rec *r = &st->s[i];
	handle_t mobj;
	void *va;
	long err = st->sys->ring_new(st->sys->ctx, &mobj, &va);
	if (err != E_OK)
		return err;
	/* The pending writer counts until STREAM_WRITER hands it out. */
	*r = (struct stream_rec){
		.used = true, .writer_pending = true, .mobj = mobj, .ring = va, .writers = 1};
	r->ring->size = STREAM_DATA_BYTES;
	if ((err = new_end(st, i, STREAM_END_READ, STREAM_NO_SEEN, rd)) != E_OK) {
		st->sys->ring_free(st->sys->ctx, r->mobj, r->ring);
		*r = (struct stream_rec){0};
		return err;
	}
	publish_state(r);
	*stream = i;
	return E_OK;
}

static long on_writer(void *ctx, uint64_t badge, handle_t *wr)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	struct stream_rec *r = &st->s[e->stream];
	if (e->kind != STREAM_END_READ)
		return E_RIGHTS;
	if (!r->writer_pending)
		return E_EXISTS;
	long err = new_end(st, e->stream, STREAM_END_WRITE, STREAM_NO_SEEN, wr);
	if (err == E_OK) {
		r->writer_pending = false;
		r->writers--;
	}
	return err;
}

static long on_dup(void *ctx, uint64_t badge, uint64_t seen, handle_t *copy)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);
	return e ? new_end(st, e->stream, e->kind, seen, copy) : E_CLOSED;
}

static long on_attach(void *ctx, uint64_t badge, handle_t *ring, struct stream_attach_reply *rp)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	long err = st->sys->ring_lend(st->sys->ctx, st->s[e->stream].mobj, ring);
	if (err == E_OK)
		*rp = (struct stream_attach_reply){e->kind, e->writer_id, STREAM_DATA_BYTES,
						   e->interrupts_before};
	return err;
}

static long keep_waiter(struct streams *st, struct stream_rec *r, const struct stream_end *e,
			uint64_t seen)
{
	for (int i = 0; i < STREAM_WAITERS_MAX; i++) {
		struct stream_waiter *w = &r->waiters[i];
		if (w->kind)
			continue;
		long err = st->sys->defer(st->sys->ctx, &w->token);
		if (err != E_OK)
			return err;
		w->badge = e->badge, w->seen = seen, w->kind = e->kind;
		return STREAM_DEFERRED;
	}
	return E_OK; /* no room to sleep: the caller looks again (and comes back) */
}

static long on_wait(void *ctx, uint64_t badge, uint64_t seen, uint64_t *interrupts)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	struct stream_rec *r = &st->s[e->stream];
	long res = wait_result(r, e->kind, seen);
	*interrupts = r->interrupts;
	return res == STREAM_DEFERRED ? keep_waiter(st, r, e, seen) : res;
}

static long on_wake(void *ctx, uint64_t badge)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	settle(st, &st->s[e->stream]);
	return E_OK;
}

/* The stream of a write end's badge in *r, or why not. */
static long writer_stream(struct streams *st, uint64_t badge, struct stream_rec **r)
{
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	if (e->kind != STREAM_END_WRITE)
		return E_RIGHTS;
	*r = &st->s[e->stream];
	return E_OK;
}

static long on_interrupt(void *ctx, uint64_t badge)
{
	struct streams *st = ctx;
	struct stream_rec *r;
	long err = writer_stream(st, badge, &r);

	if (err != E_OK)
		return err;
	r->interrupts++;
	__atomic_store_n(&r->ring->interrupt_head,
			 __atomic_load_n(&r->ring->head, __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
	publish_state(r);
	settle(st, r);
	return E_OK;
}

static long on_set_size(void *ctx, uint64_t badge, uint32_t cols, uint32_t rows)
{
	struct stream_rec *r;
	long err = writer_stream(ctx, badge, &r);

	if (err != E_OK)
		return err;
	r->cols = cols;
	r->rows = rows;
	r->size_changes++;
	r->ring->cols = cols; /* for readers to notice without a call; ours is the truth */
	r->ring->rows = rows;
	__atomic_store_n(&r->ring->size_changes, r->size_changes, __ATOMIC_RELEASE);
	return E_OK;
}

static long on_get_size(void *ctx, uint64_t badge, struct stream_size *size)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return E_CLOSED;
	const struct stream_rec *r = &st->s[e->stream];
	if (r->size_changes == 0)
		return E_NOENT;
	*size = (struct stream_size){r->cols, r->rows, r->size_changes};
	return E_OK;
}

/* Waiters that came through a badge now gone (another thread of its holder) hear E_CLOSED. */
static void drop_waiters(struct streams *st, struct stream_rec *r, uint64_t badge)
{
	for (int i = 0; i < STREAM_WAITERS_MAX; i++) {
		struct stream_waiter *w = &r->waiters[i];
		if (w->kind && w->badge == badge) {
			st->sys->answer(st->sys->ctx, w->token, E_CLOSED, 0);
			*w = (struct stream_waiter){0};
		}
	}
}

static void free_stream(struct streams *st, struct stream_rec *r)
{
	for (int i = 0; i < STREAM_WAITERS_MAX; i++)
		if (r->waiters[i].kind)
			st->sys->answer(st->sys->ctx, r->waiters[i].token, E_CLOSED, 0);
	st->sys->ring_free(st->sys->ctx, r->mobj, r->ring);
	*r = (struct stream_rec){0};
}

static void on_gone(void *ctx, uint64_t badge)
{
	struct streams *st = ctx;
	struct stream_end *e = end_of(st, badge);

	if (!e)
		return; /* a badge of an earlier instance, or not an end */
	struct stream_rec *r = &st->s[e->stream];
	*(e->kind == STREAM_END_READ ? &r->readers : &r->writers) -= 1;
	if (r->readers == 0 && r->writer_pending) {
		r->writer_pending = false; /* nobody can claim it any more */
		r->writers--;
	}
	uint32_t id = e->writer_id;
	__atomic_compare_exchange_n(&r->ring->lock, &id, 0, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_RELAXED); /* a writer that died holding it */
	*e = (struct stream_end){0};
	drop_waiters(st, r, badge);
	if (r->readers == 0 && r->writers == 0) {
		free_stream(st, r);
		return;
	}
	publish_state(r);
	settle(st, r);
}

const struct stream_ops streams_ops = {
	.create = on_create,
	.writer = on_writer,
	.dup = on_dup,
	.attach = on_attach,
	.wait = on_wait,
	.wake = on_wake,
	.interrupt = on_interrupt,
	.set_size = on_set_size,
	.get_size = on_get_size,
	.gone = on_gone,
};
