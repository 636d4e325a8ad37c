/* SPDX-License-Identifier: MIT */
/*
 * svc: control the supervisor's services (proto/svc.h). The command line
 * itself is libsys's (proto/svc_cli.h), shared with the console's shell:
 *
 *   svc list                          every service: pid, state, restarts,
 *                                     uptime, memory pages used/quota
 *   svc stop|start|restart <name>
 *   svc fi <name> crash|hang|leak|corrupt|flip  inject a fault into a running server
 *
 * Arguments come as argv (from init's `run=svc:list`, or the shell's run).
 * Exit code 0 on success, 1 when the supervisor refused, 2 for bad usage.
 */
#include "proto/ns.h"
#include "proto/svc_cli.h"
#include "sys/stdio.h"
#include "sys/sys.h"

static int to_stdout(void *ctx, const char *fmt, va_list ap)
{
	(void)ctx;
	return vprintf(fmt, ap);
}

int main(int argc, char **argv)
{
	const struct svc_cli_out out = {to_stdout, NULL};

	if (argc < 1) {
		printf("%s", svc_cli_usage);
		return SVC_CLI_USAGE;
	}
	long ctl = ns_lookup_self("svc");
	if (ctl < 0) {
		printf("svc: cannot find the supervisor: %s\n", sys_error_name(ctl));
		return SVC_CLI_REFUSED;
	}
	return svc_cli_run((handle_t)ctl, argc, argv, &out);
}
