/* SPDX-License-Identifier: MIT */
/*
 * Client side of the stream protocol (proto/stream.h): making and handing
 * out ends through the server, and moving bytes through the shared ring
 * without it. The server is called only when a reader finds the ring
 * empty, a writer finds it full, or the other side said it is waiting
 * (ring->readers_waiting / writers_waiting) after this side moved.
 *
 * The lost wake-up is ruled out by order: a waiter raises its flag, looks
 * at the ring once more, and only then calls STREAM_WAIT, which the server
 * answers at once if the ring has moved meanwhile (it looks too). A mover
 * publishes head or tail before it reads the flag.
 */
#include <string.h>

#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define CALL_TIMEOUT TIMEOUT_NEVER

static long reply_label(const struct ipc_msg *m)
{
	return ipc_label_status(m);
}

/* One call on `ep` whose reply carries a capability: that handle or an error. */
static long call_for_cap(handle_t ep, uint16_t method, unsigned words, struct ipc_msg *m)
{
	m->tag = IPC_TAG(method, words, 0, 0);
	long err = ipc_call(ep, m, CALL_TIMEOUT);

	if (err == E_OK)
		err = reply_label(m);
	if (err == E_OK && !IPC_TAG_CAP(m->tag))
		err = E_PROTO;
	return err < 0 ? err : (long)m->cap;
}

long stream_pair(handle_t server, handle_t *rd, handle_t *wr)
{
	struct ipc_msg m = {0};
	long r = call_for_cap(server, STREAM_CREATE, 0, &m);

	if (r < 0)
		return r;
	long w = call_for_cap((handle_t)r, STREAM_WRITER, 0, &m);
	if (w < 0) {
		sys_handle_close((handle_t)r);
		return w;
	}
	*rd = (handle_t)r;
	*wr = (handle_t)w;
	return E_OK;
}

long stream_dup(handle_t end)
{
	struct ipc_msg m = {0};

	return call_for_cap(end, STREAM_DUP, 0, &m);
}

long stream_dup_seen(handle_t end, uint64_t seen)
{
	struct ipc_msg m = {.w = {seen}};

	return call_for_cap(end, STREAM_DUP, 1, &m);
}

long stream_open(struct stream *s, handle_t end)
{
	struct ipc_msg m = {0};
	long ring = call_for_cap(end, STREAM_ATTACH, 0, &m);

	*s = (struct stream){.end = end, .slot = -1};
	if (ring < 0)
		return ring;
	struct stream_attach_reply rp;
	memcpy(&rp, m.w, sizeof(rp));
	void *va = stream_map_ring((handle_t)ring, &s->slot);
	sys_handle_close((handle_t)ring);
	if (!va)
		return E_NOMEM;
	if (rp.size != STREAM_DATA_BYTES ||
	    (rp.end != STREAM_END_READ && rp.end != STREAM_END_WRITE)) {
		stream_unmap_ring(s->slot);
		return E_PROTO;
	}
	s->ring = va;
	s->data = (uint8_t *)va + STREAM_HEADER_BYTES;
	s->size = (uint32_t)rp.size;
	s->writer_id = (uint32_t)rp.writer_id;
	s->kind = (uint32_t)rp.end;
	s->interrupts_seen = rp.interrupts_before;
	return E_OK;
}

void stream_close(struct stream *s)
{
	if (s->ring)
		stream_unmap_ring(s->slot);
	if (s->end != HANDLE_INVALID)
		sys_handle_close(s->end);
	*s = (struct stream){.slot = -1};
}

uint64_t stream_interrupts(const struct stream *s)
{
	return __atomic_load_n(&s->ring->interrupts, __ATOMIC_ACQUIRE);
}

static uint32_t ring_state(const struct stream *s)
{
	return __atomic_load_n(&s->ring->state, __ATOMIC_ACQUIRE);
}

/* Bytes waiting in the ring (a scribbled header reads as full or empty, never more). */
static uint64_t ring_used(const struct stream *s)
{
	uint64_t head = __atomic_load_n(&s->ring->head, __ATOMIC_ACQUIRE);
	uint64_t tail = __atomic_load_n(&s->ring->tail, __ATOMIC_ACQUIRE);
	uint64_t used = head - tail;

	return used > s->size ? s->size : used;
}

/* Tell the server the ring moved, if the other side said it waits. */
static long wake_other(struct stream *s, uint32_t *flag)
{
	if (!__atomic_load_n(flag, __ATOMIC_SEQ_CST) ||
	    !__atomic_exchange_n(flag, 0, __ATOMIC_SEQ_CST))
		return E_OK;
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_WAKE, 0, 0, 0)};
	long err = ipc_call(s->end, &m, CALL_TIMEOUT);
	return err == E_OK ? reply_label(&m) : err;
}

/* Sleep in the server until the wait is over: E_OK (look again), E_INTR, E_PIPE or an error. */
static long wait_server(struct stream *s)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_WAIT, 1, 0, 0), .w = {s->interrupts_seen}};
	long err = ipc_call(s->end, &m, CALL_TIMEOUT);

	if (err == E_OK)
		err = reply_label(&m);
	if (err == E_INTR && IPC_TAG_WORDS(m.tag) >= 1)
		s->interrupts_seen = m.w[0];
	return err;
}

/* Copy up to n bytes out at tail and move tail past them; the count (0: empty). */
static size_t take(struct stream *s, void *buf, size_t n)
{
	for (;;) {
		uint64_t tail = __atomic_load_n(&s->ring->tail, __ATOMIC_ACQUIRE);
		uint64_t used = ring_used(s);
		size_t k = n < used ? n : (size_t)used;
		uint32_t off = (uint32_t)(tail & (s->size - 1)), first = s->size - off;

		if (k == 0)
			return 0;
		first = k < first ? (uint32_t)k : first;
		memcpy(buf, s->data + off, first);
		memcpy((uint8_t *)buf + first, s->data, k - first);
		if (__atomic_compare_exchange_n(&s->ring->tail, &tail, tail + k, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return k;
	}
}

long stream_try_read(struct stream *s, void *buf, size_t n)
{
	if (!s->ring || s->kind != STREAM_END_READ)
		return E_RIGHTS;
	if (n == 0)
		return 0;
	size_t k = take(s, buf, n);
	if (k > 0) {
		wake_other(s,
			   &s->ring->writers_waiting); /* a gone server: the writer is gone too */
		return (long)k;
	}
	return ring_state(s) & STREAM_S_WRITERS_GONE ? 0 : E_WOULDBLOCK;
}

/*
 * An interrupt not seen yet, once the bytes written before it are read:
 * true (it is seen now), or false with *before set to the bytes still
 * ahead of it (0: none pending, or read on).
 */
static bool interrupt_pending(struct stream *s, uint64_t *before)
{
	uint64_t now = stream_interrupts(s);
	uint64_t at = __atomic_load_n(&s->ring->interrupt_head, __ATOMIC_ACQUIRE);
	uint64_t tail = __atomic_load_n(&s->ring->tail, __ATOMIC_ACQUIRE);

	*before = 0;
	if (now <= s->interrupts_seen)
		return false;
	if (at > tail && at - tail <= s->size) {
		*before = at - tail;
		return false;
	}
	s->interrupts_seen = now;
	return true;
}

/* Whether a reader has something to look at: bytes, the end, or an interrupt. */
static bool readable(const struct stream *s)
{
	return ring_used(s) > 0 || (ring_state(s) & STREAM_S_WRITERS_GONE) ||
	       stream_interrupts(s) > s->interrupts_seen;
}

long stream_read(struct stream *s, void *buf, size_t n)
{
	for (;;) {
		uint64_t before = 0;
		if (s->ring && interrupt_pending(s, &before))
			return E_INTR;
		long r = stream_try_read(s, buf, before && before < n ? (size_t)before : n);
		if (r != E_WOULDBLOCK)
			return r;
		__atomic_store_n(&s->ring->readers_waiting, 1, __ATOMIC_SEQ_CST);
		if (readable(s))
			continue;
		long err = wait_server(s);
		if (err == E_CLOSED || err == E_RESTARTED || err == E_NOENT)
			return 0; /* the server is gone (or forgot us): nothing more will come */
		if (err != E_OK)
			return err;
	}
}

/* The write lock: yield to a holder a few times, then sleep (a lower priority needs the CPU). */
static long lock_ring(struct stream *s)
{
	for (int tries = 0;; tries++) {
		uint32_t free_ = 0;
		if (ring_state(s) & STREAM_S_READERS_GONE)
			return E_PIPE;
		if (__atomic_compare_exchange_n(&s->ring->lock, &free_, s->writer_id, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return E_OK;
		if (tries < 8)
			sys_yield();
		else
			sys_sleep(1000000);
	}
}

/* Copy what fits at head and publish it; the count. */
static size_t put(struct stream *s, const uint8_t *buf, size_t n)
{
	uint64_t head = __atomic_load_n(&s->ring->head, __ATOMIC_ACQUIRE);
	uint64_t room = s->size - ring_used(s);
	size_t k = n < room ? n : (size_t)room;
	uint32_t off = (uint32_t)(head & (s->size - 1)), first = s->size - off;

	first = k < first ? (uint32_t)k : first;
	memcpy(s->data + off, buf, first);
	memcpy(s->data, buf + first, k - first);
	__atomic_store_n(&s->ring->head, head + k, __ATOMIC_SEQ_CST);
	return k;
}

/* Wait for room: E_OK to try again, E_PIPE once no reader is left. */
static long wait_room(struct stream *s)
{
	__atomic_store_n(&s->ring->writers_waiting, 1, __ATOMIC_SEQ_CST);
	if (ring_state(s) & STREAM_S_READERS_GONE)
		return E_PIPE;
	if (ring_used(s) < s->size)
		return E_OK;
	long err = wait_server(s);
	return err == E_CLOSED || err == E_RESTARTED || err == E_NOENT ? E_PIPE : err;
}

long stream_write(struct stream *s, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	size_t done = 0;

	if (!s->ring || s->kind != STREAM_END_WRITE)
		return E_RIGHTS;
	while (done < n) {
		long err = lock_ring(s);
		if (err < 0)
			return err;
		size_t k = put(s, p + done, n - done);
		__atomic_store_n(&s->ring->lock, 0, __ATOMIC_RELEASE);
		done += k;
		err = k > 0 ? wake_other(s, &s->ring->readers_waiting) : wait_room(s);
		if (err == E_CLOSED || err == E_RESTARTED || err == E_NOENT)
			err = E_PIPE;
		if (err < 0)
			return err;
	}
	return (long)n;
}

long stream_interrupt(struct stream *s)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_INTERRUPT, 0, 0, 0)};
	long err = ipc_call(s->end, &m, CALL_TIMEOUT);

	return err == E_OK ? reply_label(&m) : err;
}

long stream_set_size(struct stream *s, uint32_t cols, uint32_t rows)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_SET_SIZE, 2, 0, 0), .w = {cols, rows}};
	long err = ipc_call(s->end, &m, CALL_TIMEOUT);

	return err < 0 ? err : reply_label(&m);
}

long stream_get_size(handle_t end, struct stream_size *size)
{
	struct ipc_msg m = {.tag = IPC_TAG(STREAM_GET_SIZE, 0, 0, 0)};
	long err = ipc_call(end, &m, CALL_TIMEOUT);

	if (err == E_OK)
		err = reply_label(&m);
	if (err == E_OK && IPC_TAG_WORDS(m.tag) != 3)
		err = E_PROTO;
	if (err == E_OK)
		memcpy(size, m.w, sizeof(*size));
	return err;
}

uint64_t stream_size_changes(const struct stream *s)
{
	return s->ring ? __atomic_load_n(&s->ring->size_changes, __ATOMIC_ACQUIRE) : 0;
}
