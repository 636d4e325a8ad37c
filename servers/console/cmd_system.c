/* SPDX-License-Identifier: MIT */
/*
 * The console's command table, and the commands that ask the kernel or the
 * supervisor something: mem (SYS_KINFO), ps and svc (the svc protocol,
 * through libsys's svc command line, the same code as the svc program) and
 * shutdown. help and echo are the shell core's own.
 */
#include <string.h>

#include "commands.h"
#include "proto/svc.h"
#include "proto/svc_cli.h"
#include "sys/sys.h"
#include "sys/units.h"

#define FRAME_SHIFT 12
#define MIB_SHIFT   20

const struct shell_command cmd_table[] = {
	{"echo", "print the words: echo [-n] words...", shell_cmd_echo},
	{"mem", "free and total physical memory", cmd_mem},
	{"ps", "the services, their processes and memory", cmd_ps},
	{"svc", "services: svc list | stop|start|restart <name> | fi <name> crash|hang|leak",
	 cmd_svc},
	{"lspci", "list the PCI functions", cmd_lspci},
	{"disks", "list the block devices: size, sectors, model, partitions", cmd_disks},
	{"blk", "dump sectors in hex: blk read <device> <lba> [count]", cmd_blk},
	{"ls", "list a directory of fs0: ls [path]", cmd_ls},
	{"cat", "print a file of fs0: cat <path>", cmd_cat},
	{"df", "fs0's size and free space", cmd_df},
	{"lsusb", "list the USB input devices", cmd_lsusb},
	{"input", "print input events: input [COUNT] (any key ends it)", cmd_input},
	{"kbd", "keyboard: kbd layout us|jp | kbd repeat DELAY_MS RATE", cmd_kbd},
	{"win",
	 "the desktop's windows: win | win move|raise|min|close|size ID ... | win point|key ...",
	 cmd_win},
	{"term", "the GUI terminals: term | term text N | term new", cmd_term},
	{"run", "run a program and wait for it: run <program> [args...] (Ctrl-C kills it)",
	 cmd_run},
	{"bench", "run ipcbench: the cost of IPC round trips", cmd_bench},
	{"sh", "try to start /bin/sh on this line now (the rescue shell ends)", cmd_sh},
	{"shutdown", "stop the system", cmd_shutdown},
};
const size_t cmd_table_count = ARRAY_SIZE(cmd_table);

struct cmd_env *cmd_env_of(struct shell *sh)
{
	return shell_context(sh);
}

/* One usage line when the command takes no arguments; true if it got some. */
static bool extra_words(struct shell *sh, int argc, char **argv)
{
	if (argc == 1)
		return false;
	shell_printf(sh, "usage: %s (no arguments)\n", argv[0]);
	return true;
}

static uint64_t frames_to_mib(uint64_t frames)
{
	return frames >> (MIB_SHIFT - FRAME_SHIFT);
}

int cmd_mem(struct shell *sh, int argc, char **argv)
{
	struct kinfo k;

	if (extra_words(sh, argc, argv))
		return E_INVAL;
	long err = sys_kinfo(&k);
	if (err < 0) {
		shell_printf(sh, "mem: %s\n", sys_error_name(err));
		return (int)err;
	}
	shell_printf(sh, "mem: %lu of %lu frames free (%lu MiB of %lu MiB; frames of 4 KiB)\n",
		     (unsigned long)k.frames_free, (unsigned long)k.frames_total,
		     (unsigned long)frames_to_mib(k.frames_free),
		     (unsigned long)frames_to_mib(k.frames_total));
	return 0;
}

static int to_shell(void *ctx, const char *fmt, va_list ap)
{
	return shell_vprintf(ctx, fmt, ap);
}

/* Whether the supervisor's control endpoint was given; if not, say so. */
static bool have_svc(struct shell *sh, const char *cmd)
{
	if (cmd_env_of(sh)->svc != HANDLE_INVALID)
		return true;
	shell_printf(sh, "%s: no handle to the supervisor (\"svc\")\n", cmd);
	return false;
}

int cmd_ps(struct shell *sh, int argc, char **argv)
{
	const struct svc_cli_out out = {to_shell, sh};

	if (extra_words(sh, argc, argv) || !have_svc(sh, argv[0]))
		return E_INVAL;
	return svc_cli_list(cmd_env_of(sh)->svc, &out);
}

int cmd_svc(struct shell *sh, int argc, char **argv)
{
	const struct svc_cli_out out = {to_shell, sh};

	if (!have_svc(sh, argv[0]))
		return E_INVAL;
	if (argc < 2) {
		shell_printf(sh, "%s", svc_cli_usage);
		return SVC_CLI_USAGE;
	}
	return svc_cli_run(cmd_env_of(sh)->svc, argc - 1, argv + 1, &out);
}

int cmd_shutdown(struct shell *sh, int argc, char **argv)
{
	if (extra_words(sh, argc, argv) || !have_svc(sh, argv[0]))
		return E_INVAL;
	shell_printf(sh, "shutdown: stopping the system\n");
	long err = svc_shutdown(cmd_env_of(sh)->svc);
	shell_printf(sh, "shutdown: refused: %s\n", sys_error_name(err));
	return (int)err;
}
