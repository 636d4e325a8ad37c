/* SPDX-License-Identifier: MIT */
/*
 * The loader server: starts programs by name from the boot modules init
 * gave it (later also from the FAT server). Each request names a program and
 * its arguments; the image is mapped read-only, checked and loaded by
 * spawn_module, and the caller gets the new process's handle. The protocol's
 * decode is libsys/proto/loader/server.c, the handler loader.c.
 * Recovery: stateless (its modules come from its start_info again; a spawn
 * in flight when it dies gives its caller E_RESTARTED, and LOADER_SPAWN is
 * not idempotent, so the caller decides).
 */
#include "loader.h"
#include "sys/start.h"
#include "sys/sys.h"

int main(void)
{
	handle_t ep = start_handle("loader", NULL);
	static struct loader_env env = {.find_module = start_handle, .spawn = spawn_module};
	static struct loader_server ls = {&loader_ops, &env};

	if (ep == HANDLE_INVALID) {
		sys_debug_write("loader: no endpoint given\n", 26);
		return 1;
	}
	env.ns = start_handle("ns", NULL);
	struct server s = loader_server(ep, &ls);
	return (int)server_run(&s);
}
