/* SPDX-License-Identifier: MIT */
/*
 * Ending one program by its pid (proc.h), for the kill program and sh's
 * kill builtin alike: the loader's LOADER_KILL, and for a refusal one line
 * on stderr saying why (not a pid, a service, no such program).
 */
#include "proc.h"

#include "proto/loader.h"
#include "sys/errors.h"
#include "sys/stdio.h"

int proc_kill_pid(handle_t loader, const char *word)
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
