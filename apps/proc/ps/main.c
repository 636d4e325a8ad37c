/* SPDX-License-Identifier: MIT */
/*
 * ps: every process, one line each: its pid, whether it is a service (the
 * supervisor's, controlled with svc) or a program (started through the
 * loader: by a shell, `run`, a terminal), its state and its name.
 *
 *     PID  KIND     STATE    NAME
 *       3  service  running  fat
 *      41  program  running  sh
 *
 * Exit code 0, 1 when the supervisor or the loader could not be asked
 * (what the other said is printed still), 2 for arguments.
 */
#include "../proc.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 0) {
		dprintf(2, "usage: ps (no arguments)\n");
		return 2;
	}
	return proc_print(proc_svc(), proc_loader());
}
