/* SPDX-License-Identifier: MIT */
/*
 * Running the programs `run=` names on the kernel command line, one after
 * the other, in a thread of init while the main thread supervises:
 *
 *   run=prog1,prog2:arg1:arg2
 *
 * Programs are separated by ',' and a program's arguments follow its name,
 * each after a ':' (the kernel command line splits at spaces, so arguments
 * cannot be spaced). Each is started through the loader with a send-only
 * handle to the loader endpoint as "parent", badged like every handle init
 * gives away (so the loader's server loop refuses fault injection from it:
 * only badge 0, init's own, may inject), and the loader adds "ns". A name
 * written `!name` is a trusted hardware test (dtest): init starts it itself
 * and hands it its own hardware resource handles and the framebuffer as
 * well; real drivers get narrow handles from their manifests instead.
 *
 * Each program gets a memory quota of SVC_RUN_QUOTA_PAGES (64 MiB), set
 * as soon as its process handle is back, before the program can run: it
 * runs at a lower priority than this thread, and this thread does not
 * block in between. When the last one has ended, init exits with 0 if
 * every one of them exited with 0, which stops the system.
 */
#include <stdbool.h>
#include <string.h>

#include "init.h"
#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/thread.h"

_Static_assert(SPAWN_DEFAULT_PRIORITY < INIT_PRIORITY_RUN,
	       "a program must not run before this thread has set its quota");

#define RUN_MAX_ARGS START_MAX_ARGS
#define RUN_LIST_MAX 256

static char run_list[RUN_LIST_MAX];

/* Split "name:a:b" in place into the name and its arguments; -1 for too many. */
static int split_args(char *item, const char *argv[RUN_MAX_ARGS])
{
	int argc = 0;

	for (char *p = strchr(item, ':'); p; p = strchr(p, ':')) {
		if (argc == RUN_MAX_ARGS)
			return -1;
		*p++ = '\0';
		argv[argc++] = p;
	}
	return argc;
}

/* A `!name` program: started by init with the hardware resources. */
static long spawn_with_hardware(handle_t parent, const char *name, int argc, const char **argv,
				int *elf_err)
{
	uint32_t size = 0, fb_size = 0;
	handle_t image = start_handle(name, &size);
	handle_t fb = start_handle("framebuffer", &fb_size);
	const uint32_t pass = R_DUP | R_TRANSFER;
	const struct spawn_handle hs[] = {
		{"parent", parent, R_SEND | R_GRANT | R_TRANSFER, 0},
		{"irq", start_handle("irq", NULL), pass, 0},
		{"ioport", start_handle("ioport", NULL), pass, 0},
		{"devmem", start_handle("devmem", NULL), pass, 0},
		{"dma", start_handle("dma", NULL), pass, 0},
		{"framebuffer", fb, R_READ | R_WRITE | pass, fb_size},
	};
	struct spawn_args a = {
		name, argc, argv, fb ? 6 : 5, hs, SPAWN_DEFAULT_PRIORITY, SPAWN_DEFAULT_PRIORITY};

	return spawn_module(image, size, &a, elf_err);
}

/*
 * Start one program (through the loader, or itself for `!name`) with its
 * quota set; its process handle or an error.
 */
static long start_program(handle_t loader, char *item, bool hardware)
{
	const char *argv[RUN_MAX_ARGS];
	int argc = split_args(item, argv), elf_err = 0;

	if (argc < 0) {
		printf("init: cannot start %s: more than %d arguments\n", item, RUN_MAX_ARGS);
		return E_RANGE;
	}
	long give = sys_ep_mint(loader, sup_new_badge(), R_SEND | R_GRANT | R_DUP | R_TRANSFER);
	long p = give < 0   ? give
		 : hardware ? spawn_with_hardware((handle_t)give, item, argc, argv, &elf_err)
			    : loader_spawn(loader, item, argc, argv, SPAWN_DEFAULT_PRIORITY,
					   (handle_t)give, &elf_err);

	if (give >= 0)
		sys_handle_close((handle_t)give);
	if (p < 0) {
		printf("init: cannot start %s: %s (elf %d)\n", item, sys_error_name(p), elf_err);
		return p;
	}
	long err = sys_process_set_quota((handle_t)p, SVC_RUN_QUOTA_PAGES);
	if (err < 0) { /* never let it run without one */
		printf("init: cannot set the quota of %s: %s\n", item, sys_error_name(err));
		sys_process_kill((handle_t)p);
		sys_handle_close((handle_t)p);
		return err;
	}
	return p;
}

/* Run one program and wait for it; its exit code, or an error. */
static int64_t run_program(handle_t loader, char *item)
{
	bool hardware = item[0] == '!';
	item += hardware;
	long p = start_program(loader, item, hardware);

	if (p < 0)
		return p;
	int64_t code = -1;
	long err = sys_process_wait((handle_t)p, TIMEOUT_NEVER, &code);
	sys_handle_close((handle_t)p);
	if (err < 0) {
		printf("init: cannot wait for %s: %s\n", item, sys_error_name(err));
		return err;
	}
	printf("init: %s exited with code %ld\n", item, (long)code);
	return code;
}

static void run_main(void *arg)
{
	handle_t loader = service_endpoint("loader");
	int failed = 0;

	(void)arg;
	for (char *p = run_list, *next; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		failed += run_program(loader, p) != 0;
	}
	sys_process_exit(failed ? 1 : 0);
}

long run_start(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "run=", 4) != 0)
			continue;
		if (strlcpy(run_list, argv[i] + 4, sizeof(run_list)) >= sizeof(run_list)) {
			printf("init: run= is longer than %d characters; stopping\n",
			       RUN_LIST_MAX - 1);
			sys_process_exit(1); /* as if the list had failed: never run part of it */
		}
		return thread_spawn(run_main, NULL, INIT_PRIORITY_RUN, NULL);
	}
	return E_NOENT;
}
