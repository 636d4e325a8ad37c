/* SPDX-License-Identifier: MIT */
/*
 * The stream protocol (methods 0x0B00-0x0BFF, sys/protocols.h): byte
 * streams between processes with backpressure, what a pipe or a pty is
 * elsewhere. The stream server (servers/stream) owns every stream: a ring
 * of bytes in one memory object, which it maps itself and lends to each
 * end that attaches. Bytes move through that shared ring, never through
 * IPC; the server is called only to create and hand out ends and to sleep
 * until the other side has moved (a reader on an empty ring, a writer on a
 * full one). docs/ARCHITECTURE.md, "Streams", says why.
 *
 * A handle to a stream end is a badged send handle to the server's
 * endpoint; the badge says which stream and which end (read or write).
 * Every handle the server gives out has a badge of its own: STREAM_DUP
 * makes another for the same end, which is how a stream is given to a
 * child (so the server can tell one holder's death from another's). An
 * end lives while a handle carries its badge (the server arms a
 * client-death notice for it): when the last write end of a stream is gone
 * its readers get end-of-stream once the ring is empty; when the last read
 * end is gone its writers get E_PIPE. Both happen when a holder closes its
 * handle or ends for any reason, so nobody waits on a dead peer.
 *
 * STREAM_CREATE (any badge; not idempotent)
 *   reply: cap = the read end of a new stream; w0 = the stream's number.
 *   errors: E_NOSPACE (STREAM_MAX streams open), E_NOMEM.
 * STREAM_WRITER (a read end; once per stream)
 *   reply: cap = the stream's first write end. Until it is taken the
 *          stream counts as having a writer, so its readers wait.
 *   errors: E_EXISTS (taken already), E_RIGHTS (not a read end).
 * STREAM_DUP (an end; w0, optional = the interrupts its holder has seen)
 *   reply: cap = another handle to the same end, with a badge of its own.
 *   Interrupts after w0 (or, without it, after now) reach the new handle's
 *   reader: a Ctrl-C typed while sh starts a program is the program's.
 * STREAM_ATTACH (an end; idempotent)
 *   reply: cap = the ring (a memory object, read and write); w0 = the end
 *          (STREAM_END_READ or STREAM_END_WRITE), w1 = this badge's writer
 *          id (the value it puts in ring->lock), w2 = the data bytes,
 *          w3 = the stream's interrupt count when this end was made: a
 *          reader has seen those (an interrupt while a program starts is
 *          its own, though it attaches later).
 * STREAM_WAIT (an end)
 *   request: w0 = the interrupts the caller has seen (readers).
 *   A reader is answered once the ring holds bytes, every writer is gone
 *   (E_OK: look again), or the stream's interrupt count is above w0
 *   (E_INTR, w0 = the count). A writer is answered once there is room
 *   (E_OK) or every reader is gone (E_PIPE).
 * STREAM_WAKE (an end)
 *   The caller moved the ring (wrote, or read): answer the waiters of the
 *   other side whose wait is over. Called only when ring->readers_waiting
 *   (writer) or ring->writers_waiting (reader) was set.
 * STREAM_INTERRUPT (a write end)
 *   Ctrl-C: the stream's interrupt count goes up (ring->interrupts) and
 *   its waiting readers get E_INTR. It has a place in the stream: the
 *   bytes written before it (up to ring->interrupt_head) are read first,
 *   then the reader gets E_INTR (so an Enter typed before Ctrl-C counts). The foreground program's
 * default is to end (status STREAM_EXIT_INTERRUPTED); whoever started it kills it on the second
 * interrupt if it is still running (a program that ignores the first).
 *
 * STREAM_SET_SIZE (a write end; idempotent)
 *   request: w0 = columns, w1 = rows (1 to STREAM_SIZE_MAX each): the size
 *   of the terminal the stream's bytes are shown on, set by the terminal on
 *   its program's input stream at the start and at each resize. The server
 *   keeps it and counts the changes; it also writes both into the ring's
 *   header (cols, rows, size_changes), so a program can notice a change
 *   without a call (what SIGWINCH tells elsewhere) before it asks.
 *   errors: E_INVAL a size out of range, E_RIGHTS a read end.
 * STREAM_GET_SIZE (an end; idempotent)
 *   reply: w0 = columns, w1 = rows, w2 = the changes so far (1 after the
 *   first STREAM_SET_SIZE). errors: E_NOENT no size was ever set (a pipe,
 *   the serial line).
 *
 * Sharing the ring: writers take ring->lock (0 -> their id) around a copy
 * and the publication of head, never while waiting; the server frees the
 * lock of an end that is gone, so a writer killed mid-copy loses only its
 * unpublished bytes. Readers copy, then move tail with a compare-and-swap,
 * so several may read one stream. Everything in the ring is writable by
 * every holder: the server only reads head and tail (to decide whether a
 * wait is over) and treats them as hostile; a holder that scribbles on the
 * ring spoils only that stream.
 *
 * Recovery: a restarted server knows no stream. Calls on old ends get
 * E_CLOSED (or E_RESTARTED in flight): readers take either as end-of-stream
 * and writers as E_PIPE. Whoever made the streams makes new ones.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define STREAM_PROTOCOL_BASE PROTOCOL_BASE(stream)
#define STREAM_CREATE	     (STREAM_PROTOCOL_BASE + 0x01)
#define STREAM_WRITER	     (STREAM_PROTOCOL_BASE + 0x02)
#define STREAM_DUP	     (STREAM_PROTOCOL_BASE + 0x03)
#define STREAM_NO_SEEN	     UINT64_MAX /* STREAM_DUP without w0 */
#define STREAM_ATTACH	     (STREAM_PROTOCOL_BASE + 0x04)
#define STREAM_WAIT	     (STREAM_PROTOCOL_BASE + 0x05)
#define STREAM_WAKE	     (STREAM_PROTOCOL_BASE + 0x06)
#define STREAM_INTERRUPT     (STREAM_PROTOCOL_BASE + 0x07)
#define STREAM_SET_SIZE	     (STREAM_PROTOCOL_BASE + 0x08)
#define STREAM_GET_SIZE	     (STREAM_PROTOCOL_BASE + 0x09)
#define STREAM_SIZE_MAX	     4096 /* columns or rows */

#define STREAM_END_READ	 1u
#define STREAM_END_WRITE 2u

#define STREAM_MAX		64     /* streams open at once */
#define STREAM_HEADER_BYTES	4096u  /* the ring's first page: struct stream_ring */
#define STREAM_DATA_BYTES	32768u /* then the bytes (a power of two) */
#define STREAM_RING_BYTES	(STREAM_HEADER_BYTES + STREAM_DATA_BYTES)
#define STREAM_EXIT_INTERRUPTED 130	 /* a program ended by an interrupt */
#define STREAM_SERVICE		"stream" /* its name for ns_lookup */

/* Set by the server only (ring->state). */
#define STREAM_S_WRITERS_GONE 1u /* no write end is left: end-of-stream once empty */
#define STREAM_S_READERS_GONE 2u /* no read end is left: writes fail with E_PIPE */

/* The ring's header, at the start of its memory object; the bytes follow at STREAM_HEADER_BYTES. */
struct stream_ring {
	uint64_t head;		  /* bytes ever written (published) */
	uint64_t tail;		  /* bytes ever read */
	uint32_t lock;		  /* the writer id holding the write lock; 0: free */
	uint32_t state;		  /* STREAM_S_* */
	uint32_t readers_waiting; /* a reader is (about to be) in STREAM_WAIT */
	uint32_t writers_waiting; /* a writer is (about to be) in STREAM_WAIT */
	uint64_t interrupts;	  /* STREAM_INTERRUPTs so far */
	uint32_t size;		  /* data bytes */
	uint32_t reserved;
	uint64_t interrupt_head; /* head when the last interrupt came: bytes before it come first */
	uint32_t cols, rows;	 /* the terminal's size (STREAM_SET_SIZE), written by the server */
	uint64_t size_changes;	 /* STREAM_SET_SIZEs so far: a reader compares with what it saw */
};
_Static_assert(sizeof(struct stream_ring) == 72, "the ring header is shared memory");
_Static_assert((STREAM_DATA_BYTES & (STREAM_DATA_BYTES - 1)) == 0, "a power of two");

/* The register words of the replies and requests. */
struct stream_create_reply {
	uint64_t stream;
};
struct stream_attach_reply {
	uint64_t end; /* STREAM_END_* */
	uint64_t writer_id;
	uint64_t size;
	uint64_t interrupts_before; /* interrupts when the end was made */
};
struct stream_wait_request {
	uint64_t interrupts_seen;
};
struct stream_wait_reply {
	uint64_t interrupts;
};
struct stream_size {
	uint64_t cols, rows, changes;
};
_Static_assert(sizeof(struct stream_create_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct stream_attach_reply) == 4 * sizeof(uint64_t), "4 words");
_Static_assert(sizeof(struct stream_wait_request) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct stream_wait_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct stream_size) == 3 * sizeof(uint64_t), "3 words");

/* ---- Client side (client.c) ---- */

/* An end, attached: its handle and the ring mapped into this process. */
struct stream {
	handle_t end;
	struct stream_ring *ring; /* NULL: not attached */
	uint8_t *data;
	uint32_t size;
	uint32_t writer_id;
	uint32_t kind;		  /* STREAM_END_* */
	uint64_t interrupts_seen; /* readers: interrupts already reported */
	int slot;		  /* where it is mapped (client_map.c) */
};

/*
 * The server's endpoint (looked up once through "ns"), or HANDLE_INVALID.
 * stream_pair makes a stream: *rd and *wr are its read and write end.
 */
handle_t stream_server(void);
long stream_pair(handle_t server, handle_t *rd, handle_t *wr);
/* Another handle to the same end (give that one to a child); a handle or a negative error. */
long stream_dup(handle_t end);
/* The same for a reader that has seen `seen` interrupts: the later ones reach the new handle too.
 */
long stream_dup_seen(handle_t end, uint64_t seen);

/*
 * A child's stdin, stdout and stderr (stdio_ends.c): give it in_rd as
 * "stdin", out_wr as "stdout" and err_wr (the same stream) as "stderr";
 * keep in_wr and out_rd. Closing ours after the start is what lets the
 * streams end when the child does. make: all or none (E_NOENT: no server).
 */
struct stream_stdio {
	handle_t in_rd, in_wr, out_rd, out_wr, err_wr;
};
long stream_stdio_make(struct stream_stdio *e);
/* Every handle still held (HANDLE_INVALID marks one given away). */
void stream_stdio_close(struct stream_stdio *e);
/*
 * A program started by the loader (its "parent" the loader) with e's child
 * ends: from the file at `path`, which the loader reads, or, when image is
 * a memory object (the ELF file's `size` bytes), from that image with
 * `path` as its name. A process handle or an error.
 */
long stream_stdio_exec(handle_t loader, const struct stream_stdio *e, const char *path,
		       handle_t image, uint64_t size, int argc, const char *const *argv,
		       uint64_t timeout);

/* Attach `end` (the stream then owns the handle) and map its ring; stream_close undoes both. */
long stream_open(struct stream *s, handle_t end);
void stream_close(struct stream *s);

/*
 * Read at least one byte (up to n): the count, 0 at end-of-stream, E_INTR
 * for an interrupt not seen yet (once per interrupt), or an error.
 * stream_try_read never waits: E_WOULDBLOCK when nothing is there.
 */
long stream_read(struct stream *s, void *buf, size_t n);
long stream_try_read(struct stream *s, void *buf, size_t n);
/* Write all n bytes, waiting for room: n, or E_PIPE once no reader is left (bytes may be lost). */
long stream_write(struct stream *s, const void *buf, size_t n);
/* Ctrl-C on a write end (see STREAM_INTERRUPT). */
long stream_interrupt(struct stream *s);
/* Interrupts of this stream so far (readers compare with what they have seen). */
uint64_t stream_interrupts(const struct stream *s);
/* The terminal's size on a write end (see STREAM_SET_SIZE). */
long stream_set_size(struct stream *s, uint32_t cols, uint32_t rows);
/* The size last set on the stream of `end` (any end): E_OK, E_NOENT never set, or an error. */
long stream_get_size(handle_t end, struct stream_size *size);
/* The size changes the ring's header shows (no call): ask again when it moved. */
uint64_t stream_size_changes(const struct stream *s);

/*
 * Where rings are mapped: client_map.c on the target (a window of
 * STREAM_MAP_SLOTS slots from STREAM_VA); host tests provide their own.
 */
#define STREAM_VA	 0x0000680000000000ull
#define STREAM_MAP_SLOTS 64
void *stream_map_ring(handle_t ring, int *slot);
void stream_unmap_ring(int slot);

/* ---- Server side (server.c): decode into these ops ---- */
#define STREAM_DEFERRED 1 /* wait's result: the handler kept the reply for later */

struct stream_ops {
	long (*create)(void *ctx, uint64_t badge, handle_t *rd, uint64_t *stream);
	long (*writer)(void *ctx, uint64_t badge, handle_t *wr);
	/* seen: interrupts the new end has had (STREAM_NO_SEEN: all until now) */
	long (*dup)(void *ctx, uint64_t badge, uint64_t seen, handle_t *copy);
	long (*attach)(void *ctx, uint64_t badge, handle_t *ring, struct stream_attach_reply *r);
	/* E_OK, E_INTR (*interrupts set), E_PIPE, an error, or STREAM_DEFERRED */
	long (*wait)(void *ctx, uint64_t badge, uint64_t seen, uint64_t *interrupts);
	long (*wake)(void *ctx, uint64_t badge);
	long (*interrupt)(void *ctx, uint64_t badge);
	long (*set_size)(void *ctx, uint64_t badge, uint32_t cols, uint32_t rows);
	long (*get_size)(void *ctx, uint64_t badge, struct stream_size *size);
	void (*gone)(void *ctx, uint64_t badge);
};
struct stream_server {
	const struct stream_ops *ops;
	void *ctx;
};
struct server stream_server_for(handle_t ep, struct stream_server *ss);
