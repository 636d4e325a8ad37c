/* SPDX-License-Identifier: MIT */
/*
 * sh: the shell as a program (sh.h lists its parts). It edits lines with
 * libsys/shell's editor, reading its terminal from stdin and echoing to
 * stdout; each line is parsed and run (run.c). An interrupt at the prompt
 * (Ctrl-C) abandons the line; end-of-stream on stdin, or `exit`, ends sh,
 * and the background jobs with it (as a terminal hanging up would).
 * COLUMNS, LINES and TERM follow the terminal's size (track_size).
 * Started with "parent" (the loader), "ns", its three streams and "env".
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"
#include "shell/shell.h"
#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/stdio.h"

static void out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	write(STDOUT_FILENO, s, n);
}

/*
 * COLUMNS, LINES and TERM from the terminal's size on stdin (STREAM_GET_SIZE),
 * asked again only when the ring's header shows a change (no call per key).
 * A stream without a size (a pipe, the serial line) sets none of them.
 */
static void track_size(void)
{
	static uint64_t seen;
	struct stream *in = stdio_stream(STDIN_FILENO);
	struct stream_size size;
	char text[16];

	if (!in || stream_size_changes(in) == seen || stream_get_size(in->end, &size) != E_OK)
		return;
	seen = size.changes;
	snprintf(text, sizeof(text), "%lu", (unsigned long)size.cols);
	setenv("COLUMNS", text, 1);
	snprintf(text, sizeof(text), "%lu", (unsigned long)size.rows);
	setenv("LINES", text, 1);
	setenv("TERM", SH_TERM, 0);
}

/* The editor's width: COLUMNS (0 without it: the editor moves with backspaces). */
static size_t columns(void *ctx)
{
	const char *c = getenv("COLUMNS");

	(void)ctx;
	return c ? strtoul(c, NULL, 10) : 0;
}

static int on_line(struct shell *ed, const char *line)
{
	track_size();
	int status = sh_run_line(line);

	if (sh.exiting)
		shell_job_begin(ed); /* no prompt after `exit` */
	return status;
}

static void defaults(void)
{
	setenv("PATH", "/bin", 0);
	setenv("HOME", "/", 0);
	setenv("PWD", "/", 0);
}

int main(int argc, char **argv)
{
	static struct shell ed;
	const struct shell_config cfg = {.prompt = "sh$ ",
					 .write = out,
					 .line = on_line,
					 .complete = sh_complete,
					 .columns = columns};
	uint8_t byte;
	long n;

	sh.loader = start_handle("parent", NULL);
	sh.streams = stream_server();
	defaults();
	if (argc >= 2 && strcmp(argv[0], "-c") == 0) /* argv[0] is the first argument */
		return sh_run_line(argv[1]);
	track_size();
	shell_init(&ed, &cfg);
	shell_prompt(&ed);
	/* A byte at a time: what is typed after a line is for the program that line starts. */
	while (!sh.exiting && (n = read(STDIN_FILENO, &byte, 1)) != 0) {
		if (n == E_INTR)
			shell_input(&ed, 0x03);
		else if (n < 0)
			break;
		else
			shell_input(&ed, byte);
		track_size();
	}
	sh_hang_up();
	return sh.exiting ? sh.exit_code : sh.status;
}
