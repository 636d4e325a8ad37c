/* SPDX-License-Identifier: MIT */
/*
 * init: the first user process and (soon) the supervisor. It starts the
 * loader server from its boot module, giving it the loader endpoint and the
 * other modules, then runs what `run=a,b,...` on the kernel command line
 * names, one after the other. With `run=` the system stops when they are
 * done, with init's exit code telling whether all of them succeeded;
 * without it init waits for ever.
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define LOADER_PRIORITY 20
#define MAX_RUN		8

static long start_loader(handle_t ep)
{
	const struct start_info *si = start_info();
	struct spawn_handle hs[START_MAX_HANDLES];
	uint32_t n = 0, size = 0;
	handle_t image = start_handle("loader", &size);

	if (image == HANDLE_INVALID)
		return E_NOENT;
	hs[n++] = (struct spawn_handle){"endpoint", ep, R_RECV | R_SEND, 0};
	for (uint32_t i = 0; i < si->handle_count && n < START_MAX_HANDLES; i++)
		hs[n++] = (struct spawn_handle){si->handles[i].name, si->handles[i].handle,
						R_READ | R_DUP | R_TRANSFER, si->handles[i].size};
	sys_mobj_map(HANDLE_SELF, image, 0x6d0000000000ull, 0, (size + 4095) & ~4095ull, R_READ);
	struct spawn_args a = {"loader", 0, NULL, n, hs, LOADER_PRIORITY};
	int elf_err = 0;
	long p = spawn_elf((const void *)0x6d0000000000ull, size, &a, &elf_err);
	sys_unmap(HANDLE_SELF, 0x6d0000000000ull, (size + 4095) & ~4095ull);
	return p;
}

/* TEMPORARY: dtest needs hardware handles, which the loader cannot pass. */
static long spawn_with_devices(handle_t loader, const char *name, int *elf_err)
{
	uint32_t size = 0, fb_size = 0;
	handle_t image = start_handle(name, &size);
	handle_t fb = start_handle("framebuffer", &fb_size);
	struct spawn_handle hs[] = {
		{"parent", loader, R_SEND | R_TRANSFER, 0},
		{"irq", start_handle("irq", NULL), R_DUP | R_TRANSFER, 0},
		{"ioport", start_handle("ioport", NULL), R_DUP | R_TRANSFER, 0},
		{"devmem", start_handle("devmem", NULL), R_DUP | R_TRANSFER, 0},
		{"dma", start_handle("dma", NULL), R_DUP | R_TRANSFER, 0},
		{"framebuffer", fb, R_READ | R_WRITE | R_DUP | R_TRANSFER, fb_size},
	};
	sys_mobj_map(HANDLE_SELF, image, 0x6c0000000000ull, 0, (size + 4095) & ~4095ull, R_READ);
	struct spawn_args a = {name, 0, NULL, 6, hs, SPAWN_DEFAULT_PRIORITY};
	long p = spawn_elf((const void *)0x6c0000000000ull, size, &a, elf_err);
	sys_unmap(HANDLE_SELF, 0x6c0000000000ull, (size + 4095) & ~4095ull);
	return p;
}

/* Run one program through the loader and wait for it. */
static long run_program(handle_t loader, const char *name)
{
	int elf_err = 0;
	/*
	 * Programs init runs get the loader endpoint as "parent", to start
	 * others: send-only, so they cannot take requests meant for the loader.
	 */
	long give = sys_handle_dup(loader, R_SEND | R_GRANT | R_DUP | R_TRANSFER);
	long p = give < 0 ? give
		 : strcmp(name, "dtest") == 0
			 ? spawn_with_devices((handle_t)give, name, &elf_err)
			 : loader_spawn(loader, name, 0, NULL, SPAWN_DEFAULT_PRIORITY,
					(handle_t)give, &elf_err);

	if (give >= 0)
		sys_handle_close((handle_t)give);
	if (p < 0) {
		printf("init: cannot start %s: %s (elf %d)\n", name, sys_error_name(p), elf_err);
		return p;
	}
	int64_t code = -1;
	long err = sys_process_wait((handle_t)p, TIMEOUT_NEVER, &code);
	sys_handle_close((handle_t)p);
	if (err < 0) {
		printf("init: cannot wait for %s: %s\n", name, sys_error_name(err));
		return err;
	}
	printf("init: %s exited with code %ld\n", name, (long)code);
	return code;
}

static const char *run_list(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], "run=", 4) == 0)
			return argv[i] + 4;
	return NULL;
}

static int run_all(handle_t loader, const char *list)
{
	char names[256];
	int failed = 0;

	strlcpy(names, list, sizeof(names));
	for (char *p = names, *next; p && *p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		failed += run_program(loader, p) != 0;
	}
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	long ep = sys_ep_create();
	long loader = ep >= 0 ? start_loader((handle_t)ep) : ep;

	if (loader < 0) {
		printf("init: cannot start the loader: %s\n", sys_error_name(loader));
		return 2;
	}
	printf("init: loader started\n");
	const char *list = run_list(argc, argv);
	if (list)
		return run_all((handle_t)ep, list);
	for (;;)
		sys_sleep(TIMEOUT_NEVER);
}
