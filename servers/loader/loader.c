/* SPDX-License-Identifier: MIT */
/*
 * The loader's one handler: find the program's image, choose the handles the
 * child starts with, and spawn it. The request was checked by the protocol's
 * decode (libsys/proto/loader/server.c); the image is checked by the ELF
 * validator inside the spawn, whose reason travels back in the reply.
 */
#include "loader.h"

#include <stdbool.h>

#include "sys/errors.h"

#define NS_RIGHTS (R_SEND | R_GRANT | R_DUP | R_TRANSFER)

/*
 * The child's start handles: what the caller gave, as "parent" (or as
 * "bootstrap" for a supervised service, which gets everything else from
 * its supervisor), and our "ns", so every program can find the services.
 */
static uint32_t child_handles(const struct loader_env *env, const struct loader_spawn_call *c,
			      struct spawn_handle hs[2])
{
	bool boot = c->flags & LOADER_F_BOOTSTRAP;
	uint32_t n = 0;

	if (c->given != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){boot ? "bootstrap" : "parent", c->given, R_ALL, 0};
	if (!boot && env->ns != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){"ns", env->ns, NS_RIGHTS, 0};
	return n;
}

static long loader_spawn_op(void *ctx, const struct loader_spawn_call *c, int *elf_err)
{
	const struct loader_env *env = ctx;
	uint32_t size = 0;
	handle_t image = env->find_module(c->program, &size);
	struct spawn_handle hs[2];

	if (image == HANDLE_INVALID)
		return E_NOENT;
	uint32_t n = child_handles(env, c, hs);
	struct spawn_args a = {
		c->program, c->argc, c->argv, n, hs, c->priority, SPAWN_PROGRAM_MAX_PRIORITY};
	return env->spawn(image, size, &a, elf_err);
}

const struct loader_ops loader_ops = {.spawn = loader_spawn_op};
