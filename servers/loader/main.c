/* SPDX-License-Identifier: MIT */
/*
 * The loader server: starts programs by name from the boot modules init
 * gave it (later also from the FAT server). Each request names a program and
 * its arguments; the image is mapped read-only, checked and loaded by
 * spawn_elf, and the caller gets the new process's handle.
 * Recovery: stateless (its modules come from its start_info again; a spawn
 * in flight when it dies gives its caller E_RESTARTED, and LOADER_SPAWN is
 * not idempotent, so the caller decides).
 */
#include <stdbool.h>
#include <string.h>

#include "proto/loader.h"
#include "sys/server.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/sys.h"

#define MAX_ARGS 16

static const char *parse_request(const struct server_request *req, int *argc,
				 const char *argv[MAX_ARGS])
{
	uint32_t bytes = IPC_TAG_BYTES(req->in_tag);
	char *data = (char *)req->buf->data;

	if (bytes == 0 || data[bytes - 1] != '\0')
		return NULL;
	struct loader_spawn_request rq;

	memcpy(&rq, req->msg.w, sizeof(rq));
	const char *name = data;
	const char *p = data + strlen(data) + 1;
	int n = 0;
	while (n < MAX_ARGS && (uint64_t)n < rq.argc && p < data + bytes) {
		argv[n++] = p;
		p += strlen(p) + 1;
	}
	*argc = n;
	return name;
}

/*
 * The child's start handles: what the caller gave, as "parent" (or as
 * "bootstrap" for a supervised service, which gets everything else from
 * its supervisor), and our "ns", so every program can find the services.
 */
static uint32_t child_handles(handle_t given, uint64_t flags, struct spawn_handle hs[2])
{
	handle_t ns = start_handle("ns", NULL);
	bool boot = flags & LOADER_F_BOOTSTRAP;
	uint32_t n = 0;

	if (given != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){boot ? "bootstrap" : "parent", given, R_ALL, 0};
	if (!boot && ns != HANDLE_INVALID)
		hs[n++] = (struct spawn_handle){"ns", ns, R_SEND | R_GRANT | R_DUP | R_TRANSFER, 0};
	return n;
}

/* Start the named program with the handles child_handles chooses. */
static long spawn_request(struct server_request *req, handle_t given, int *elf_err)
{
	const char *argv[MAX_ARGS];
	struct loader_spawn_request rq;
	int argc;
	uint32_t size;
	const char *name = parse_request(req, &argc, argv);

	memcpy(&rq, req->msg.w, sizeof(rq));
	if (!name)
		return E_INVAL;
	if (rq.priority >= 32)
		return E_RANGE;
	handle_t module = start_handle(name, &size);
	if (module == HANDLE_INVALID)
		return E_NOENT;
	struct spawn_handle hs[2];
	uint32_t n = child_handles(given, rq.flags, hs);
	struct spawn_args a = {
		name, argc, argv, n, hs, (unsigned)rq.priority, SPAWN_PROGRAM_MAX_PRIORITY};
	return spawn_module(module, size, &a, elf_err);
}

static long loader_spawn_handler(struct server_request *req)
{
	int elf_err = 0;
	/* The child gets its own copy of a given handle; the loop closes ours. */
	long child = spawn_request(req, req->cap_in, &elf_err);

	struct loader_spawn_reply rp = {elf_err};
	memcpy(req->msg.w, &rp, sizeof(rp));
	if (child < 0) {
		req->msg.tag = IPC_TAG(0, 1, 0, 0);
		return child;
	}
	req->msg.cap = (handle_t)child;
	req->close_after_reply = (handle_t)child; /* the caller holds the only handle */
	req->msg.tag = IPC_TAG(0, 1, 1, 0);
	return E_OK;
}

static const struct server_method methods[] = {
	{LOADER_SPAWN, 0, loader_spawn_handler},
};

int main(void)
{
	handle_t ep = start_handle("loader", NULL);

	if (ep == HANDLE_INVALID) {
		sys_debug_write("loader: no endpoint given\n", 26);
		return 1;
	}
	struct server s = {.endpoint = ep, .methods = SERVER_METHODS(methods)};
	return (int)server_run(&s);
}
