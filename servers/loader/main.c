/* SPDX-License-Identifier: MIT */
/*
 * The loader server: starts programs by name from the boot modules init
 * gave it, or from any ELF memory object a client hands it with named
 * handles (an exec session; later the FAT server's files come this way).
 * Each image is mapped read-only, checked and loaded by spawn_module, and
 * the caller gets the new process's handle. A name that is no module is
 * a file (disk.c, through the path library). The protocol's decode is
 * libsys/proto/loader/server.c, the handlers loader.c and loader_exec.c.
 * Recovery: stateless (its modules come from its start_info again; a spawn
 * in flight when it dies gives its caller E_RESTARTED, and LOADER_SPAWN is
 * not idempotent, so the caller decides; open exec sessions end with it).
 */
#include "loader.h"
#include "proto/ns.h"
#include "sys/errors.h"
#include "sys/start.h"
#include "sys/sys.h"

static handle_t ep;

static long watch(uint64_t badge, unsigned flags)
{
	return sys_ep_watch(ep, badge, flags);
}

static long dup_handle(handle_t h, uint32_t rights)
{
	return sys_handle_dup(h, rights);
}

/* A handle to our own endpoint with a fresh badge: each lookup of our name mints one (init). */
static long mint(handle_t *h, uint64_t *badge)
{
	return ns_mint_self("loader", h, badge);
}

static struct loader_env env = {.find_module = start_handle,
				.load_file = loader_load_file,
				.spawn = spawn_module,
				.handle_info = sys_handle_info,
				.dup = dup_handle,
				.close = sys_handle_close,
				.watch = watch,
				.mint = mint,
				.process_info = sys_process_info,
				.process_kill = sys_process_kill};

int main(void)
{
	static struct loader_server ls = {&loader_ops, &env};

	ep = start_handle("loader", NULL);
	if (ep == HANDLE_INVALID) {
		sys_debug_write("loader: no endpoint given\n", 26);
		return 1;
	}
	env.ns = start_handle("ns", NULL);
	loader_procs_init(&env);
	struct server s = loader_server(ep, &ls);
	return (int)server_run(&s);
}
