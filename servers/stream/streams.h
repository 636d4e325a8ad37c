/* SPDX-License-Identifier: MIT */
/*
 * The stream server's state: every stream (its ring and how many read and
 * write ends it has) and every end handed out (by badge), with the callers
 * sleeping in STREAM_WAIT. Pure C over a small system interface
 * (struct streams_sys), so the host test runs the real handlers against
 * fake kernel objects. main.c gives the real system calls.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/stream.h"

#define STREAM_ENDS_MAX	   256 /* ends (badges) alive at once, for every stream */
#define STREAM_WAITERS_MAX 8   /* callers sleeping on one stream; more are answered at once */

struct streams_sys {
	/* A new handle to our endpoint with a badge nobody else has, and that badge. */
	long (*mint)(void *ctx, handle_t *h, uint64_t *badge);
	/* Arm the notice for when no handle carries badge (sys_ep_watch). */
	long (*watch)(void *ctx, uint64_t badge);
	void (*close)(void *ctx, handle_t h);
	/* A zeroed ring of STREAM_RING_BYTES, mapped here; and its end. */
	long (*ring_new)(void *ctx, handle_t *mobj, void **va);
	void (*ring_free)(void *ctx, handle_t mobj, void *va);
	/* A copy of the ring's handle for a reply (read and write, transferable). */
	long (*ring_lend)(void *ctx, handle_t mobj, handle_t *copy);
	/* Keep the caller's reply for later (a token), and answer it. */
	long (*defer)(void *ctx, uint64_t *token);
	void (*answer)(void *ctx, uint64_t token, long status, uint64_t w0);
	void *ctx;
};

struct stream_waiter {
	uint64_t token;
	uint64_t badge;
	uint64_t seen; /* readers: interrupts seen */
	uint32_t kind; /* STREAM_END_*; 0: free slot */
};

struct stream_rec {
	bool used;
	bool writer_pending; /* STREAM_WRITER not called yet: counts as a writer */
	handle_t mobj;
	struct stream_ring *ring;
	uint32_t readers, writers;
	uint64_t interrupts;
	uint32_t cols, rows; /* the terminal's size (STREAM_SET_SIZE) */
	uint64_t size_changes;
	struct stream_waiter waiters[STREAM_WAITERS_MAX];
};

struct stream_end {
	uint64_t badge; /* 0: free slot */
	uint32_t stream;
	uint32_t kind;
	uint32_t writer_id;
	uint64_t interrupts_before; /* the stream's interrupts when it was made */
};

struct streams {
	const struct streams_sys *sys;
	struct stream_rec s[STREAM_MAX];
	struct stream_end ends[STREAM_ENDS_MAX];
	uint32_t next_writer_id;
};

extern const struct stream_ops streams_ops; /* ctx: a struct streams */
