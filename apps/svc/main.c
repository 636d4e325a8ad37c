/* SPDX-License-Identifier: MIT */
/*
 * svc: control the supervisor's services (proto/svc.h).
 *
 *   svc list                          every service: pid, state, restarts,
 *                                     uptime, memory pages used/quota
 *   svc stop|start|restart <name>
 *   svc fi <name> crash|hang|leak     inject a fault into a running server
 *
 * Arguments come as argv (from init's `run=svc:list`, or later a shell).
 * Exit code 0 on success, 1 when the supervisor refused, 2 for bad usage.
 */
#include <string.h>

#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/fmt.h"
#include "sys/manifest.h"
#include "sys/stdio.h"
#include "sys/sys.h"

static const char usage[] = "usage: svc list | svc stop|start|restart <name> | "
			    "svc fi <name> crash|hang|leak\n";

static void print_uptime(uint64_t ms, char *out, size_t size)
{
	if (ms < 1000)
		snprintf(out, size, "%lums", (unsigned long)ms);
	else if (ms < 10000)
		snprintf(out, size, "%lu.%lus", (unsigned long)(ms / 1000),
			 (unsigned long)(ms % 1000 / 100));
	else
		snprintf(out, size, "%lus", (unsigned long)(ms / 1000));
}

static void print_entry(const struct svc_entry *e)
{
	char up[24] = "-";

	if (e->state == SVC_RUNNING || e->state == SVC_STARTING)
		print_uptime(e->uptime_ms, up, sizeof(up));
	printf("%-15s %5lu  %-8s %8u %8s  %6lu/%-6lu %s\n", e->name, (unsigned long)e->pid,
	       svc_state_name(e->state), e->restarts, up, (unsigned long)e->pages_used,
	       (unsigned long)e->pages_quota, manifest_recovery_name(e->recovery));
}

static int cmd_list(handle_t ctl)
{
	struct svc_entry entries[SVC_LIST_MAX];
	uint32_t total = 0, first = 0;

	printf("%-15s %5s  %-8s %8s %8s  %13s %s\n", "name", "pid", "state", "restarts", "uptime",
	       "pages", "recovery");
	do {
		long n = svc_list(ctl, first, entries, SVC_LIST_MAX, &total);
		if (n <= 0) {
			if (n < 0)
				printf("svc: list failed: %s\n", sys_error_name(n));
			return n < 0;
		}
		for (long i = 0; i < n; i++)
			print_entry(&entries[i]);
		first += (uint32_t)n;
	} while (first < total);
	return 0;
}

/* The message for a refused request about `name`. */
static int refused(const char *what, const char *name, long err)
{
	if (err == E_NOENT)
		printf("svc: no service called '%s'\n", name);
	else if (err == E_CLOSED)
		printf("svc: %s is not running\n", name);
	else if (err == E_INVAL)
		printf("svc: '%s' is not a service name\n", name);
	else
		printf("svc: %s %s failed: %s\n", what, name, sys_error_name(err));
	return 1;
}

static int cmd_control(handle_t ctl, const char *verb, const char *name)
{
	static const char *const verbs[] = {"stop", "start", "restart"};
	static const uint16_t methods[] = {SVC_STOP, SVC_START, SVC_RESTART};

	for (int i = 0; i < 3; i++) {
		if (strcmp(verb, verbs[i]) != 0)
			continue;
		long err = svc_control(ctl, methods[i], name);
		if (err < 0)
			return refused(verb, name, err);
		printf("svc: %s %s: done\n", verb, name);
		return 0;
	}
	printf("svc: unknown command '%s'\n%s", verb, usage);
	return 2;
}

static int cmd_fi(handle_t ctl, const char *name, const char *what)
{
	static const char *const faults[] = {"crash", "hang", "leak"};

	for (int i = 0; i < 3; i++) {
		if (strcmp(what, faults[i]) != 0)
			continue;
		long err = svc_fault(ctl, name, (enum svc_fault)i, SVC_CRASH_RANDOM, 0);
		if (err < 0)
			return refused("fi", name, err);
		printf("svc: fi %s %s: injected\n", name, what);
		return 0;
	}
	printf("svc: unknown fault '%s' (crash, hang or leak)\n", what);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 1) {
		printf("%s", usage);
		return 2;
	}
	long ctl = ns_lookup_self("svc");
	if (ctl < 0) {
		printf("svc: cannot find the supervisor: %s\n", sys_error_name(ctl));
		return 1;
	}
	if (strcmp(argv[0], "list") == 0 && argc == 1)
		return cmd_list((handle_t)ctl);
	if (strcmp(argv[0], "fi") == 0 && argc == 3)
		return cmd_fi((handle_t)ctl, argv[1], argv[2]);
	if (argc == 2 && strcmp(argv[0], "fi") != 0)
		return cmd_control((handle_t)ctl, argv[0], argv[1]);
	printf("svc: bad command\n%s", usage);
	return 2;
}
