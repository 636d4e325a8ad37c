/* SPDX-License-Identifier: MIT */
/*
 * The `svc` command line over the svc protocol (proto/svc.h), as a library,
 * so that the svc program and the console's shell run the same code:
 *
 *   list                          every service: pid, state, restarts,
 *                                 uptime, memory pages used/quota, recovery
 *   stop|start|restart <name>
 *   fi <name> crash|hang|leak     inject a fault into a running server
 *
 * Output goes through the caller's printf-like function (the program's
 * stdout, or the shell). Code: libsys/proto/svc/cli.c.
 */
#pragma once

#include <stdarg.h>

#include "sys/handle.h"

/* What svc_cli_run returns (the svc program's exit code). */
#define SVC_CLI_OK	0
#define SVC_CLI_REFUSED 1 /* the supervisor refused, or could not be asked */
#define SVC_CLI_USAGE	2

typedef int svc_cli_vprintf_fn(void *ctx, const char *fmt, va_list ap);

struct svc_cli_out {
	svc_cli_vprintf_fn *vprintf;
	void *ctx;
};

/* The usage text, one line with its "\n". */
extern const char svc_cli_usage[];

/* Run one command: argv[0] is the verb ("list", "stop", "fi", ...). */
int svc_cli_run(handle_t ctl, int argc, char **argv, const struct svc_cli_out *out);
/* The table of every service, with its header line. */
int svc_cli_list(handle_t ctl, const struct svc_cli_out *out);
