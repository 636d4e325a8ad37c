/* SPDX-License-Identifier: MIT */
/*
 * Host test of the stream protocol: the client library (proto/stream.h,
 * client.c) calls through the fake transport (fake_ipc.h) into
 * server_dispatch and the stream server's real handlers (streams.c), over
 * fake kernel objects: an end's badge is a fake endpoint, a ring is host
 * memory that both sides "map", and closing an end's handle delivers the
 * client-death notice the kernel would. Checks bytes across the ring's
 * wrap, backpressure (a full ring makes the writer wait until a reader
 * moves), end-of-stream, a closed reader (E_PIPE), interrupts, a writer
 * that died holding the write lock, the limits, and a restarted server.
 * A call the server keeps (STREAM_WAIT) cannot block one host thread, so
 * waits are made by hand and their answers read from the fake.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "streams.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define RINGS 80

static struct server srv;
static struct streams state;
static struct stream_server ss = {&streams_ops, &state};
static uint64_t next_badge;

/* Rings: host memory under a handle number (each lent copy gets its own). */
static struct {
	handle_t h;
	void *va;
} rings[4 * RINGS];
static int rings_live;
static struct {
	uint64_t token;
	long status;
	uint64_t w0;
} answers[16];
static int answer_count, deferred;

static long f_mint(void *ctx, handle_t *h, uint64_t *badge)
{
	(void)ctx;
	*badge = ++next_badge + 1000;
	*h = fake_ipc_endpoint(&srv, *badge);
	return *h == HANDLE_INVALID ? E_NOSPACE : E_OK;
}

static long f_watch(void *ctx, uint64_t badge)
{
	(void)ctx, (void)badge;
	return E_OK;
}

static void f_close(void *ctx, handle_t h)
{
	(void)ctx, (void)h;
}

static void remember_ring(handle_t h, void *va)
{
	for (size_t i = 0; i < sizeof(rings) / sizeof(rings[0]); i++)
		if (!rings[i].h) {
			rings[i].h = h, rings[i].va = va;
			return;
		}
}

static long f_ring_new(void *ctx, handle_t *mobj, void **va)
{
	(void)ctx;
	*va = aligned_alloc(4096, STREAM_RING_BYTES);
	memset(*va, 0, STREAM_RING_BYTES);
	*mobj = fake_ipc_handle();
	remember_ring(*mobj, *va);
	rings_live++;
	return E_OK;
}

static void f_ring_free(void *ctx, handle_t mobj, void *va)
{
	(void)ctx, (void)mobj;
	free(va);
	rings_live--;
}

static void *ring_va(handle_t h)
{
	for (size_t i = 0; i < sizeof(rings) / sizeof(rings[0]); i++)
		if (rings[i].h == h)
			return rings[i].va;
	return NULL;
}

static long f_ring_lend(void *ctx, handle_t mobj, handle_t *copy)
{
	(void)ctx;
	*copy = fake_ipc_handle();
	remember_ring(*copy, ring_va(mobj));
	return E_OK;
}

static long f_defer(void *ctx, uint64_t *token)
{
	(void)ctx;
	*token = 500 + (uint64_t)deferred++;
	return E_OK;
}

static void f_answer(void *ctx, uint64_t token, long status, uint64_t w0)
{
	(void)ctx;
	if (answer_count < 16)
		answers[answer_count].token = token, answers[answer_count].status = status,
		answers[answer_count++].w0 = w0;
}

static const struct streams_sys fake_sys = {f_mint,	 f_watch, f_close,  f_ring_new, f_ring_free,
					    f_ring_lend, f_defer, f_answer, NULL};

/* What the target's client_map.c does: here the "mapping" is the host memory itself. */
void *stream_map_ring(handle_t ring, int *slot)
{
	*slot = 0;
	return ring_va(ring);
}

void stream_unmap_ring(int slot)
{
	(void)slot;
}

/* The kernel's part of closing an end's only handle: the server hears its badge is gone. */
long sys_handle_close(handle_t h)
{
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 0, 0, 0)};

	fake_ipc_event(h, &gone); /* nothing happens for what is not a fake endpoint */
	return E_OK;
}

static handle_t fresh(void)
{
	for (int i = 0; i < STREAM_MAX; i++) /* what a test left open */
		if (state.s[i].used)
			f_ring_free(NULL, state.s[i].mobj, state.s[i].ring);
	fake_ipc_reset();
	memset(&state, 0, sizeof(state));
	memset(rings, 0, sizeof(rings));
	state.sys = &fake_sys;
	answer_count = deferred = rings_live = 0;
	srv = stream_server_for(0, &ss);
	return fake_ipc_endpoint(&srv, 1); /* a client's handle from the name service */
}

static void open_pair(struct stream *r, struct stream *w)
{
	handle_t rd, wr;

	CHECK_EQ(stream_pair(fresh(), &rd, &wr), E_OK);
	CHECK_EQ(stream_open(r, rd), E_OK);
	CHECK_EQ(stream_open(w, wr), E_OK);
	CHECK_EQ(r->kind, STREAM_END_READ);
	CHECK_EQ(w->kind, STREAM_END_WRITE);
}

/* A raw STREAM_WAIT, as the client sends it once it has raised its flag. */
static long raw_wait(const struct stream *s, uint64_t seen)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_WAIT, 1, 0, 0), .w = {seen}};

	CHECK_EQ(ipc_call(s->end, &m, TIMEOUT_NEVER), E_OK);
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

static void test_bytes_through_the_ring(void)
{
	struct stream r, w;
	char buf[64];

	open_pair(&r, &w);
	CHECK_EQ(stream_write(&w, "hello", 5), 5);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(stream_try_read(&r, buf, sizeof(buf)), E_WOULDBLOCK);
	CHECK_EQ(stream_write(&r, "x", 1), E_RIGHTS); /* a read end cannot write */
	CHECK_EQ(stream_try_read(&w, buf, 1), E_RIGHTS);
	uint64_t calls = fake_ipc_stats.calls;
	CHECK_EQ(stream_write(&w, "abc", 3), 3);
	CHECK_EQ(stream_read(&r, buf, 2), 2);
	CHECK_EQ(stream_read(&r, buf + 2, 2), 1);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(fake_ipc_stats.calls, calls); /* nobody waited: no call at all */
	stream_close(&r);
	stream_close(&w);
	CHECK_EQ(rings_live, 0);
}

/* Odd-sized chunks many times round the ring: every byte arrives, in order. */
static void test_wrap(void)
{
	struct stream r, w;
	static uint8_t out[3001], in[3001];
	uint32_t next_out = 0, next_in = 0;

	open_pair(&r, &w);
	for (int round = 0; round < 100; round++) {
		for (size_t i = 0; i < sizeof(out); i++)
			out[i] = (uint8_t)(next_out++ * 7 + 3);
		CHECK_EQ(stream_write(&w, out, sizeof(out)), sizeof(out));
		size_t got = 0;
		while (got < sizeof(in)) {
			long n = stream_read(&r, in + got, sizeof(in) - got);
			CHECK(n > 0);
			if (n <= 0)
				return;
			got += (size_t)n;
		}
		for (size_t i = 0; i < sizeof(in); i++)
			if (in[i] != (uint8_t)(next_in++ * 7 + 3))
				CHECK(!"a byte changed on its way");
	}
	CHECK(r.ring->head > 9 * STREAM_DATA_BYTES); /* it did go round */
	stream_close(&r);
	stream_close(&w);
}

/* A full ring keeps the writer waiting until a reader moves, and only until then. */
static void test_backpressure(void)
{
	struct stream r, w;
	static uint8_t big[STREAM_DATA_BYTES];
	char buf[100];

	open_pair(&r, &w);
	CHECK_EQ(stream_write(&w, big, sizeof(big)), sizeof(big));
	__atomic_store_n(&w.ring->writers_waiting, 1, __ATOMIC_SEQ_CST);
	CHECK_EQ(raw_wait(&w, 0), STREAM_DEFERRED); /* full: the server keeps the call */
	CHECK_EQ(answer_count, 0);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 100); /* sees the flag: wakes the writer */
	CHECK_EQ(answer_count, 1);
	CHECK_EQ(answers[0].status, E_OK);
	CHECK_EQ(w.ring->writers_waiting, 0);
	CHECK_EQ(stream_write(&w, buf, 100), 100); /* the room it was woken for */
	CHECK_EQ(raw_wait(&w, 0), STREAM_DEFERRED);
	stream_close(&r); /* the reader goes away: the waiting writer hears E_PIPE */
	CHECK_EQ(answer_count, 2);
	CHECK_EQ(answers[1].status, E_PIPE);
	CHECK_EQ(stream_write(&w, "x", 1), E_PIPE);
	stream_close(&w);
	CHECK_EQ(rings_live, 0);
}

static void test_end_of_stream(void)
{
	struct stream r, w;
	char buf[16];

	open_pair(&r, &w);
	CHECK_EQ(raw_wait(&r, 0), STREAM_DEFERRED); /* empty: the reader sleeps */
	CHECK_EQ(stream_write(&w, "last", 4), 4);
	__atomic_store_n(&r.ring->readers_waiting, 1, __ATOMIC_SEQ_CST);
	stream_close(&w); /* every writer gone */
	CHECK_EQ(answer_count, 1);
	CHECK_EQ(answers[0].status, E_OK);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 4); /* what was written still arrives */
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 0);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 0);
	CHECK_EQ(raw_wait(&r, 0), E_OK); /* never kept once the writers are gone */
	stream_close(&r);
	CHECK_EQ(rings_live, 0);
}

/* Two write ends (a dup for a child): the end comes only when both are gone. */
static void test_dup_and_writer_once(void)
{
	struct stream r, w, w2;
	char buf[8];
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_WRITER, 0, 0, 0)};

	open_pair(&r, &w);
	long h = stream_dup(w.end);
	CHECK(h > 0);
	CHECK_EQ(stream_open(&w2, (handle_t)h), E_OK);
	CHECK(w2.writer_id != w.writer_id);
	CHECK_EQ(ipc_call(r.end, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_EXISTS); /* the first writer was taken */
	stream_close(&w);
	CHECK_EQ(stream_try_read(&r, buf, 8), E_WOULDBLOCK); /* w2 still writes */
	CHECK_EQ(stream_write(&w2, "2", 1), 1);
	stream_close(&w2);
	CHECK_EQ(stream_read(&r, buf, 8), 1);
	CHECK_EQ(stream_read(&r, buf, 8), 0);
	stream_close(&r);
}

/* A stream whose writer was never taken and whose reader went: freed, not leaked. */
static void test_reader_only_is_freed(void)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_CREATE, 0, 0, 0)};

	CHECK_EQ(ipc_call(fresh(), &m, TIMEOUT_NEVER), E_OK);
	CHECK(IPC_TAG_CAP(m.tag));
	CHECK_EQ(rings_live, 1);
	sys_handle_close(m.cap);
	CHECK_EQ(rings_live, 0);
}

static void test_interrupt(void)
{
	struct stream r, w;
	char buf[8];

	open_pair(&r, &w);
	CHECK_EQ(raw_wait(&r, 0), STREAM_DEFERRED);
	CHECK_EQ(stream_interrupt(&r), E_RIGHTS); /* only the terminal's side interrupts */
	CHECK_EQ(stream_interrupt(&w), E_OK);
	CHECK_EQ(answer_count, 1);
	CHECK_EQ(answers[0].status, E_INTR);
	CHECK_EQ(answers[0].w0, 1);
	CHECK_EQ(stream_write(&w, "q", 1), 1);
	CHECK_EQ(stream_read(&r, buf, 8), E_INTR); /* once per interrupt */
	CHECK_EQ(stream_read(&r, buf, 8), 1);
	CHECK_EQ(raw_wait(&r, 0), E_INTR); /* a caller that has not seen it hears it at once */
	CHECK_EQ(raw_wait(&r, 1), STREAM_DEFERRED);
	/* An end made before an interrupt but attached after it (a program starting) hears it. */
	long h = stream_dup(r.end);
	CHECK_EQ(stream_interrupt(&w), E_OK);
	struct stream late;
	CHECK_EQ(stream_open(&late, (handle_t)h), E_OK);
	CHECK_EQ(stream_read(&late, buf, 8), E_INTR);
	stream_close(&late);
	/* An end made after an interrupt its maker had not seen (Ctrl-C while sh starts a program).
	 */
	h = stream_dup_seen(r.end, 1); /* of the two so far */
	CHECK_EQ(stream_open(&late, (handle_t)h), E_OK);
	CHECK_EQ(stream_read(&late, buf, 8), E_INTR);
	stream_close(&late);
	h = stream_dup_seen(r.end, 7); /* more than there were: from now */
	CHECK_EQ(stream_open(&late, (handle_t)h), E_OK);
	CHECK_EQ(stream_write(&w, "z", 1), 1);
	CHECK_EQ(stream_read(&late, buf, 8), 1); /* the byte, no interrupt */
	stream_close(&late);
	CHECK_EQ(answers[1].status, E_INTR); /* the waiter above heard the second interrupt */
	stream_close(&w);
	stream_close(&r);
}

/* An interrupt keeps its place: what was written before it is read first. */
static void test_interrupt_in_order(void)
{
	struct stream r, w;
	char buf[8];

	open_pair(&r, &w);
	CHECK_EQ(stream_write(&w, "ls\r", 3), 3);
	CHECK_EQ(stream_interrupt(&w), E_OK);
	CHECK_EQ(stream_write(&w, "x", 1), 1);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 3); /* the Enter before Ctrl-C counts */
	CHECK(memcmp(buf, "ls\r", 3) == 0);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), E_INTR);
	CHECK_EQ(stream_read(&r, buf, sizeof(buf)), 1);
	CHECK_EQ(buf[0], 'x');
	stream_close(&w);
	stream_close(&r);
}

/* A writer killed while it held the write lock: the server frees the lock. */
static void test_dead_lock_holder(void)
{
	struct stream r, w, w2;
	char buf[8];

	open_pair(&r, &w);
	long h = stream_dup(w.end);
	CHECK_EQ(stream_open(&w2, (handle_t)h), E_OK);
	w.ring->lock = w.writer_id; /* as if it died mid-copy */
	sys_handle_close(w.end);
	CHECK_EQ(w2.ring->lock, 0);
	CHECK_EQ(stream_write(&w2, "ok", 2), 2);
	CHECK_EQ(stream_read(&r, buf, 8), 2);
	stream_close(&w2);
	stream_close(&r);
}

/* A scribbled header never sends the client or the server out of the ring. */
static void test_scribbled_ring(void)
{
	struct stream r, w;
	char buf[64];

	open_pair(&r, &w);
	r.ring->head = 0xFFFFFFFFFFFF0000ull; /* "far more than the ring holds" */
	r.ring->tail = 3;
	long n = stream_read(&r, buf, sizeof(buf));
	CHECK(n > 0 && n <= (long)sizeof(buf));
	long st = raw_wait(&w, 0); /* the ring reads as full: kept until someone moves */
	CHECK(st == STREAM_DEFERRED);
	stream_close(&w);
	stream_close(&r);
}

/* A server that restarted knows no stream: readers see the end, writers E_PIPE. */
static void test_restarted_server(void)
{
	struct stream r, w;
	char buf[8];
	static uint8_t big[STREAM_DATA_BYTES];

	open_pair(&r, &w);
	memset(&state.ends, 0, sizeof(state.ends)); /* the new instance's empty tables */
	CHECK_EQ(stream_read(&r, buf, 8), 0);
	/* The bytes fit, but the reader said it waits: the wake-up finds no server. */
	CHECK_EQ(stream_write(&w, big, sizeof(big)), E_PIPE);
	open_pair(&r, &w);
	fake_ipc_fail_next(E_RESTARTED, 1, 0); /* the wait in flight when it died */
	CHECK_EQ(stream_read(&r, buf, 8), 0);
}

/* The terminal's size: set on a write end, read from any end (a dup too), counted in the ring. */
static void test_terminal_size(void)
{
	struct stream r, w;
	struct stream_size size;
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_SET_SIZE, 1, 0, 0), .w = {80}};

	open_pair(&r, &w);
	CHECK_EQ(stream_get_size(r.end, &size), E_NOENT); /* never set: a pipe */
	CHECK_EQ(stream_size_changes(&r), 0);
	CHECK_EQ(stream_set_size(&w, 80, 25), E_OK);
	CHECK_EQ(stream_set_size(&r, 10, 10), E_RIGHTS); /* a reader cannot say */
	CHECK_EQ(stream_set_size(&w, 0, 25), E_INVAL);
	CHECK_EQ(stream_set_size(&w, 80, STREAM_SIZE_MAX + 1), E_INVAL);
	CHECK_EQ(ipc_call(w.end, &m, TIMEOUT_NEVER), E_OK); /* one word: the wrong shape */
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_PROTO);
	CHECK_EQ(stream_get_size(r.end, &size), E_OK);
	CHECK(size.cols == 80 && size.rows == 25 && size.changes == 1);
	CHECK_EQ(stream_set_size(&w, 132, 43), E_OK);
	CHECK_EQ(stream_size_changes(&r), 2); /* seen in the header without a call */
	long h = stream_dup(r.end);
	CHECK(h > 0);
	CHECK_EQ(stream_get_size((handle_t)h, &size), E_OK);
	CHECK(size.cols == 132 && size.rows == 43 && size.changes == 2);
	r.ring->size_changes = 99; /* a holder scribbles: the server's answer stays true */
	r.ring->cols = 1;
	CHECK_EQ(stream_get_size(w.end, &size), E_OK);
	CHECK(size.cols == 132 && size.rows == 43 && size.changes == 2);
	sys_handle_close((handle_t)h);
	stream_close(&r);
	stream_close(&w);
}

int main(void)
{
	test_bytes_through_the_ring();
	test_wrap();
	test_backpressure();
	test_end_of_stream();
	test_dup_and_writer_once();
	test_reader_only_is_freed();
	test_interrupt();
	test_interrupt_in_order();
	test_dead_lock_holder();
	test_scribbled_ring();
	test_restarted_server();
	test_terminal_size();
	fresh();
	return check_summary("stream");
}
