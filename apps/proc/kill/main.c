/* SPDX-License-Identifier: MIT */
/*
 * kill PID...: end programs the loader started (their pids from ps;
 * proc_kill_pid, which sh's kill builtin shares). A
 * service's pid is refused: the supervisor would start it again, so the
 * message points to `svc stop NAME`. Exit code 0 when every pid was a
 * program that is now ended, 1 otherwise, 2 for usage.
 */
#include "../proc.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 1) {
		dprintf(2, "usage: kill PID...\n");
		return 2;
	}
	handle_t loader = proc_loader();
	if (loader == HANDLE_INVALID) {
		dprintf(2, "kill: cannot find the loader\n");
		return 1;
	}
	for (int i = 0; i < argc; i++)
		status |= proc_kill_pid(loader, argv[i]);
	return status;
}
