/* SPDX-License-Identifier: MIT */
/*
 * The serial console's commands as programs (mem, disks, blk, lsusb, kbd,
 * win, term): one source, built once per name, which runs the console's own
 * command (servers/console/commands.h) named by its process name, with a
 * shell whose output is this program's stdout. So `disks | grep disk0`
 * works in sh on any terminal, and the console and the program cannot
 * drift apart. What a command needs of its host comes from the name
 * service ("svc", "loader"). A program has no device handles, so a
 * command that needs the console's (lspci: PCI configuration space) is
 * asked of the console itself through the console protocol
 * (proto/console.h), which runs it with its output to this program's
 * stdout. Exit code: the command's status, 1 for an error.
 */
#include <string.h>

#include "../../servers/console/commands.h"
#include "proto/console.h"
#include "proto/ns.h"
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/process.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define MAX_WORDS (START_MAX_ARGS + 1)

/* The shell core's output as lines through stdio's line buffer, so a line
 * reaches the terminal whole; its "\r\n" as "\n" (the terminal adds the CR). */
static void to_stdout(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r')
			printf("%c", s[i]);
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

/* A command the console lends: run there, its output to our stdout. */
static int lent(const char *name, int argc, char **argv)
{
	const char *words[CONSOLE_ARGS_MAX];
	struct stream *out = stdio_stream(1);
	handle_t ep = lookup(CONSOLE_SERVICE);
	long dup = out ? stream_dup(out->end) : E_NOENT;
	int64_t status = 1;

	if (argc + 1 > CONSOLE_ARGS_MAX) {
		dprintf(2, "%s: too many words\n", name);
		return 2;
	}
	words[0] = name;
	memcpy(words + 1, argv, (size_t)argc * sizeof(*argv));
	stdio_flush();
	long err = ep == HANDLE_INVALID ? E_NOENT : dup < 0 ? dup : E_OK;
	if (err == E_OK)
		err = console_run(ep, (handle_t)dup, argc + 1, words, &status);
	if (dup >= 0)
		sys_handle_close((handle_t)dup);
	if (err != E_OK) {
		dprintf(2, "%s: the console cannot run it: %s\n", name, sys_error_name(err));
		return 1;
	}
	return status < 0 ? 1 : (int)status;
}

int main(int argc, char **argv)
{
	static struct cmd_env env;
	static struct shell sh;
	static struct process_info self;
	char *words[MAX_WORDS];

	if (sys_process_info(HANDLE_SELF, &self) < 0 || argc + 1 > MAX_WORDS)
		return 1;
	if (console_lent(self.name))
		return lent(self.name, argc, argv);
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
