/* SPDX-License-Identifier: MIT */
/*
 * Client stubs of the loader protocol (proto/loader.h). The stub checks only
 * what it needs to build the message; the loader checks everything again.
 * LOADER_IMAGE is resent after E_RESTARTED; the others are sent once, and
 * loader_exec cancels its session when a step before the start fails.
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
	long status = ipc_label_status(m);
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

long loader_image(handle_t ep, const char *name, uint64_t *size)
{
	size_t n = name ? strlen(name) + 1 : 0;
	struct loader_image_reply rp = {0};

	if (n < 2 || n > START_NAME_MAX)
		return E_INVAL;
	memcpy(ipc_buffer()->data, name, n);
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_IMAGE, 0, 0, n)};
	long err = ipc_call_retry(ep, &m, TIMEOUT_NEVER, 5);
	if (err < 0)
		return err;
	long status = ipc_label_status(&m);
	if (status < 0)
		return status;
	if (!IPC_TAG_CAP(m.tag) || IPC_TAG_WORDS(m.tag) < 1)
		return E_PROTO;
	memcpy(&rp, m.w, sizeof(rp));
	if (size)
		*size = rp.size;
	return (long)m.cap;
}

/* A call whose reply carries only a status (and words): the status or the transport's error. */
static long call_status(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	long err = ipc_call(ep, m, timeout);

	return err < 0 ? err : ipc_label_status(m);
}

/* Send a begin (its words rq) and take the session from the reply. */
static long exec_begin_call(handle_t ep, struct ipc_msg *m,
			    const struct loader_exec_begin_request *rq, uint64_t timeout)
{
	memcpy(m->w, rq, sizeof(*rq));
	long status = call_status(ep, m, timeout);
	if (status < 0)
		return status;
	struct loader_exec_begin_reply rp;
	memcpy(&rp, m->w, sizeof(rp));
	if (IPC_TAG_WORDS(m->tag) < 1 || rp.session == 0 || rp.session > INT32_MAX)
		return E_PROTO;
	return (long)rp.session;
}

long loader_exec_begin(handle_t ep, const struct loader_exec_args *a)
{
	struct loader_spawn_args sa = {
		.program = a->program, .argc = a->argc, .argv = a->argv, .priority = a->priority};
	long used = put_strings(ipc_buffer(), &sa);

	if (used < 0)
		return used;
	if (a->image == HANDLE_INVALID)
		return E_INVAL;
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_BEGIN, 4, 1, used), .cap = a->image};
	struct loader_exec_begin_request rq = {a->size, (uint64_t)a->argc, a->priority, 0};
	return exec_begin_call(ep, &m, &rq, a->timeout);
}

/* The begin by path: no image, the program string names it. */
static long exec_begin_path(handle_t ep, const struct loader_exec_args *a)
{
	struct loader_spawn_args sa = {
		.program = a->program, .argc = a->argc, .argv = a->argv, .priority = a->priority};
	long used = put_strings(ipc_buffer(), &sa);

	if (used < 0)
		return used;
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_BEGIN, 4, 0, used)};
	struct loader_exec_begin_request rq = {0, (uint64_t)a->argc, a->priority,
					       LOADER_EXEC_F_PATH};
	return exec_begin_call(ep, &m, &rq, a->timeout);
}

long loader_exec_handle(handle_t ep, uint64_t session, const char *name, handle_t h,
			uint64_t timeout)
{
	size_t n = name ? strlen(name) + 1 : 0;

	if (n < 2 || n > START_NAME_MAX)
		return E_INVAL;
	memcpy(ipc_buffer()->data, name, n);
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_HANDLE, 1, 1, n), .w = {session}, .cap = h};
	return call_status(ep, &m, timeout);
}

long loader_exec_start(handle_t ep, uint64_t session, int *elf_err, uint64_t timeout)
{
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_START, 1, 0, 0), .w = {session}};
	long err = ipc_call(ep, &m, timeout);

	if (elf_err)
		*elf_err = 0;
	return err < 0 ? err : take_reply(&m, elf_err);
}

long loader_exec_cancel(handle_t ep, uint64_t session, uint64_t timeout)
{
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_CANCEL, 1, 0, 0), .w = {session}};

	return call_status(ep, &m, timeout);
}

/* Give the session its handles and start it (or cancel it after a failed step). */
static long exec_finish(handle_t ep, const struct loader_exec_args *a, long session, int *elf_err)
{
	long err = E_OK;

	if (elf_err)
		*elf_err = 0;
	if (session < 0)
		return session;
	if (a->handle_count && !a->handles)
		err = E_INVAL;
	for (uint32_t i = 0; err == E_OK && i < a->handle_count; i++)
		err = loader_exec_handle(ep, (uint64_t)session, a->handles[i].name,
					 a->handles[i].handle, a->timeout);
	if (err != E_OK) {
		loader_exec_cancel(ep, (uint64_t)session, a->timeout);
		return err;
	}
	return loader_exec_start(ep, (uint64_t)session, elf_err, a->timeout);
}

long loader_exec(handle_t ep, const struct loader_exec_args *a, int *elf_err)
{
	return exec_finish(ep, a, loader_exec_begin(ep, a), elf_err);
}

long loader_exec_path(handle_t ep, const struct loader_exec_args *a, int *elf_err)
{
	return exec_finish(ep, a, exec_begin_path(ep, a), elf_err);
}

long loader_list(handle_t ep, uint64_t first, struct loader_proc_entry *out, uint32_t max,
		 uint32_t *total)
{
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_LIST, 1, 0, 0), .w = {first}};
	struct loader_list_reply rp;
	long status = ipc_call_retry(ep, &m, TIMEOUT_NEVER, 5);

	if (status >= 0)
		status = ipc_label_status(&m);
	if (status < 0)
		return status;
	memcpy(&rp, m.w, sizeof(rp));
	if (IPC_TAG_WORDS(m.tag) < 2 || rp.count > LOADER_LIST_MAX || rp.count > rp.total ||
	    IPC_TAG_BYTES(m.tag) != rp.count * sizeof(*out))
		return E_PROTO;
	uint32_t n = rp.count < max ? (uint32_t)rp.count : max;
	memcpy(out, ipc_buffer()->data, n * sizeof(*out));
	for (uint32_t i = 0; i < n; i++)
		out[i].name[sizeof(out[i].name) - 1] = '\0';
	*total = rp.total > UINT32_MAX ? UINT32_MAX : (uint32_t)rp.total;
	return (long)n;
}

long loader_kill(handle_t ep, uint64_t pid)
{
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_KILL, 1, 0, 0), .w = {pid}};
	long err = ipc_call_retry(ep, &m, TIMEOUT_NEVER, 5);

	return err < 0 ? err : ipc_label_status(&m);
}
