/* SPDX-License-Identifier: MIT */
/*
 * Process start-up in libsys: _start (sys_entry.asm) calls libsys_start with
 * the start_info the creator prepared. We register the main thread's IPC
 * buffer, remember the start_info for start_handle(), run main and exit
 * with its result.
 */
#include "sys/start.h"
#include "sys/thread.h"
#include "sys/sys.h"

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
		return HANDLE_INVALID;
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
	return HANDLE_INVALID;
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
	thread_local_setup(&main_thread);
	sys_process_exit(main(argc, argv));
}
