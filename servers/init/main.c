/* SPDX-License-Identifier: MIT */
/*
 * init: the first user process and the supervisor. It reads the services'
 * manifests from the `services` boot module, creates and keeps every
 * service endpoint, starts the loader itself and every other service
 * through it, and then supervises them for ever on libsys's server loop
 * (supervisor.c describes the endpoint's server): it restarts
 * what faults, exits or stops answering its heartbeat, answers name lookups
 * and the svc control protocol. Programs named by `run=` on the kernel
 * command line run in a thread of their own (run.c); with `run=` the system
 * stops when they are done, with init's exit code telling whether all of
 * them succeeded. See docs/ARCHITECTURE.md, "Supervision".
 */
#include "init.h"
#include "sys/server.h"
#include "sys/stdio.h"

/* The supervisor endpoint, the timer bound to it, and the service table. */
static long sup_init(void)
{
	long ep = sys_ep_create();
	long timer = sys_ntfn_create();

	if (ep < 0 || timer < 0)
		return ep < 0 ? ep : timer;
	sup.ep = (handle_t)ep;
	sup.timer = (handle_t)timer;
	long err = sys_ep_bind(sup.ep, sup.timer);
	return err < 0 ? err : services_load();
}

int main(int argc, char **argv)
{
	long err = sup_init();

	if (err < 0) {
		printf("init: cannot set up the supervisor: %s\n", sys_error_name(err));
		return 2;
	}
	life_start_all();
	if (sup.loader->state != SVC_RUNNING) {
		printf("init: cannot start the loader\n");
		return 2;
	}
	printf("init: loader started\n");
	err = heartbeat_start();
	if (err < 0)
		printf("init: no heartbeat: %s\n", sys_error_name(err));
	run_start(argc, argv);
	struct server server = sup_server();
	err = server_run(&server);
	printf("init: the supervisor endpoint failed: %s\n", sys_error_name(err));
	return 2;
}
