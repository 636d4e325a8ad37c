/* SPDX-License-Identifier: MIT */
/*
 * The loader protocol (methods 0x0100-0x01FF): start a program by name.
 *
 * LOADER_SPAWN (not idempotent: each call starts a new process)
 *   request: IPC buffer = program name, NUL, then argc argument strings, each
 *            NUL-terminated; w0 = argc, w1 = priority; optionally one handle,
 *            which the child receives under the name "parent". init gives
 *            each program it runs a send-only handle to this endpoint, so
 *            for those programs "parent" is the loader.
 *   reply:   label = 0 or a negative sys/errors.h code (as 16 bits);
 *            w0 = the ELF validator's reason when the image was refused;
 *            cap = the new process's handle (wait on it for the exit code).
 */
#pragma once

#include <stdint.h>

#include "sys/ipc.h"

#define LOADER_PROTOCOL_BASE 0x0100
#define LOADER_SPAWN	     0x0101

#define LOADER_MAX_REQUEST IPC_BUF_BYTES

/* The register words of LOADER_SPAWN, as laid over ipc_msg.w. */
struct loader_spawn_request {
	uint64_t argc;
	uint64_t priority;
};
struct loader_spawn_reply {
	int64_t elf_error; /* the validator's reason (sys/elf.h) when refused */
};
_Static_assert(sizeof(struct loader_spawn_request) == 2 * sizeof(uint64_t), "2 words");
_Static_assert(sizeof(struct loader_spawn_reply) == 1 * sizeof(uint64_t), "1 word");

/* Client stub: returns a process handle or a negative error. */
long loader_spawn(uint32_t ep, const char *program, int argc, const char *const *argv,
		  unsigned priority, uint32_t give_handle, int *elf_err);
