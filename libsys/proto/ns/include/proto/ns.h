/* SPDX-License-Identifier: MIT */
/*
 * The name service protocol (methods 0x0300-0x03FF), answered by the
 * supervisor (init) on the endpoint every program gets as "ns".
 *
 * NS_LOOKUP (idempotent: each answer is a new handle to the same endpoint)
 *   request: the name, NUL-terminated, in the IPC buffer ("echo", "svc", ...)
 *   reply:   cap = a send-only handle to that endpoint (R_SEND | R_GRANT |
 *            R_DUP | R_TRANSFER) with a badge of its own, so the server can
 *            tell its clients apart; E_NOENT for a name nobody serves.
 *            The endpoint belongs to the supervisor: the handle stays good
 *            across restarts of the server behind it.
 *   E_INVAL: the buffer is not one NUL-terminated name of 1-15 characters.
 *
 * The protocol library: this header, the client stub (client.c) and the
 * server-side decode into struct ns_ops (server.c), which init implements
 * (servers/init/names.c; host test servers/init/test/test_ns.c).
 */
#pragma once

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define NS_PROTOCOL_BASE PROTOCOL_BASE(ns)
#define NS_LOOKUP	 (NS_PROTOCOL_BASE + 0x01)

#define NS_NAME_MAX 16 /* with the NUL */

/* A new handle to the endpoint called `name`, or a negative error. */
long ns_lookup(handle_t ns, const char *name);
/* The same through this process's start handle "ns". */
long ns_lookup_self(const char *name);
/*
 * A server's own endpoint `name` with a badge of its own: the name service
 * mints a fresh badge at each lookup. The handle and the badge, or an error
 * (E_PROTO when the handle came without a badge).
 */
long ns_mint_self(const char *name, handle_t *h, uint64_t *badge);

/* Server side: what a name service implements, and the method table that decodes into it. */
struct ns_ops {
	/* A new handle to the endpoint called `name` (checked already), or an error. */
	long (*lookup)(void *ctx, const char *name);
};
struct ns_server {
	const struct ns_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into ns (which must outlive it); also a part of another server. */
struct server ns_server(handle_t ep, struct ns_server *ns);
