/* SPDX-License-Identifier: MIT */
/*
 * The echo protocol (methods 0x0400-0x04FF, sys/protocols.h) of the echo
 * test server (servers/test/echo): a stateless service to crash, hang and
 * restart.
 * It is also the worked example of a protocol library (servers/README.md):
 * this header, a client stub (client.c), the server-side decode into an ops
 * table (server.c) and a host test through the real handlers
 * (servers/test/echo/test_echo.c).
 *
 * ECHO_ECHO (idempotent)
 *   request: w0-w4 = five words; up to IPC_BUF_BYTES bytes in the buffer
 *   reply:   w0-w4 = each word plus one; w5 = the server's pid (a new
 *            instance has a new one); the same bytes
 * Recovery: stateless; the stub resends after E_RESTARTED (echo_echo up to
 * ECHO_ATTEMPTS times; echo_echo_retry as often as asked, 1: the raw
 * outcome, for a client that counts restarts itself).
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define ECHO_PROTOCOL_BASE PROTOCOL_BASE(echo)
#define ECHO_ECHO	   (ECHO_PROTOCOL_BASE + 0x01)

#define ECHO_ATTEMPTS 3 /* how often echo_echo sends its request */

struct echo_request {
	uint64_t w[5];
};
struct echo_reply {
	uint64_t w[5];
	uint64_t pid;
};
_Static_assert(sizeof(struct echo_request) == 5 * sizeof(uint64_t), "5 words");
_Static_assert(sizeof(struct echo_reply) == 6 * sizeof(uint64_t), "6 words");

/* Client stub: ECHO_ECHO with `bytes` bytes of the caller's IPC buffer; E_OK or an error. */
long echo_echo(handle_t ep, const struct echo_request *rq, uint32_t bytes, struct echo_reply *rp,
	       uint64_t timeout);
/* The same, sending the request up to `attempts` times. */
long echo_echo_retry(handle_t ep, const struct echo_request *rq, uint32_t bytes,
		     struct echo_reply *rp, uint64_t timeout, int attempts);

/* Server side: what the server implements, and the method table that decodes into it. */
struct echo_ops {
	/* The buffer's bytes are answered as they are. */
	long (*echo)(void *ctx, const struct echo_request *rq, struct echo_reply *rp);
};
struct echo_server {
	const struct echo_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into es (which must outlive it). */
struct server echo_server(handle_t ep, struct echo_server *es);
