/* SPDX-License-Identifier: MIT */
/*
 * The counter protocol (methods 0x0500-0x05FF, sys/protocols.h) of the
 * counter test server (servers/test/counter), whose recovery is "memory":
 * its count lives in the "state" memory object the supervisor keeps, so it
 * survives restarts. The library: this header, the client stubs (client.c)
 * and the server-side decode into counter_ops (server.c).
 *
 * COUNTER_ADD (not idempotent: each call adds again)
 *   request: w0 = amount
 *   reply:   w0 = the count after adding
 *   A caller that gets E_RESTARTED cannot know whether the add happened
 *   (the server may have died between storing and replying): it asks with
 *   COUNTER_GET instead of retrying. The stub sends it once.
 * COUNTER_GET (idempotent; the stub resends after E_RESTARTED)
 *   reply:   w0 = the count, w1 = how many instances have used this state
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define COUNTER_PROTOCOL_BASE PROTOCOL_BASE(counter)
#define COUNTER_ADD	      (COUNTER_PROTOCOL_BASE + 0x01)
#define COUNTER_GET	      (COUNTER_PROTOCOL_BASE + 0x02)

#define COUNTER_ATTEMPTS 3 /* how often counter_get sends its request */

struct counter_add_request {
	uint64_t amount;
};
struct counter_add_reply {
	uint64_t count;
};
struct counter_get_reply {
	uint64_t count;
	uint64_t instances;
};
_Static_assert(sizeof(struct counter_add_request) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct counter_add_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct counter_get_reply) == 2 * sizeof(uint64_t), "2 words");

/* The layout of the "state" memory object. */
#define COUNTER_STATE_MAGIC 0x434F554E54455231ull /* "COUNTER1" */
struct counter_state {
	uint64_t magic;
	uint64_t count;	    /* one aligned store per update: never torn */
	uint64_t instances; /* bumped by each instance at start */
};

/* Client stubs: E_OK or an error. counter_add is sent once: E_RESTARTED is the caller's. */
long counter_add(handle_t ep, uint64_t amount, struct counter_add_reply *rp, uint64_t timeout);
long counter_get(handle_t ep, struct counter_get_reply *rp, uint64_t timeout);
/* counter_get sending its request up to `attempts` times (1: the raw outcome). */
long counter_get_retry(handle_t ep, struct counter_get_reply *rp, uint64_t timeout, int attempts);

/* Server side: what the server implements, and the method table that decodes into it. */
struct counter_ops {
	long (*add)(void *ctx, const struct counter_add_request *rq, struct counter_add_reply *rp);
	long (*get)(void *ctx, struct counter_get_reply *rp);
};
struct counter_server {
	const struct counter_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into cs (which must outlive it). */
struct server counter_server(handle_t ep, struct counter_server *cs);
