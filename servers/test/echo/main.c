/* SPDX-License-Identifier: MIT */
/*
 * echo: a small stateless test server (proto/echo.h) for supervision tests:
 * it answers every request from its arguments alone, so a new instance
 * carries on where the old one died without anything to recover.
 * Recovery: stateless.
 */
#include "echo.h"
#include "sys/process.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

int main(void)
{
	handle_t ep = start_handle("echo", NULL);
	struct process_info info;
	static struct echo_state state;
	static struct echo_server es = {&echo_ops, &state};

	if (ep == HANDLE_INVALID) {
		printf("echo: no endpoint given\n");
		return 1;
	}
	if (sys_process_info(HANDLE_SELF, &info) == E_OK)
		state.pid = info.pid;
	struct server s = echo_server(ep, &es);
	return (int)server_run(&s);
}
