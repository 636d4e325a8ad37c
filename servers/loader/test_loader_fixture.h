/* SPDX-License-Identifier: MIT */
/*
 * What the loader's host tests share: a fake system under the real
 * handlers (servers/loader/loader.c, loader_exec.c) and the protocol's
 * decode, reached through the client stubs and the fake transport
 * (test/host/fake_ipc.h). Fake handles are numbers with a type, rights,
 * a size and (for images) bytes; the fake dup, close and watch record what
 * the loader does with them, so a test can check that every handle it
 * took was closed exactly once. The fake spawn runs the real ELF validator
 * on the image's bytes and records what the child would start with.
 */
#pragma once

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fake_ipc.h"
#include "loader.h"
#include "sys/elf.h"
#include "sys/errors.h"
#include "sys/sys.h"
#include "sys/units.h"

#define GOOD_SIZE  120 /* ELF header and one program header */
#define GOOD_VADDR 0x400000ull
#define FAKE_OBJS  1024
#define SPAWN_SEEN (LOADER_EXEC_MAX_HANDLES + 1)

static uint8_t good_elf[GOOD_SIZE];
static const char not_elf[] =
	"#!/bin/sh\n# a script, not an executable: the loader takes ELF only\necho hello\n";

/* A fake handle and what the kernel would say of it. */
struct fake_obj {
	handle_t h;
	uint32_t type, rights;
	uint64_t size;
	const uint8_t *bytes; /* an image's */
	const char *module;   /* a boot module's name, or NULL */
	int closed;	      /* by the loader (env.close) */
};
static struct fake_obj objs[FAKE_OBJS];
static unsigned obj_count;

/* What the fake spawn was asked last, copied out of the request. */
static struct {
	int count;
	char name[32];
	int argc;
	char argv[LOADER_MAX_ARGS][64];
	unsigned priority;
	uint32_t handle_count;
	struct spawn_handle handles[SPAWN_SEEN];
	char handle_names[SPAWN_SEEN][START_NAME_MAX];
} spawned;

/* Armed client-death notices (env.watch), and badges whose clients are gone. */
static struct {
	uint64_t armed[16];
	unsigned count;
	uint64_t gone;
	long fail; /* the next arm fails with this */
} watches;

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal static x86-64 executable: one read+execute segment holding itself. */
static void build_good_elf(void)
{
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	uint8_t *ph = good_elf + 64;

	memcpy(good_elf, ident, sizeof(ident));
	put_le(good_elf + 16, 2, 2);		   /* ET_EXEC */
	put_le(good_elf + 18, 62, 2);		   /* EM_X86_64 */
	put_le(good_elf + 20, 1, 4);		   /* e_version */
	put_le(good_elf + 24, GOOD_VADDR + 64, 8); /* e_entry */
	put_le(good_elf + 32, 64, 8);		   /* e_phoff */
	put_le(good_elf + 52, 64, 2);		   /* e_ehsize */
	put_le(good_elf + 54, 56, 2);		   /* e_phentsize */
	put_le(good_elf + 56, 1, 2);		   /* e_phnum */
	put_le(ph, 1, 4);			   /* PT_LOAD */
	put_le(ph + 4, ELF_SEG_R | ELF_SEG_X, 4);  /* p_flags */
	put_le(ph + 16, GOOD_VADDR, 8);		   /* p_vaddr */
	put_le(ph + 32, GOOD_SIZE, 8);		   /* p_filesz */
	put_le(ph + 40, GOOD_SIZE, 8);		   /* p_memsz */
	put_le(ph + 48, 0x1000, 8);		   /* p_align */
}

/* A new fake handle of `type` with `rights`, `size` bytes (memory objects) and image bytes. */
static handle_t fake_obj(uint32_t type, uint32_t rights, uint64_t size, const uint8_t *bytes)
{
	struct fake_obj *o = &objs[obj_count++];

	CHECK(obj_count <= FAKE_OBJS);
	*o = (struct fake_obj){fake_ipc_handle(), type, rights, size, bytes, NULL, 0};
	return o->h;
}

static struct fake_obj *obj_of(handle_t h)
{
	for (unsigned i = 0; i < obj_count; i++)
		if (objs[i].h == h)
			return &objs[i];
	return NULL;
}

/* How often h was closed: by the loader, or by the server loop for it. */
static inline int closes(handle_t h)
{
	const struct fake_obj *o = obj_of(h);

	return (o ? o->closed : 0) + (fake_ipc_closed(h) ? 1 : 0);
}

static void add_module(const char *name, const uint8_t *bytes, uint32_t size)
{
	obj_of(fake_obj(KOBJ_MOBJ, R_READ | R_DUP | R_TRANSFER, size, bytes))->module = name;
}

static handle_t fake_find_module(const char *name, uint32_t *size)
{
	for (unsigned i = 0; i < obj_count; i++)
		if (objs[i].module && strcmp(objs[i].module, name) == 0) {
			*size = (uint32_t)objs[i].size;
			return objs[i].h;
		}
	return HANDLE_INVALID;
}

static long fake_handle_info(handle_t h, struct handle_info *out)
{
	const struct fake_obj *o = obj_of(h);

	if (!o || o->closed)
		return E_BADHANDLE;
	*out = (struct handle_info){o->type, o->rights, 0, o->type == KOBJ_MOBJ ? o->size : 0};
	return E_OK;
}

static long fake_dup(handle_t h, uint32_t rights)
{
	const struct fake_obj *o = obj_of(h);

	if (!o || o->closed)
		return E_BADHANDLE;
	return fake_obj(o->type, o->rights & rights, o->size, o->bytes);
}

static long fake_close(handle_t h)
{
	struct fake_obj *o = obj_of(h);

	if (!o)
		return E_BADHANDLE;
	o->closed++;
	return E_OK;
}

static bool armed(uint64_t badge)
{
	for (unsigned i = 0; i < watches.count; i++)
		if (watches.armed[i] == badge)
			return true;
	return false;
}

/* sys_ep_watch's contract: arming again is fine; cancelling what is not armed is E_NOENT. */
static long fake_watch(uint64_t badge, unsigned flags)
{
	long fail = watches.fail;

	watches.fail = 0;
	if (flags == EP_WATCH_CANCEL) {
		for (unsigned i = 0; i < watches.count; i++)
			if (watches.armed[i] == badge) {
				watches.armed[i] = watches.armed[--watches.count];
				return E_OK;
			}
		return E_NOENT;
	}
	if (fail || badge == watches.gone)
		return fail ? fail : E_NOENT;
	if (!armed(badge) && watches.count < ARRAY_SIZE(watches.armed))
		watches.armed[watches.count++] = badge;
	return E_OK;
}

static void record(const struct spawn_args *a)
{
	spawned.count++;
	snprintf(spawned.name, sizeof(spawned.name), "%s", a->name);
	spawned.argc = a->argc;
	for (int i = 0; i < a->argc; i++)
		snprintf(spawned.argv[i], sizeof(spawned.argv[i]), "%s", a->argv[i]);
	spawned.priority = a->priority;
	spawned.handle_count = a->handle_count;
	for (uint32_t i = 0; i < a->handle_count && i < SPAWN_SEEN; i++) {
		spawned.handles[i] = a->handles[i];
		snprintf(spawned.handle_names[i], START_NAME_MAX, "%s", a->handles[i].name);
		spawned.handles[i].name = spawned.handle_names[i];
	}
}

/*
 * Fake processes: a process handle is a fake object whose size is its pid
 * (so a dup names the same process); procs[pid] says what the kernel would.
 */
#define FAKE_PROCS 256
static struct {
	uint32_t state;
	char name[PROCESS_INFO_NAME];
	int kills;
} procs[FAKE_PROCS];
static uint64_t last_pid;

static handle_t fake_process(const char *name)
{
	uint64_t pid = ++last_pid;

	CHECK(pid < FAKE_PROCS);
	procs[pid].state = PROCESS_RUNNING;
	snprintf(procs[pid].name, sizeof(procs[pid].name), "%s", name);
	return fake_obj(KOBJ_PROCESS, R_ALL, pid, NULL);
}

static const struct fake_obj *process_of(handle_t h)
{
	const struct fake_obj *o = obj_of(h);

	return o && !o->closed && o->type == KOBJ_PROCESS ? o : NULL;
}

static long fake_process_info(handle_t h, struct process_info *out)
{
	const struct fake_obj *o = process_of(h);

	if (!o)
		return E_BADHANDLE;
	*out = (struct process_info){.pid = o->size, .state = procs[o->size].state, .threads = 1};
	memcpy(out->name, procs[o->size].name, sizeof(out->name));
	return E_OK;
}

static long fake_process_kill(handle_t h)
{
	const struct fake_obj *o = process_of(h);

	if (!o)
		return E_BADHANDLE;
	procs[o->size].kills++;
	procs[o->size].state = PROCESS_EXITED;
	return E_OK;
}

/* spawn_module's contract: the validator's reason with E_INVAL, else a process handle. */
static long fake_spawn(handle_t image, uint32_t size, const struct spawn_args *a, int *elf_err)
{
	const struct fake_obj *o = obj_of(image);
	struct elf_limits lim;
	struct elf_image img;

	if (!o || o->closed || o->type != KOBJ_MOBJ || !o->bytes)
		return E_BADHANDLE;
	CHECK(size <= o->size);
	elf_limits_default(&lim);
	int err = elf_validate(o->bytes, size, &lim, &img);
	if (err != ELF_OK) {
		*elf_err = err;
		return E_INVAL;
	}
	record(a);
	return fake_process(a->name);
}

static struct loader_env env = {.find_module = fake_find_module,
				.spawn = fake_spawn,
				.handle_info = fake_handle_info,
				.dup = fake_dup,
				.close = fake_close,
				.watch = fake_watch,
				.process_info = fake_process_info,
				.process_kill = fake_process_kill};
static struct loader_server ls = {&loader_ops, &env};
static struct server server;

/* A fresh loader with the modules "hello", "script" (not ELF) and "cut" (truncated). */
static inline void fixture_reset(void)
{
	fake_ipc_reset();
	memset(&spawned, 0, sizeof(spawned));
	memset(&watches, 0, sizeof(watches));
	obj_count = 0;
	memset(env.sessions, 0, sizeof(env.sessions));
	memset(procs, 0, sizeof(procs));
	last_pid = 0;
	loader_procs_init(&env);
	env.ns = fake_obj(KOBJ_ENDPOINT, R_ALL, 0, NULL);
	add_module("hello", good_elf, GOOD_SIZE);
	add_module("script", (const uint8_t *)not_elf, sizeof(not_elf));
	add_module("cut", good_elf, 40);
	server = loader_server(0, &ls);
}

/* An endpoint to the fresh loader for a client with `badge`. */
static inline handle_t fixture_client(uint64_t badge)
{
	return fake_ipc_endpoint(&server, badge);
}
