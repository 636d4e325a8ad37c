/* SPDX-License-Identifier: MIT */
/*
 * The serial console's commands as programs (mem, disks, blk, lsusb, kbd,
 * win, term): one source, built once per name, which runs the console's own
 * command (servers/console/commands.h) named by its process name, with a
 * shell whose output is this program's stdout. So `disks | grep disk0`
 * works in sh on any terminal, and the console and the program cannot
 * drift apart. What a command needs of its host comes from the name
 * service ("svc", "loader"); a program has no device handles, so lspci
 * (PCI configuration space) and input (the console's own keys) stay
 * console commands. Exit code: the command's status, 1 for an error.
 */
#include <string.h>

#include "../../servers/console/commands.h"
#include "proto/ns.h"
#include "sys/errors.h"
#include "sys/process.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define MAX_WORDS (START_MAX_ARGS + 1)

static void to_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	write(1, s, n);
}

static handle_t lookup(const char *name)
{
	long h = ns_lookup_self(name);

	return h < 0 ? HANDLE_INVALID : (handle_t)h;
}

static const struct shell_command *command_named(const char *name)
{
	for (size_t i = 0; i < cmd_table_count; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static struct cmd_env env;
	static struct shell sh;
	static struct process_info self;
	char *words[MAX_WORDS];

	if (sys_process_info(HANDLE_SELF, &self) < 0 || argc + 1 > MAX_WORDS)
		return 1;
	const struct shell_command *cmd = command_named(self.name);
	if (!cmd) {
		dprintf(2, "%s: not one of the console's commands\n", self.name);
		return 1;
	}
	env = (struct cmd_env){.loader = lookup("loader"),
			       .svc = lookup("svc"),
			       .ecam = HANDLE_INVALID,
			       .pci_ports = HANDLE_INVALID,
			       .events = HANDLE_INVALID,
			       .priority = 10,
			       .job = {.process = HANDLE_INVALID}};
	const struct shell_config cfg = {
		cmd_table, cmd_table_count, NULL, to_stdout, NULL, NULL, NULL, &env, NULL};
	if (shell_init(&sh, &cfg) != E_OK)
		return 1;
	words[0] = self.name;
	memcpy(words + 1, argv, (size_t)argc * sizeof(*argv));
	int status = cmd->fn(&sh, argc + 1, words);
	return status < 0 ? 1 : status;
}
