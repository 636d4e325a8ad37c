/* SPDX-License-Identifier: MIT */
/*
 * The loader protocol (methods 0x0100-0x01FF, sys/protocols.h): start a
 * program by name. The library: this header, the client stubs (client.c)
 * and the server-side decode into loader_ops (server.c); the loader's
 * handler is servers/loader/loader.c.
 *
 * LOADER_SPAWN (not idempotent: each call starts a new process, so a caller
 *               that gets E_RESTARTED does not know whether one started)
 *   request: IPC buffer = program name, NUL, then argc argument strings, each
 *            NUL-terminated, and nothing after them; w0 = argc (at most
 *            LOADER_MAX_ARGS, their bytes at most LOADER_MAX_ARG_BYTES),
 *            w1 = priority (0-LOADER_MAX_PRIORITY), w2 = flags (LOADER_F_*);
 *            optionally one handle, which the child receives under the name
 *            "parent", or "bootstrap" with LOADER_F_BOOTSTRAP (the
 *            supervisor starting a service, sys/start.h; the handle is then
 *            required). init gives each program it runs a send-only handle
 *            to this endpoint, so for those programs "parent" is the loader.
 *            Without LOADER_F_BOOTSTRAP the child also gets the loader's own
 *            "ns" (the name service, proto/ns.h), so every program can find
 *            the services.
 *   reply:   label = 0 or a negative sys/errors.h code (as 16 bits);
 *            w0 = the ELF validator's reason (sys/elf.h) when the image was
 *            refused (then E_INVAL), else 0;
 *            cap = the new process's handle (wait on it for the exit code).
 *   errors:  E_INVAL for a malformed request (words, strings, flags),
 *            E_RANGE for a priority, argc or argument bytes above the limits,
 *            E_NOENT for a program nobody has, what spawning gave otherwise.
 * Recovery: stateless. A spawn cut off by a restart leaves no process
 * behind unless its first thread had started; the caller decides.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"
#include "sys/protocols.h"
#include "sys/server.h"
#include "sys/start.h"

#define LOADER_PROTOCOL_BASE PROTOCOL_BASE(loader)
#define LOADER_SPAWN	     (LOADER_PROTOCOL_BASE + 0x01)

#define LOADER_MAX_REQUEST   IPC_BUF_BYTES
#define LOADER_MAX_ARGS	     START_MAX_ARGS /* what a start_info holds */
#define LOADER_MAX_ARG_BYTES START_STRINGS  /* the arguments with their NULs */
#define LOADER_MAX_PRIORITY  31		    /* the scheduler's highest */

#define LOADER_F_BOOTSTRAP 1u /* the given handle is the child's "bootstrap" */
#define LOADER_F_ALL	   LOADER_F_BOOTSTRAP

/* The register words of LOADER_SPAWN, as laid over ipc_msg.w. */
struct loader_spawn_request {
	uint64_t argc;
	uint64_t priority;
	uint64_t flags;
};
struct loader_spawn_reply {
	int64_t elf_error; /* the validator's reason (sys/elf.h) when refused */
};
_Static_assert(sizeof(struct loader_spawn_request) == 3 * sizeof(uint64_t), "3 words");
_Static_assert(sizeof(struct loader_spawn_reply) == 1 * sizeof(uint64_t), "1 word");

/* Everything a client says about a spawn. */
struct loader_spawn_args {
	const char *program;
	int argc;
	const char *const *argv;
	unsigned priority;
	handle_t give;	  /* HANDLE_INVALID: none */
	uint32_t flags;	  /* LOADER_F_* */
	uint64_t timeout; /* of the whole call; TIMEOUT_NEVER to wait for ever */
};

/*
 * Client stubs: a process handle or a negative error; *elf_err (if not NULL)
 * the validator's reason, 0 unless the image was refused. Sent once: a
 * spawn is not idempotent, so E_RESTARTED is the caller's to handle.
 */
long loader_spawn_ex(handle_t ep, const struct loader_spawn_args *a, int *elf_err);
long loader_spawn(handle_t ep, const char *program, int argc, const char *const *argv,
		  unsigned priority, handle_t give_handle, int *elf_err);

/* Server side: a checked LOADER_SPAWN (strings point into the request's buffer). */
struct loader_spawn_call {
	const char *program;
	int argc;
	const char *argv[LOADER_MAX_ARGS];
	unsigned priority;
	uint32_t flags;
	handle_t given; /* HANDLE_INVALID: none; the server loop closes it after the call */
};
struct loader_ops {
	/* Start it: a process handle, or an error (with *elf_err for E_INVAL from the validator).
	 */
	long (*spawn)(void *ctx, const struct loader_spawn_call *c, int *elf_err);
};
struct loader_server {
	const struct loader_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into ls (which must outlive it). */
struct server loader_server(handle_t ep, struct loader_server *ls);
