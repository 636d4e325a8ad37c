/* SPDX-License-Identifier: MIT */
/*
 * A fake IPC transport for host tests of a protocol: client stub -> fake
 * ipc_call -> server_dispatch -> the server's real handlers, all in one
 * host process. It stands in for the kernel's part of a call: it gives the
 * server the badge of the handle called, copies buffer bytes from the
 * caller's IPC buffer to the server's and back, passes a capability by its
 * number (both ways), runs the server's before_wait after each message as
 * the loop does, and records what the loop would close. Tests can make
 * the next calls fail (E_RESTARTED: the server "died" with the call in
 * flight) to drive a stub's retries.
 *
 * Link test/host/fake_ipc.c with libsys_host (it provides ipc_call and
 * ipc_buffer, which the stubs and ipc_call_retry use).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/server.h"

/* A handle that calls server s with this badge (at most FAKE_IPC_MAX of them). */
#define FAKE_IPC_MAX 64
handle_t fake_ipc_endpoint(const struct server *s, uint64_t badge);

/* The next `count` calls fail with `err` before reaching the server (or, with
 * after_dispatch set, after the server handled them: the reply is lost). */
void fake_ipc_fail_next(long err, int count, int after_dispatch);

/*
 * Handles for what a test or a fake system call makes (a capability to give
 * away, a process a fake spawn started): each call a fresh number, open
 * until the transport closes it as the server loop would, either unclaimed
 * after a request or carried away by a reply (close_after_reply).
 */
handle_t fake_ipc_handle(void);
bool fake_ipc_closed(handle_t h);

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

/*
 * The kernel's deliveries that are not calls: an event (a notification's
 * IPC_LABEL_NOTIFY, a notice's IPC_LABEL_FAULT, IPC_LABEL_EXIT or
 * IPC_LABEL_GONE) reaches
 * the server behind ep with that handle's badge and gets no reply. A send
 * (ipc_send) reaches no server: the transport keeps the last one for the
 * test to read.
 */
void fake_ipc_event(handle_t ep, const struct ipc_msg *m);
struct fake_ipc_send {
	long fail;	/* set by the test: the next send fails with it */
	uint64_t count; /* sends since the reset */
	handle_t ep;	/* the last one's handle and message */
	struct ipc_msg msg;
};
extern struct fake_ipc_send fake_ipc_sent;
