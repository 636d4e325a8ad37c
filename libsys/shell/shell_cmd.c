/* SPDX-License-Identifier: MIT */
/*
 * The shell's command layer (shell/shell.h): splitting a line into words,
 * finding the command in the host's table (or the built-in help), running
 * it, and the output functions commands use. Errors the user made (quoting,
 * unknown commands) are reported here in one place; commands print their
 * own usage.
 */
#include <stdbool.h>
#include <string.h>

#include "shell_impl.h"
#include "sys/errors.h"
#include "sys/fmt.h"

#define HELP_NAME_WIDTH 12 /* names longer than this push their text right */

/* ---- output ---- */

void shell_write(struct shell *sh, const char *s, size_t n)
{
	if (n)
		sh->cfg.write(sh->cfg.ctx, s, n);
}

/* vcbprintf callback: the text with each "\n" sent as "\r\n". */
static void put_crlf(void *ctx, const char *s, size_t n)
{
	struct shell *sh = ctx;
	const char *nl;

	while (n && (nl = memchr(s, '\n', n)) != NULL) {
		shell_write(sh, s, (size_t)(nl - s));
		shell_write(sh, "\r\n", 2);
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	shell_write(sh, s, n);
}

int shell_vprintf(struct shell *sh, const char *fmt, va_list ap)
{
	return vcbprintf(put_crlf, sh, fmt, ap);
}

int shell_printf(struct shell *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = shell_vprintf(sh, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- words ---- */

static int split_fail(const char **err, const char *why, int code)
{
	if (err)
		*err = why;
	return code;
}

/*
 * Copy one word from *rp to *wp, dropping quotes and escapes, and leave *rp
 * after the blank that ended it. The write side never passes the read side,
 * so the split works in place.
 */
static int split_word(char **rp, char **wp, const char **err)
{
	char *r = *rp, *w = *wp;
	bool quoted = false;

	for (;;) {
		char c = *r;
		if (c == '\0' && quoted)
			return split_fail(err, "unterminated quote", E_INVAL);
		if (c == '\0')
			break;
		r++;
		if (!quoted && (c == ' ' || c == '\t'))
			break;
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == '\\' && *r == '\0')
			return split_fail(err, "backslash at the end of the line", E_INVAL);
		if (c == '\\')
			c = *r++;
		*w++ = c;
	}
	*w++ = '\0';
	*rp = r;
	*wp = w;
	return E_OK;
}

int shell_split(char *line, char **argv, int max_words, int *argc, const char **err)
{
	char *r = line, *w = line;
	int n = 0;

	*argc = 0;
	argv[0] = NULL;
	for (;;) {
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '\0')
			break;
		if (n >= max_words)
			return split_fail(err, "too many words", E_NOSPACE);
		argv[n++] = w;
		int e = split_word(&r, &w, err);
		if (e)
			return e;
	}
	argv[n] = NULL;
	*argc = n;
	return E_OK;
}

/* ---- commands ---- */

static const struct shell_command builtin_help = {
	"help", "list the commands, or explain one: help [command]", shell_cmd_help};

static const struct shell_command *find_command(const struct shell *sh, const char *name)
{
	for (size_t i = 0; i < sh->cfg.command_count; i++)
		if (strcmp(sh->cfg.commands[i].name, name) == 0)
			return &sh->cfg.commands[i];
	if (strcmp(name, builtin_help.name) == 0)
		return &builtin_help;
	return NULL;
}

static int run_words(struct shell *sh)
{
	int argc;
	const char *err = NULL;
	int e = shell_split(sh->words, sh->argv, SHELL_ARGS_MAX, &argc, &err);

	if (e == E_NOSPACE) {
		shell_printf(sh, "syntax error: %s (at most %d)\n", err, SHELL_ARGS_MAX);
		return e;
	}
	if (e) {
		shell_printf(sh, "syntax error: %s\n", err);
		return e;
	}
	if (argc == 0)
		return 0;
	const struct shell_command *cmd = find_command(sh, sh->argv[0]);
	if (!cmd) {
		shell_printf(sh, "unknown command '%s' (try help)\n", sh->argv[0]);
		return E_NOENT;
	}
	return cmd->fn(sh, argc, sh->argv);
}

int shell_execute(struct shell *sh, const char *line)
{
	size_t n = strnlen(line, SHELL_LINE_MAX + 1);

	if (sh->executing)
		return E_BUSY;
	if (n > SHELL_LINE_MAX) {
		shell_printf(sh, "syntax error: line longer than %d characters\n", SHELL_LINE_MAX);
		return E_INVAL;
	}
	memcpy(sh->words, line, n + 1);
	sh->executing = true;
	int status = run_words(sh);
	sh->executing = false;
	return status;
}

static void help_line(struct shell *sh, const struct shell_command *c)
{
	shell_printf(sh, "  %-*s %s\n", HELP_NAME_WIDTH, c->name, c->help ? c->help : "");
}

int shell_cmd_help(struct shell *sh, int argc, char **argv)
{
	if (argc > 2) {
		shell_printf(sh, "usage: help [command]\n");
		return E_INVAL;
	}
	if (argc == 2) {
		const struct shell_command *c = find_command(sh, argv[1]);
		if (!c) {
			shell_printf(sh, "help: no command '%s'\n", argv[1]);
			return E_NOENT;
		}
		shell_printf(sh, "%s: %s\n", c->name, c->help ? c->help : "");
		return 0;
	}
	shell_printf(sh, "commands:\n");
	for (size_t i = 0; i < sh->cfg.command_count; i++)
		help_line(sh, &sh->cfg.commands[i]);
	if (find_command(sh, builtin_help.name) == &builtin_help)
		help_line(sh, &builtin_help);
	return 0;
}

int shell_cmd_echo(struct shell *sh, int argc, char **argv)
{
	bool newline = !(argc > 1 && strcmp(argv[1], "-n") == 0);

	for (int i = newline ? 1 : 2; i < argc; i++)
		shell_printf(sh, "%s%s", argv[i], i + 1 < argc ? " " : "");
	if (newline)
		shell_printf(sh, "\n");
	return 0;
}

/* ---- state ---- */

const char *shell_line(const struct shell *sh, size_t *cursor)
{
	if (cursor)
		*cursor = sh->cursor;
	return sh->line;
}

void *shell_context(const struct shell *sh)
{
	return sh->cfg.ctx;
}

int shell_last_status(const struct shell *sh)
{
	return sh->status;
}

bool shell_interrupted(const struct shell *sh)
{
	return sh->interrupted;
}

void shell_job_begin(struct shell *sh)
{
	if (sh->running)
		sh->job = true;
}

void shell_job_end(struct shell *sh, int status)
{
	if (!sh->job)
		return;
	sh->job = false;
	sh->status = status;
	shell_prompt(sh);
}
