/* SPDX-License-Identifier: MIT */
/*
 * term: the GUI terminals (servers/terminal), through the term protocol
 * (proto/term.h) and the supervisor.
 *
 *   term            each terminal that answers: its number, size, cursor,
 *                   scrollback lines and how far its view is scrolled back
 *   term text N     what terminal N shows, as UTF-8 text, one line per
 *                   row (like `tmux capture-pane -p`), between two lines
 *                   "--- term N ---" and "--- end ---"
 *   term new        open another terminal (terminal2, then terminal3)
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "proto/term.h"
#include "sys/sys.h"

static long endpoint(unsigned n, handle_t *ep)
{
	char name[TERM_ENDPOINT_MAX];

	term_endpoint_name(n, name);
	long h = ns_lookup_self(name);
	if (h < 0)
		return h;
	*ep = (handle_t)h;
	return E_OK;
}

static int term_list(struct shell *sh)
{
	struct term_info info;
	int found = 0;

	shell_printf(sh, "N  COLS ROWS CURSOR  SCROLLBACK VIEW\n");
	for (unsigned n = 1; n <= TERM_INSTANCES; n++) {
		handle_t ep;
		if (endpoint(n, &ep) != E_OK)
			continue;
		if (term_info(ep, &info) == E_OK) {
			shell_printf(sh, "%-2u %-4lu %-4lu %3lu,%-3lu %-10lu %lu\n", n,
				     (unsigned long)info.cols, (unsigned long)info.rows,
				     (unsigned long)(uint32_t)info.cursor,
				     (unsigned long)(info.cursor >> 32),
				     (unsigned long)info.scrollback, (unsigned long)info.view);
			found++;
		}
		sys_handle_close(ep);
	}
	shell_printf(sh, "term: %d terminals\n", found);
	return 0;
}

static int term_print(struct shell *sh, const char *arg)
{
	static char text[IPC_BUF_BYTES + 1];
	unsigned long n = strtoul(arg, NULL, 10);
	uint64_t first = 0, rows;
	handle_t ep;
	long err = n >= 1 && n <= TERM_INSTANCES ? endpoint((unsigned)n, &ep) : E_INVAL;

	if (err < 0) {
		shell_printf(sh, "term: no terminal %s: %s\n", arg, sys_error_name(err));
		return 1;
	}
	shell_printf(sh, "--- term %lu ---\n", n);
	for (struct term_info info = {0}; err == E_OK; first += rows) {
		if (info.rows == 0 && (err = term_info(ep, &info)) < 0)
			break;
		if (first >= info.rows)
			break;
		if ((err = term_text(ep, first, text, sizeof(text), &rows)) == E_OK)
			shell_printf(sh, "%s", text);
	}
	sys_handle_close(ep);
	if (err < 0)
		shell_printf(sh, "term: text of terminal %lu: %s\n", n, sys_error_name(err));
	shell_printf(sh, "--- end ---\n");
	return err < 0;
}

/* Start the first terminal service that is not running. */
static int term_new(struct shell *sh)
{
	const struct cmd_env *env = cmd_env_of(sh);
	char name[SVC_NAME_MAX] = "terminal";

	for (unsigned n = 2; n <= TERM_INSTANCES; n++) {
		struct svc_entry e;
		name[8] = (char)('0' + n);
		if (svc_status(env->svc, name, &e) == E_OK && e.pid != 0)
			continue;
		long err = svc_control(env->svc, SVC_START, name);
		if (err < 0) {
			shell_printf(sh, "term: cannot start %s: %s\n", name, sys_error_name(err));
			return 1;
		}
		shell_printf(sh, "term: started %s (term %u)\n", name, n);
		return 0;
	}
	shell_printf(sh, "term: all %d terminals are open\n", TERM_INSTANCES);
	return 1;
}

int cmd_term(struct shell *sh, int argc, char **argv)
{
	if (argc == 1)
		return term_list(sh);
	if (argc == 3 && strcmp(argv[1], "text") == 0)
		return term_print(sh, argv[2]);
	if (argc == 2 && strcmp(argv[1], "new") == 0)
		return term_new(sh);
	shell_printf(sh, "usage: term | term text N | term new\n");
	return 1;
}
