/* SPDX-License-Identifier: MIT */
/*
 * kill PID...: end programs the loader started (their pids from ps). A
 * service's pid is refused: the supervisor would start it again, so the
 * message points to `svc stop NAME`. Exit code 0 when every pid was a
 * program that is now ended, 1 otherwise, 2 for usage.
 */
#include "../proc.h"
#include "proto/loader.h"
#include "sys/errors.h"
#include "sys/stdio.h"

static int kill_one(handle_t loader, const char *word)
{
	uint64_t pid;
	char service[32];

	if (!proc_parse_pid(word, &pid)) {
		dprintf(2, "kill: '%s' is not a pid (a number from ps)\n", word);
		return 1;
	}
	long err = loader_kill(loader, pid);
	if (err == E_OK)
		return 0;
	if (err == E_NOENT && proc_service_of(proc_svc(), pid, service, sizeof(service)))
		dprintf(2, "kill: %s is the service %s: use svc stop %s\n", word, service, service);
	else if (err == E_NOENT)
		dprintf(2, "kill: no program with pid %s\n", word);
	else
		dprintf(2, "kill: %s: %s\n", word, sys_error_name(err));
	return 1;
}

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
		status |= kill_one(loader, argv[i]);
	return status;
}
