/* SPDX-License-Identifier: MIT */
/*
 * Process start-up in libsys: _start (sys_entry.asm) calls libsys_start with
 * the start_info the creator prepared. We register the main thread's IPC
 * buffer (a process that cannot have one exits with the error), remember
 * the start_info for start_handle(), run main and exit with its result. A
 * service started by a supervisor first fetches its handles (bootstrap.c).
 */
#include "sys/start.h"
#include "proto/svc.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/thread.h"

int main(int argc, char **argv);

static struct start_info *start;
static struct thread_local main_thread = {.ipcbuf = (struct ipc_buffer *)USER_IPCBUF_BASE};

const struct start_info *start_info(void)
{
	return start;
}

handle_t start_handle(const char *name, uint32_t *size)
{
	if (!start)
		return bootstrap_handle(name, size);
	for (uint32_t i = 0; i < start->handle_count && i < START_MAX_HANDLES; i++) {
		const char *a = start->handles[i].name, *b = name;
		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*a == '\0' && *b == '\0') {
			if (size)
				*size = start->handles[i].size;
			return start->handles[i].handle;
		}
	}
	return bootstrap_handle(name, size);
}

/* A supervised service fetches its handles before main; without them it cannot run. */
static void bootstrap(void)
{
	handle_t boot = start_handle("bootstrap", NULL);

	if (boot == HANDLE_INVALID)
		return;
	long err = svc_bootstrap(boot, start);
	sys_handle_close(boot);
	if (err < 0) {
		printf("libsys: cannot fetch the handles of this service: %s\n",
		       sys_error_name(err));
		sys_process_exit((int)err);
	}
}

__attribute__((noreturn)) void libsys_start(struct start_info *si)
{
	static char *no_args[1];
	char **argv = no_args;
	int argc = 0;

	if (si && si->magic == START_MAGIC) {
		start = si;
		argc = (int)(si->argc < START_MAX_ARGS ? si->argc : START_MAX_ARGS);
		argv = (char **)si->argv;
	}
	/* No IPC buffer (out of quota): a clear exit, not a fault at its first use. */
	long err = thread_local_setup(&main_thread);
	if (err < 0) {
		printf("libsys: cannot set up the main thread's IPC buffer: %s\n",
		       sys_error_name(err));
		sys_process_exit((int)err);
	}
	bootstrap();
	stdio_init();
	exit(main(argc, argv));
}
