/* SPDX-License-Identifier: MIT */
/*
 * The loader's handlers: the ops of proto/loader.h over the boot modules
 * and the ELF spawn path. loader.c starts programs by name and hands out
 * module images; loader_exec.c keeps the exec sessions (an image and named
 * handles gathered over several calls). What they need of the system comes
 * in struct loader_env, so the host tests give them fake modules, a fake
 * spawn and fake handles.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/loader.h"
#include "sys/process.h"
#include "sys/spawn.h"

#define LOADER_NS_RIGHTS (R_SEND | R_GRANT | R_DUP | R_TRANSFER) /* every child's "ns" */

/* An exec in the making (proto/loader.h, LOADER_EXEC_BEGIN). */
struct loader_session {
	uint32_t id;	/* 0: the slot is free */
	uint64_t badge; /* the client's: only it may go on with the session */
	handle_t image;
	uint32_t size;
	unsigned priority;
	int argc;
	uint32_t bytes;			  /* of strings */
	char strings[LOADER_MAX_REQUEST]; /* the program name, NUL, the arguments, checked */
	uint32_t handle_count;
	struct spawn_handle handles[LOADER_EXEC_MAX_HANDLES];
	char names[LOADER_EXEC_MAX_HANDLES][START_NAME_MAX];
};

#define LOADER_PATH_MAX 1024 /* bytes of a program's path with its NUL (FS_PATH_MAX) */

/* A program's image: a boot module (ours, kept) or a file read into a new object (owned). */
struct loader_image {
	handle_t handle;
	uint32_t size;
	bool owned; /* the caller closes it */
};

/* A program the loader started (procs.c). */
struct loader_proc {
	handle_t process; /* the loader's own handle; HANDLE_INVALID: a free slot */
	uint64_t pid;
	uint64_t badge; /* of the client that asked */
	uint64_t watch; /* the badge of the child's LOADER_END_HANDLE, armed; 0: none */
	char name[32];
};
#define LOADER_END_HANDLE "loader-end" /* held by a child so that its end reaches us */
#define LOADER_MAX_PROCS  128	       /* programs listed at once */

struct loader_env {
	handle_t ns; /* given to every program but a service (HANDLE_INVALID: none) */
	/* The start handle called `name` (a boot module) and its byte size, or HANDLE_INVALID. */
	handle_t (*find_module)(const char *name, uint32_t *size);
	/*
	 * A file's bytes in a new memory object (*image, *size bytes), or an error (E_NOENT,
	 * E_ISDIR, E_NOEXEC, E_RANGE, ...); NULL: the loader has no files (disk.c gives one).
	 */
	long (*load_file)(const char *path, handle_t *image, uint32_t *size);
	/* spawn_module (sys/spawn.h). */
	long (*spawn)(handle_t image, uint32_t size, const struct spawn_args *a, int *elf_err);
	/* sys_handle_info, sys_handle_dup and sys_handle_close. */
	long (*handle_info)(handle_t h, struct handle_info *out);
	long (*dup)(handle_t h, uint32_t rights);
	long (*close)(handle_t h);
	/* sys_ep_watch on the loader's endpoint: arm (0) or cancel a client-death notice. */
	long (*watch)(uint64_t badge, unsigned flags);
	/* A fresh handle to our endpoint with a badge of its own (NULL: children are not watched).
	 */
	long (*mint)(handle_t *h, uint64_t *badge);
	/* sys_process_info and sys_process_kill. */
	long (*process_info)(handle_t process, struct process_info *out);
	long (*process_kill)(handle_t process);
	struct loader_session sessions[LOADER_MAX_SESSIONS];
	struct loader_proc procs[LOADER_MAX_PROCS];
	uint32_t last_session; /* the last id given */
};

/* The ops, with a struct loader_env as their ctx. */
extern const struct loader_ops loader_ops;

/* A request's program and arguments, copied out of the IPC buffer (reading a file reuses it). */
struct loader_strings {
	const char *program;
	const char *argv[LOADER_MAX_ARGS];
	char bytes[LOADER_MAX_REQUEST];
};
void loader_keep_strings(const char *program, int argc, const char *const *argv,
			 struct loader_strings *out);

/* loader_file.c: a program's image by name or path (LOADER_SPAWN's rules), and a path's last
 * component (the child's process name). */
long loader_find_image(const struct loader_env *env, const char *name, struct loader_image *out);
const char *loader_base_name(const char *path);
/* disk.c: env->load_file over the path library (the loader only). */
long loader_load_file(const char *path, handle_t *image, uint32_t *size);

/* loader_exec.c: the exec ops. */
long loader_exec_begin_op(void *ctx, const struct loader_exec_begin_call *c);
long loader_exec_handle_op(void *ctx, uint64_t badge, uint64_t session, const char *name,
			   handle_t h);
long loader_exec_start_op(void *ctx, uint64_t badge, uint64_t session, int *elf_err);
long loader_exec_cancel_op(void *ctx, uint64_t badge, uint64_t session);
void loader_client_gone_op(void *ctx, uint64_t badge);

/* procs.c: the process table. Init marks every slot free; add remembers a child just started
 * (not a service), by a copy of its handle; list and kill are the ops. */
void loader_procs_init(struct loader_env *env);
void loader_procs_add(struct loader_env *env, handle_t child, uint64_t badge, uint64_t watch);
/*
 * The child's LOADER_END_HANDLE into *h (1) or none (0), its badge in *watch: a
 * handle only the child holds, so that when it ends the kernel's client-death notice
 * (loader_procs_gone) lets the table drop it at once. The caller closes h->handle
 * after the spawn, and passes *watch to loader_procs_add.
 */
uint32_t loader_procs_end_handle(struct loader_env *env, struct spawn_handle *h, uint64_t *watch);
/* No handle carries this badge any more: a watched child has ended. */
void loader_procs_gone(struct loader_env *env, uint64_t badge);
long loader_list_op(void *ctx, uint64_t first, struct loader_proc_entry *out, uint32_t max,
		    uint32_t *total);
long loader_kill_op(void *ctx, uint64_t pid);
