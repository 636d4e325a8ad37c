/* SPDX-License-Identifier: MIT */
/*
 * The loader protocol (methods 0x0100-0x01FF, sys/protocols.h): start a
 * program by name, or from any ELF image in a memory object with any
 * number of named handles. The library: this header, the client stubs
 * (client.c) and the server-side decode into loader_ops (server.c); the
 * loader's handlers are servers/loader/loader.c and loader_exec.c.
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
 *   A name that is no boot module, or that contains a '/', is a file: a
 *   path ("/bin/ls", or relative to "/") or, without a '/', "/bin/NAME"
 *   (a PATH of /bin). The loader reads it through the path library
 *   (sys/vfs.h) from fs0 and the volumes under /mnt, with short timeouts
 *   so that it never waits long on a filesystem that is restarting (a
 *   restart of fs0 needs the loader to start it): E_NOENT no such file,
 *   E_ISDIR a directory, E_NOEXEC a file that is no ELF executable (empty,
 *   or without the ELF magic), E_RANGE larger than LOADER_MAX_DISK_IMAGE,
 *   E_TIMEOUT or E_RESTARTED from the filesystem (for a path; a bare name
 *   whose /bin does not answer is E_NOENT); an ELF file the
 *   validator refuses (truncated, say) is E_INVAL with its reason in w0.
 *
 * LOADER_IMAGE (idempotent)
 *   request: IPC buffer = a boot module's name, NUL (1 to START_NAME_MAX - 1
 *            characters), nothing after it.
 *   reply:   cap = a read-only handle to that module's memory object
 *            (R_READ | R_DUP | R_TRANSFER); w0 = its size in bytes.
 *   errors:  E_INVAL for a malformed name, E_NOENT for a module nobody has.
 *
 * Starting a program from a memory object with several handles takes a
 * session, since a message carries one capability: LOADER_EXEC_BEGIN with
 * the image, one LOADER_EXEC_HANDLE per named handle, then
 * LOADER_EXEC_START (or LOADER_EXEC_CANCEL). loader_exec() does all of it.
 * A session belongs to the badge it was begun through: another badge gets
 * E_NOENT for it. It holds its image and handles until it ends: at its
 * start (whether the child starts or not), when cancelled, or when its
 * client is gone (no handle carries that badge any more: the loader arms a
 * client-death notice, sys/server.h). At most LOADER_MAX_SESSIONS are open
 * at once, LOADER_MAX_CLIENT_SESSIONS of them per badge. None of these is
 * idempotent; a call cut off by a restart (E_RESTARTED) ends the session
 * with the loader (its handles go with the old instance), and later calls
 * for it get E_NOENT: begin again.
 *
 * LOADER_EXEC_BEGIN
 *   request: cap = the ELF image, a memory object the caller may read
 *            (required); w0 = the image's size in bytes (1 to
 *            LOADER_MAX_IMAGE, and at most the object's size), w1 = argc,
 *            w2 = priority, w3 = flags (none yet: 0); IPC buffer = program
 *            name (the child's process name) and arguments, as LOADER_SPAWN.
 *            With w3 = LOADER_EXEC_F_PATH the request carries no image: the
 *            program string names it instead, found as LOADER_SPAWN finds a
 *            program (a boot module, a path on the filesystem such as
 *            "/bin/ls" or "/mnt/share/tool", or "/bin/NAME" for a NAME that
 *            is no module), and w0 must be 0. The child's process name is
 *            the path's last component.
 *   reply:   w0 = the session (never 0).
 *   errors:  E_INVAL malformed (words, strings, flags, size 0, no image),
 *            E_TYPE the image is not a memory object, E_RIGHTS it cannot be
 *            read, E_RANGE its size is beyond the object or the limit (or a
 *            priority, argc or argument bytes beyond theirs), E_NOSPACE too
 *            many sessions open (for everyone, or for this badge).
 *   The image is read when the session starts: whoever else can write the
 *   object by then changes only what this child runs.
 *
 * LOADER_EXEC_HANDLE
 *   request: w0 = the session; IPC buffer = the name the child finds it by
 *            (1 to START_NAME_MAX - 1 characters, NUL); cap = the handle
 *            (required; the child gets it with the rights it came with).
 *   errors:  E_NOENT no such session for this badge, E_INVAL malformed (no
 *            handle, a bad name), E_EXISTS the name is given already,
 *            E_NOSPACE LOADER_EXEC_MAX_HANDLES are given already. The session
 *            stays open after an error.
 *
 * LOADER_EXEC_START
 *   request: w0 = the session.
 *   reply:   as LOADER_SPAWN: w0 = the validator's reason, cap = the process.
 *            The child starts with the named handles and, unless one is
 *            named "ns", the loader's "ns".
 *   errors:  E_NOENT no such session, then as LOADER_SPAWN. The session ends
 *            either way.
 *
 * LOADER_EXEC_CANCEL
 *   request: w0 = the session. It ends; E_NOENT if there is none.
 *
 * LOADER_LIST (idempotent)
 *   request: w0 = how many entries to skip (0 for the first page).
 *   reply:   w0 = entries in the IPC buffer (struct loader_proc_entry, at
 *            most LOADER_LIST_MAX), w1 = programs listed in all; ask again
 *            with w0 + the count until it reaches w1. The programs are those
 *            this loader started (LOADER_SPAWN without LOADER_F_BOOTSTRAP, and
 *            exec sessions) that have not exited: a process table, as MINIX's
 *            PM keeps one. Services are the supervisor's (proto/svc.h).
 *
 * LOADER_KILL (idempotent in effect: a second call gets E_NOENT)
 *   request: w0 = a pid from LOADER_LIST.
 *   reply:   0; the program is ended (whoever waits on it sees it exit).
 *   errors:  E_NOENT no program of this loader's has that pid (a service's
 *            pid included: stop a service with SVC_STOP), what the kernel's
 *            kill gave otherwise.
 *
 * Recovery: stateless. A spawn cut off by a restart leaves no process
 * behind unless its first thread had started; the caller decides. Exec
 * sessions do not survive a restart (above).
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
#define LOADER_IMAGE	     (LOADER_PROTOCOL_BASE + 0x02)
#define LOADER_EXEC_BEGIN    (LOADER_PROTOCOL_BASE + 0x03)
#define LOADER_EXEC_HANDLE   (LOADER_PROTOCOL_BASE + 0x04)
#define LOADER_EXEC_START    (LOADER_PROTOCOL_BASE + 0x05)
#define LOADER_EXEC_CANCEL   (LOADER_PROTOCOL_BASE + 0x06)
#define LOADER_LIST	     (LOADER_PROTOCOL_BASE + 0x07)
#define LOADER_KILL	     (LOADER_PROTOCOL_BASE + 0x08)

#define LOADER_MAX_REQUEST   IPC_BUF_BYTES
#define LOADER_MAX_ARGS	     START_MAX_ARGS /* what a start_info holds */
#define LOADER_MAX_ARG_BYTES START_STRINGS  /* the arguments with their NULs */
#define LOADER_MAX_PRIORITY  31		    /* the scheduler's highest */

#define LOADER_F_BOOTSTRAP 1u /* the given handle is the child's "bootstrap" */
#define LOADER_F_ALL	   LOADER_F_BOOTSTRAP

#define LOADER_EXEC_F_PATH 1u	  /* LOADER_EXEC_BEGIN: the program string names the image */
#define LOADER_BIN_DIR	   "/bin" /* where a program that is no boot module is looked for */

#define LOADER_MAX_SESSIONS	   8	       /* exec sessions open at once, for every client */
#define LOADER_MAX_CLIENT_SESSIONS 2	       /* of them, begun through one badge */
#define LOADER_EXEC_MAX_HANDLES	   16	       /* named handles one exec passes (and "ns") */
#define LOADER_MAX_IMAGE	   (64u << 20) /* bytes of an ELF image */
#define LOADER_MAX_DISK_IMAGE	   (8u << 20) /* bytes of one read from a file (the loader's quota) */
_Static_assert(LOADER_EXEC_MAX_HANDLES + 1 <= START_MAX_HANDLES, "an exec's handles fit");

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

/* LOADER_IMAGE's reply words (its request is a name in the buffer). */
struct loader_image_reply {
	uint64_t size;
};
/* LOADER_EXEC_BEGIN's request and reply words. */
struct loader_exec_begin_request {
	uint64_t size;
	uint64_t argc;
	uint64_t priority;
	uint64_t flags;
};
struct loader_exec_begin_reply {
	uint64_t session;
};
/* The one word of LOADER_EXEC_HANDLE, _START and _CANCEL; _START replies as LOADER_SPAWN. */
struct loader_session_request {
	uint64_t session;
};
_Static_assert(sizeof(struct loader_image_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct loader_exec_begin_request) == 4 * sizeof(uint64_t), "4 words");
_Static_assert(sizeof(struct loader_exec_begin_reply) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct loader_session_request) == 1 * sizeof(uint64_t), "1 word");

/* One program of LOADER_LIST's reply, in the IPC buffer. */
struct loader_proc_entry {
	uint64_t pid;
	uint64_t badge;	 /* of the client that started it (the loader's view of "who") */
	uint32_t state;	 /* enum process_state (sys/process.h) */
	uint32_t unused; /* 0 */
	char name[32];	 /* NUL-terminated */
};
_Static_assert(sizeof(struct loader_proc_entry) == 56, "56 bytes");
#define LOADER_LIST_MAX (IPC_BUF_BYTES / sizeof(struct loader_proc_entry))
/* LOADER_LIST's request and reply words; LOADER_KILL's request. */
struct loader_list_request {
	uint64_t first;
};
struct loader_list_reply {
	uint64_t count;
	uint64_t total;
};
struct loader_kill_request {
	uint64_t pid;
};
_Static_assert(sizeof(struct loader_list_request) == 1 * sizeof(uint64_t), "1 word");
_Static_assert(sizeof(struct loader_list_reply) == 2 * sizeof(uint64_t), "2 words");
_Static_assert(sizeof(struct loader_kill_request) == 1 * sizeof(uint64_t), "1 word");

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

/* A read-only handle to the boot module `name`, with its size in *size (resent after a restart). */
long loader_image(handle_t ep, const char *name, uint64_t *size);

/* A named handle for the child of an exec; the caller keeps its own. */
struct loader_exec_handle {
	const char *name;
	handle_t handle;
};
/* Everything a client says about an exec. */
struct loader_exec_args {
	handle_t image; /* the ELF image (a memory object); the caller keeps its own */
	uint64_t size;	/* its bytes */
	const char *program;
	int argc;
	const char *const *argv;
	unsigned priority;
	uint32_t handle_count;
	const struct loader_exec_handle *handles;
	uint64_t timeout; /* of each call; TIMEOUT_NEVER to wait for ever */
};
/*
 * The whole exec: begin, each handle, start; a process handle or an error
 * (with *elf_err as loader_spawn's). On an error before the start the
 * session is cancelled, so nothing stays with the loader.
 */
long loader_exec(handle_t ep, const struct loader_exec_args *a, int *elf_err);
/*
 * The same with the image named by a->program (a path, or a name looked up
 * as LOADER_SPAWN does) instead of a->image and a->size, which are ignored:
 * how a shell starts "/bin/ls" with its stdin and stdout.
 */
long loader_exec_path(handle_t ep, const struct loader_exec_args *a, int *elf_err);
/* Its steps: the session (> 0) or an error; then E_OK or an error; then a process handle. */
long loader_exec_begin(handle_t ep, const struct loader_exec_args *a);
long loader_exec_handle(handle_t ep, uint64_t session, const char *name, handle_t h,
			uint64_t timeout);
long loader_exec_start(handle_t ep, uint64_t session, int *elf_err, uint64_t timeout);
long loader_exec_cancel(handle_t ep, uint64_t session, uint64_t timeout);

/*
 * The programs: up to max entries from the first-th into out (the count or
 * an error), *total how many there are; resent after a restart (a new
 * loader lists nothing). loader_kill ends the program with that pid.
 */
long loader_list(handle_t ep, uint64_t first, struct loader_proc_entry *out, uint32_t max,
		 uint32_t *total);
long loader_kill(handle_t ep, uint64_t pid);

/* Server side: a checked LOADER_SPAWN (strings point into the request's buffer). */
struct loader_spawn_call {
	const char *program;
	int argc;
	const char *argv[LOADER_MAX_ARGS];
	unsigned priority;
	uint32_t flags;
	handle_t given; /* HANDLE_INVALID: none; the server loop closes it after the call */
	uint64_t badge; /* the client's */
};
/* A checked LOADER_EXEC_BEGIN (strings point into the request's buffer). */
struct loader_exec_begin_call {
	const char *program;
	int argc;
	const char *argv[LOADER_MAX_ARGS];
	uint32_t bytes; /* of the program name and arguments, with their NULs */
	unsigned priority;
	handle_t image; /* the op keeps it if it succeeds; else the server loop closes it */
	uint64_t size;
	uint64_t badge; /* the client's */
	uint32_t flags; /* LOADER_EXEC_F_PATH: no image; the program names it */
};
/*
 * The ops. A handle passed to exec_begin or exec_handle becomes the op's
 * when it returns >= 0 (it must close it when the session ends); on an
 * error the server loop closes it. Sessions and badges are the client's
 * words, unchecked but for being what a client may send.
 */
struct loader_ops {
	/* Start it: a process handle, or an error (with *elf_err for E_INVAL from the validator).
	 */
	long (*spawn)(void *ctx, const struct loader_spawn_call *c, int *elf_err);
	/* A new read-only handle to the module (closed after the reply), *size its bytes. */
	long (*image)(void *ctx, const char *name, uint64_t *size);
	/* A new session (> 0, at most UINT32_MAX), or an error. */
	long (*exec_begin)(void *ctx, const struct loader_exec_begin_call *c);
	long (*exec_handle)(void *ctx, uint64_t badge, uint64_t session, const char *name,
			    handle_t h);
	/* A process handle or an error; the session ends either way. */
	long (*exec_start)(void *ctx, uint64_t badge, uint64_t session, int *elf_err);
	long (*exec_cancel)(void *ctx, uint64_t badge, uint64_t session);
	/* Up to max programs from the first-th (the count), *total of them. */
	long (*list)(void *ctx, uint64_t first, struct loader_proc_entry *out, uint32_t max,
		     uint32_t *total);
	/* End the program with this pid: E_OK or an error (E_NOENT: none). */
	long (*kill)(void *ctx, uint64_t pid);
	/* No handle carries this badge any more: end its sessions. */
	void (*client_gone)(void *ctx, uint64_t badge);
};
struct loader_server {
	const struct loader_ops *ops;
	void *ctx;
};
/* A server for ep dispatching into ls (which must outlive it). */
struct server loader_server(handle_t ep, struct loader_server *ls);
