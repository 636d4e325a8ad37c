/* SPDX-License-Identifier: MIT */
/*
 * The console protocol's handler (proto/console.h): a command that needs
 * the console's grants (lspci: PCI configuration space) run for a program
 * on the server thread, with a shell of its own whose output goes to the
 * stream end the program sent (its stdout), a line at a time, a stream's
 * "\n" for the shell core's "\r\n" (the reader's terminal adds the CR).
 */
#include <string.h>

#include "commands.h"
#include "lend.h"
#include "proto/console.h"
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/sys.h"

/* The shell's context: cmd_env_of reads the env at its start, to_stream the stream. */
struct lent_ctx {
	struct cmd_env env; /* a copy of the console's: the same handles */
	struct stream out;
	char line[256]; /* the line being written */
	size_t used;
};

static struct shell lent_shell; /* the server thread is the only one here */
static struct lent_ctx lent;

/* Whole lines to the stream (the shell core writes a line in pieces), "\r\n" as "\n". */
static void to_stream(void *ctx, const char *s, size_t n)
{
	struct lent_ctx *c = ctx;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\r')
			c->line[c->used++] = s[i];
		if (c->used == sizeof(c->line) || (s[i] == '\n' && c->used)) {
			stream_write(&c->out, c->line, c->used); /* E_PIPE: the reader left */
			c->used = 0;
		}
	}
}

static const struct shell_command *command_named(const char *name)
{
	for (size_t i = 0; i < cmd_table_count; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

static long run(void *ctx, handle_t out, int argc, char **argv, int64_t *status)
{
	const struct shell_command *cmd = command_named(argv[0]);
	long err = cmd ? stream_open(&lent.out, out) : E_NOENT;

	if (err != E_OK) {
		sys_handle_close(out);
		return err;
	}
	lent.env = *(const struct cmd_env *)ctx;
	lent.used = 0;
	const struct shell_config cfg = {.commands = cmd_table,
					 .command_count = cmd_table_count,
					 .write = to_stream,
					 .ctx = &lent};
	err = shell_init(&lent_shell, &cfg);
	if (err == E_OK)
		*status = cmd->fn(&lent_shell, argc, argv);
	if (lent.used)
		stream_write(&lent.out, lent.line, lent.used); /* a last line without its LF */
	stream_close(&lent.out);
	return err;
}

static const struct console_ops ops = {.run = run};

struct server lend_server(handle_t ep, struct cmd_env *env)
{
	static struct console_server cs;

	cs = (struct console_server){.ops = &ops, .ctx = env};
	return console_server(ep, &cs);
}
