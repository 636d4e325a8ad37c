/* SPDX-License-Identifier: MIT */
/*
 * A fake IPC transport for host tests of a protocol: client stub -> fake
 * ipc_call -> server_dispatch -> the server's real handlers, all in one
 * host process. It stands in for the kernel's part of a call: it gives the
 * server the badge of the handle called, copies buffer bytes from the
 * caller's IPC buffer to the server's and back, passes a capability by its
 * number, and records what the loop would close. Tests can make the next
 * calls fail (E_RESTARTED: the server "died" with the call in flight) to
 * drive a stub's retries.
 *
 * Link test/host/fake_ipc.c with libsys_host (it provides ipc_call and
 * ipc_buffer, which the stubs and ipc_call_retry use).
 */
#pragma once

#include <stdint.h>

#include "sys/server.h"

/* A handle that calls server s with this badge (at most FAKE_IPC_MAX of them). */
#define FAKE_IPC_MAX 16
handle_t fake_ipc_endpoint(const struct server *s, uint64_t badge);

/* The next `count` calls fail with `err` before reaching the server (or, with
 * after_dispatch set, after the server handled them: the reply is lost). */
void fake_ipc_fail_next(long err, int count, int after_dispatch);

/* What the transport saw. */
struct fake_ipc_stats {
	uint64_t calls;	      /* calls that reached a server */
	uint64_t failed;      /* calls failed on purpose */
	uint64_t caps_closed; /* capabilities the loop closed for a handler that left them */
	handle_t last_closed;
	uint64_t last_badge; /* the badge the server saw last */
};
extern struct fake_ipc_stats fake_ipc_stats;

/* Forget every endpoint and counter (between tests). */
void fake_ipc_reset(void);
