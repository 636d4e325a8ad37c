/* SPDX-License-Identifier: MIT */
/*
 * The console protocol (methods 0x1000-0x10FF, sys/protocols.h) of the
 * serial console (servers/console): the console's commands that need what
 * only the console holds (its manifest's PCI configuration space), lent to
 * programs, so `lspci` works in sh on any terminal and in pipes. The
 * library: this header, the client stub (client.c), the server-side decode
 * into console_ops (server.c); the console's handler is
 * servers/console/lend.c, the host test libsys/proto/console/test.
 *
 * CONSOLE_RUN
 *   request: w0 = argc, 1 to CONSOLE_ARGS_MAX; the buffer holds exactly
 *            argc NUL-terminated words (the command's name first), at most
 *            CONSOLE_BYTES_MAX bytes; the capability is a stream write end
 *            (proto/stream.h; a STREAM_DUP of the caller's stdout), where
 *            the command's output goes. The console closes it when done.
 *   reply:   w0 = the command's status as the shell would give it (0, or
 *            its error or usage code), as a signed word.
 *   errors:  E_INVAL for a malformed request (no capability, a bad count,
 *            words that do not match it); E_NOENT for a command the
 *            console does not lend (only those of console_lent); the
 *            stream's errors when the end cannot be attached.
 *   The command runs on the console's server thread while the caller
 *   waits; its output is written as it comes (a full stream holds it up
 *   until the caller's reader drains it).
 *
 * Recovery: stateless; a console that dies during a call gives the caller
 * E_RESTARTED (not resent: the output may be half written).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define CONSOLE_PROTOCOL_BASE PROTOCOL_BASE(console)
#define CONSOLE_RUN	      (CONSOLE_PROTOCOL_BASE + 0x01)

#define CONSOLE_SERVICE	  "console" /* its name in the name service */
#define CONSOLE_ARGS_MAX  16
#define CONSOLE_BYTES_MAX 512

/* The commands the console lends; true for a name among them. */
bool console_lent(const char *name);

/* Client stub: run argv[0] at the console with its output to `out` (a
 * stream write end: the console gets a copy, the caller keeps its own);
 * the command's status into *status. E_OK or an error. */
long console_run(handle_t ep, handle_t out, int argc, const char *const *argv, int64_t *status);

/* Server side: the op, and the method table that decodes into it. `out` is
 * the handler's (it closes it); argv points into the request's buffer. */
struct console_ops {
	long (*run)(void *ctx, handle_t out, int argc, char **argv, int64_t *status);
};
struct console_server {
	const struct console_ops *ops;
	void *ctx;
};
struct server console_server(handle_t ep, struct console_server *cs);
