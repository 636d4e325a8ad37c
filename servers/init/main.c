/* SPDX-License-Identifier: MIT */
/*
 * init: the first user process and the supervisor. It reads the services'
 * manifests from the `services` boot module, creates and keeps every
 * service endpoint, starts the loader itself and every other service
 * through it, and then supervises them for ever (supervisor.c): it restarts
 * what faults, exits or stops answering its heartbeat, answers name lookups
 * and the svc control protocol. Programs named by `run=` on the kernel
 * command line run in a thread of their own (run.c); with `run=` the system
 * stops when they are done, with init's exit code telling whether all of
 * them succeeded. See docs/ARCHITECTURE.md, "Supervision".
 */
#include "init.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	long err = sup_init();

	if (err < 0) {
		printf("init: cannot set up the supervisor: %s\n", sys_error_name(err));
		return 2;
	}
	sup_boot();
	if (sup.loader->state != SVC_RUNNING) {
		printf("init: cannot start the loader\n");
		return 2;
	}
	printf("init: loader started\n");
	err = heartbeat_start();
	if (err < 0)
		printf("init: no heartbeat: %s\n", sys_error_name(err));
	run_start(argc, argv);
	sup_run();
}
