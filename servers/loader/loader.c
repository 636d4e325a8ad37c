/* SPDX-License-Identifier: MIT */
/*
 * The loader's handlers for programs by name: LOADER_SPAWN finds the
 * program's image (a boot module or a file: loader_file.c), chooses the handles the child starts
 * with and spawns it; LOADER_IMAGE hands out a read-only copy of a module. The requests were
 * checked by the protocol's decode (libsys/proto/loader/server.c); an image is checked by the ELF
 * validator inside the spawn, whose reason travels back in the reply. The exec sessions are
 * loader_exec.c's, the process table (LOADER_LIST, LOADER_KILL) procs.c's.
 */
#include "loader.h"

#include <stdbool.h>

#include "sys/errors.h"

/*
 * The child's start handles: what the caller gave, as "parent" (or as
 * "bootstrap" for a supervised service, which gets everything else from
 * its supervisor), and our "ns", so every program can find the services.
 */
static uint32_t child_handles(const struct loader_env *env, const struct loader_spawn_call *c,
			      struct spawn_handle hs[3])
{
	bool boot = c->flags & LOADER_F_BOOTSTRAP;
	uint32_t n = 0;

	if (c->given != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){boot ? "bootstrap" : "parent", c->given, R_ALL, 0};
	if (!boot && env->ns != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){"ns", env->ns, LOADER_NS_RIGHTS, 0};
	return n;
}

static long loader_spawn_op(void *ctx, const struct loader_spawn_call *c, int *elf_err)
{
	struct loader_env *env = ctx;
	static struct loader_strings kept; /* one request at a time */
	struct loader_image image;
	struct spawn_handle hs[3];
	bool service = c->flags & LOADER_F_BOOTSTRAP; /* the supervisor's, not in our table */
	uint64_t watch = 0;

	loader_keep_strings(c->program, c->argc, c->argv, &kept);
	long err = loader_find_image(env, kept.program, &image);
	if (err != E_OK)
		return err;
	uint32_t n = child_handles(env, c, hs);
	uint32_t end = service ? 0 : loader_procs_end_handle(env, &hs[n], &watch);
	struct spawn_args a = {
		loader_base_name(kept.program), c->argc, kept.argv, n + end, hs, c->priority,
		SPAWN_PROGRAM_MAX_PRIORITY};
	long child = env->spawn(image.handle, image.size, &a, elf_err);
	if (image.owned)
		env->close(image.handle);
	if (end)
		env->close(hs[n].handle); /* the child has its own */
	if (child >= 0 && !service)
		loader_procs_add(env, (handle_t)child, c->badge, watch);
	return child;
}

/* A boot module: only memory objects, not the loader's other start handles. */
static long loader_image_op(void *ctx, const char *name, uint64_t *size)
{
	const struct loader_env *env = ctx;
	uint32_t bytes = 0;
	handle_t image = env->find_module(name, &bytes);
	struct handle_info info;

	if (image == HANDLE_INVALID || env->handle_info(image, &info) < 0 || info.type != KOBJ_MOBJ)
		return E_NOENT;
	*size = bytes;
	return env->dup(image, R_READ | R_DUP | R_TRANSFER);
}

const struct loader_ops loader_ops = {
	.spawn = loader_spawn_op,
	.image = loader_image_op,
	.exec_begin = loader_exec_begin_op,
	.exec_handle = loader_exec_handle_op,
	.exec_start = loader_exec_start_op,
	.exec_cancel = loader_exec_cancel_op,
	.list = loader_list_op,
	.kill = loader_kill_op,
	.client_gone = loader_client_gone_op,
};
