/* SPDX-License-Identifier: MIT */
/*
 * The `svc` command line (proto/svc_cli.h): parse the verb and its words,
 * call the supervisor through the svc protocol stubs (libsys/proto/svc/client.c),
 * and say what happened in one line, or print the service table.
 */
#include "proto/svc_cli.h"

#include <stdbool.h>
#include <string.h>

#include "manifest/manifest.h"
#include "proto/svc.h"
#include "sys/fmt.h"
#include "sys/sys.h"

const char svc_cli_usage[] = "usage: svc list | svc stop|start|restart <name> | "
			     "svc fi <name> crash|hang|leak|corrupt|flip\n";

__attribute__((format(printf, 2, 3))) static void say(const struct svc_cli_out *out,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out->vprintf(out->ctx, fmt, ap);
	va_end(ap);
}

static void format_uptime(uint64_t ms, char *buf, size_t size)
{
	if (ms < 1000)
		snprintf(buf, size, "%lums", (unsigned long)ms);
	else if (ms < 10000)
		snprintf(buf, size, "%lu.%lus", (unsigned long)(ms / 1000),
			 (unsigned long)(ms % 1000 / 100));
	else
		snprintf(buf, size, "%lus", (unsigned long)(ms / 1000));
}

static void print_entry(const struct svc_cli_out *out, const struct svc_entry *e)
{
	char up[24] = "-";

	if (e->state == SVC_RUNNING || e->state == SVC_STARTING)
		format_uptime(e->uptime_ms, up, sizeof(up));
	say(out, "%-15s %5lu  %-8s %8u %8s  %6lu/%-6lu %s\n", e->name, (unsigned long)e->pid,
	    svc_state_name(e->state), e->restarts, up, (unsigned long)e->pages_used,
	    (unsigned long)e->pages_quota, manifest_recovery_name(e->recovery));
}

int svc_cli_list(handle_t ctl, const struct svc_cli_out *out)
{
	struct svc_entry entries[SVC_LIST_MAX];
	uint32_t total = 0, first = 0;

	say(out, "%-15s %5s  %-8s %8s %8s  %13s %s\n", "name", "pid", "state", "restarts", "uptime",
	    "pages", "recovery");
	do {
		long n = svc_list(ctl, first, entries, SVC_LIST_MAX, &total);
		if (n < 0)
			say(out, "svc: list failed: %s\n", sys_error_name(n));
		if (n <= 0)
			return n < 0 ? SVC_CLI_REFUSED : SVC_CLI_OK;
		for (long i = 0; i < n; i++)
			print_entry(out, &entries[i]);
		first += (uint32_t)n;
	} while (first < total);
	return SVC_CLI_OK;
}

/* The message for a refused request about `name`. */
static int refused(const struct svc_cli_out *out, const char *what, const char *name, long err)
{
	if (err == E_NOENT)
		say(out, "svc: no service called '%s'\n", name);
	else if (err == E_CLOSED)
		say(out, "svc: %s is not running\n", name);
	else if (err == E_INVAL)
		say(out, "svc: '%s' is not a service name\n", name);
	else
		say(out, "svc: %s %s failed: %s\n", what, name, sys_error_name(err));
	return SVC_CLI_REFUSED;
}

static int control(handle_t ctl, const char *verb, const char *name, const struct svc_cli_out *out)
{
	static const char *const verbs[] = {"stop", "start", "restart"};
	static const uint16_t methods[] = {SVC_STOP, SVC_START, SVC_RESTART};

	for (int i = 0; i < 3; i++) {
		if (strcmp(verb, verbs[i]) != 0)
			continue;
		long err = svc_control(ctl, methods[i], name);
		if (err < 0)
			return refused(out, verb, name, err);
		say(out, "svc: %s %s: done\n", verb, name);
		return SVC_CLI_OK;
	}
	say(out, "svc: unknown command '%s'\n%s", verb, svc_cli_usage);
	return SVC_CLI_USAGE;
}

static int inject(handle_t ctl, const char *name, const char *what, const struct svc_cli_out *out)
{
	static const char *const faults[SVC_FAULTS] = {"crash", "hang", "leak", "corrupt", "flip"};

	for (int i = 0; i < SVC_FAULTS; i++) {
		if (strcmp(what, faults[i]) != 0)
			continue;
		uint32_t random =
			(uint32_t)sys_rdtsc(); /* corrupt and flip: which word, which bit */
		long err = svc_fault(ctl, name, (enum svc_fault)i, SVC_CRASH_RANDOM,
				     i >= SVC_FAULT_CORRUPT ? random : 0);
		if (err < 0)
			return refused(out, "fi", name, err);
		say(out, "svc: fi %s %s: injected\n", name, what);
		return SVC_CLI_OK;
	}
	say(out, "svc: unknown fault '%s' (crash, hang, leak, corrupt or flip)\n", what);
	return SVC_CLI_USAGE;
}

int svc_cli_run(handle_t ctl, int argc, char **argv, const struct svc_cli_out *out)
{
	bool is_fi = argc > 0 && strcmp(argv[0], "fi") == 0;

	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return svc_cli_list(ctl, out);
	if (argc == 3 && is_fi)
		return inject(ctl, argv[1], argv[2], out);
	if (argc == 2 && !is_fi)
		return control(ctl, argv[0], argv[1], out);
	say(out, "%s", svc_cli_usage);
	return SVC_CLI_USAGE;
}
