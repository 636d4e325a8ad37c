/* SPDX-License-Identifier: MIT */
/*
 * The loader protocol (methods 0x0100-0x01FF): start a program by name.
 *
 * LOADER_SPAWN (not idempotent: each call starts a new process, so a caller
 *               that gets E_RESTARTED does not know whether one started)
 *   request: IPC buffer = program name, NUL, then argc argument strings, each
 *            NUL-terminated; w0 = argc, w1 = priority, w2 = flags;
 *            optionally one handle, which the child receives under the name
 *            "parent", or "bootstrap" with LOADER_F_BOOTSTRAP (the
 *            supervisor starting a service, sys/start.h). init gives each
 *            program it runs a send-only handle to this endpoint, so for
 *            those programs "parent" is the loader. Without
 *            LOADER_F_BOOTSTRAP the child also gets the loader's own "ns"
 *            (the name service, proto/ns.h), so every program can find the
 *            services.
 *   reply:   label = 0 or a negative sys/errors.h code (as 16 bits);
 *            w0 = the ELF validator's reason when the image was refused;
 *            cap = the new process's handle (wait on it for the exit code).
 * Recovery: stateless. A spawn cut off by a restart leaves no process
 * behind unless its first thread had started; the caller decides.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"

#define LOADER_PROTOCOL_BASE 0x0100
#define LOADER_SPAWN	     0x0101

#define LOADER_MAX_REQUEST IPC_BUF_BYTES

#define LOADER_F_BOOTSTRAP 1u /* the given handle is the child's "bootstrap" */

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

/* Client stubs: a process handle or a negative error. */
long loader_spawn_ex(handle_t ep, const struct loader_spawn_args *a, int *elf_err);
long loader_spawn(uint32_t ep, const char *program, int argc, const char *const *argv,
		  unsigned priority, uint32_t give_handle, int *elf_err);
