/* SPDX-License-Identifier: MIT */
/*
 * sh in the rescue shell: the console runs /bin/sh on the serial line by
 * itself (session.c) and falls back to this shell core only while sh
 * cannot start; `sh` asks the host to try again now instead of at the end
 * of its back-off. A host without that (apps/concmd) says so.
 */
#include "commands.h"
#include "sys/errors.h"

int cmd_sh(struct shell *sh, int argc, char **argv)
{
	struct cmd_env *env = cmd_env_of(sh);

	(void)argv;
	if (argc != 1) {
		shell_printf(sh, "usage: sh (try /bin/sh again now)\n");
		return E_INVAL;
	}
	if (!env->retry_sh) {
		shell_printf(sh, "sh: only the serial console starts /bin/sh this way\n");
		return E_NOENT;
	}
	shell_printf(sh, "sh: trying %s again\n", "/bin/sh");
	env->retry_sh();
	return E_OK;
}
