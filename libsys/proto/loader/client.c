/* SPDX-License-Identifier: MIT */
/*
 * Client stubs of the loader protocol (proto/loader.h). The stub checks only
 * what it needs to build the message; the loader checks everything again.
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/sys.h"

/* Program name and arguments into the IPC buffer; the byte count or an error. */
static long put_strings(struct ipc_buffer *b, const struct loader_spawn_args *a)
{
	if (!b || !a->program || !a->program[0] || a->argc < 0 || (a->argc && !a->argv))
		return E_INVAL;
	if (a->argc > LOADER_MAX_ARGS)
		return E_RANGE;
	size_t used = strlen(a->program) + 1;
	if (used > LOADER_MAX_REQUEST)
		return E_RANGE;
	memcpy(b->data, a->program, used);
	for (int i = 0; i < a->argc; i++) {
		size_t n = strlen(a->argv[i]) + 1;
		if (used + n > LOADER_MAX_REQUEST)
			return E_RANGE;
		memcpy(b->data + used, a->argv[i], n);
		used += n;
	}
	return (long)used;
}

/* The reply: the process handle, or the status with the validator's reason. */
static long take_reply(const struct ipc_msg *m, int *elf_err)
{
	long status = (int16_t)IPC_TAG_LABEL(m->tag);
	struct loader_spawn_reply rp = {0};

	if (IPC_TAG_WORDS(m->tag) >= 1)
		memcpy(&rp, m->w, sizeof(rp));
	if (elf_err)
		*elf_err = (int)rp.elf_error;
	if (status < 0)
		return status;
	return IPC_TAG_CAP(m->tag) ? (long)m->cap : E_PROTO;
}

long loader_spawn_ex(handle_t ep, const struct loader_spawn_args *a, int *elf_err)
{
	long used = put_strings(ipc_buffer(), a);

	if (elf_err)
		*elf_err = 0;
	if (used < 0)
		return used;
	struct ipc_msg m = {
		.tag = IPC_TAG(LOADER_SPAWN, 3, a->give != HANDLE_INVALID, used),
		.cap = a->give,
	};
	struct loader_spawn_request rq = {(uint64_t)a->argc, a->priority, a->flags};
	memcpy(m.w, &rq, sizeof(rq));
	long err = ipc_call(ep, &m, a->timeout);
	if (err < 0)
		return err;
	return take_reply(&m, elf_err);
}

long loader_spawn(handle_t ep, const char *program, int argc, const char *const *argv,
		  unsigned priority, handle_t give_handle, int *elf_err)
{
	struct loader_spawn_args a = {program, argc, argv, priority, give_handle, 0, TIMEOUT_NEVER};
	return loader_spawn_ex(ep, &a, elf_err);
}
