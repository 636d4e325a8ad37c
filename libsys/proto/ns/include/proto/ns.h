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
 */
#pragma once

#include "sys/handle.h"

#define NS_PROTOCOL_BASE 0x0300
#define NS_LOOKUP	 0x0301

#define NS_NAME_MAX 16 /* with the NUL */

/* A new handle to the endpoint called `name`, or a negative error. */
long ns_lookup(handle_t ns, const char *name);
/* The same through this process's start handle "ns". */
long ns_lookup_self(const char *name);
