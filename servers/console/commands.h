/* SPDX-License-Identifier: MIT */
/*
 * The console's shell commands, apart from the device that hosts them: the
 * serial console (main.c) hosts them today, a GUI terminal can host the
 * same table later. A host keeps one struct cmd_env, passes it as the
 * shell's context (shell_config.ctx), and gives the commands its handles.
 *
 *   cmd_system.c  the table; help, echo, mem, ps, svc, shutdown
 *   cmd_run.c     run and bench: a program started through the loader,
 *                 waited for in a thread, killed by Ctrl-C
 *   cmd_lspci.c   lspci over ECAM device memory (or the 0xCF8 ports)
 *   cmd_disk.c    disks and blk read: block devices through proto/block.h
 *   cmd_fs.c      ls, cat and df: fs0's files through proto/fs.h
 *   cmd_input.c   input, lsusb and kbd, through the input protocol
 *   cmd_win.c     win: the desktop's windows through proto/display.h
 *   cmd_sh.c      sh: the rescue shell's way to try /bin/sh again now
 *   cmd_term.c    term: the GUI terminals through proto/term.h
 *
 * A program started by `run` is a job (shell_job_begin): the command returns
 * at once and the host keeps reading input, so Ctrl-C can reach it. A thread
 * waits for the program's end and signals `job_bit` on the host's `events`
 * notification; the host then calls cmd_job_finished on its own thread.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "shell/shell.h"
#include "sys/handle.h"
#include "sys/start.h"

#define CMD_JOB_NAME_MAX 32

struct cmd_job {
	handle_t process; /* HANDLE_INVALID: no job */
	const char *verb; /* the command that started it: "run" or "bench" */
	char name[CMD_JOB_NAME_MAX];
	int64_t code; /* exit code (or a wait error), set before job_bit is signalled */
};

struct cmd_env {
	handle_t loader; /* "loader": run, bench (HANDLE_INVALID: not given) */
	handle_t svc;	 /* "svc": ps, svc, shutdown */
	handle_t ecam;	 /* PCI configuration space as device memory, or HANDLE_INVALID */
	uint64_t ecam_size;
	handle_t pci_ports;   /* ports 0xCF8-0xCFF when there is no ECAM, or HANDLE_INVALID */
	struct start_pci pci; /* ECAM geometry: base and bus range */
	handle_t events;      /* the host's notification */
	uint64_t job_bit;     /* signalled on it when a job ends */
	unsigned priority;    /* of the threads the commands start */
	struct cmd_job job;
	void (*retry_sh)(void); /* the console's: try /bin/sh again now (NULL: no such host) */
};

extern const struct shell_command cmd_table[];
extern const size_t cmd_table_count;

/* The host's environment, from the shell's context. */
struct cmd_env *cmd_env_of(struct shell *sh);

/* Shell interrupt callback (ctx = the cmd_env): Ctrl-C kills the running job. */
void cmd_job_interrupt(void *ctx);
/* The host saw job_bit: report the job's end and give the prompt back. */
void cmd_job_finished(struct shell *sh);

/* The commands, for the table. */
int cmd_mem(struct shell *sh, int argc, char **argv);
int cmd_ps(struct shell *sh, int argc, char **argv);
int cmd_svc(struct shell *sh, int argc, char **argv);
int cmd_shutdown(struct shell *sh, int argc, char **argv);
int cmd_run(struct shell *sh, int argc, char **argv);
int cmd_bench(struct shell *sh, int argc, char **argv);
int cmd_lspci(struct shell *sh, int argc, char **argv);
int cmd_disks(struct shell *sh, int argc, char **argv);
int cmd_blk(struct shell *sh, int argc, char **argv);
int cmd_ls(struct shell *sh, int argc, char **argv);
int cmd_cat(struct shell *sh, int argc, char **argv);
int cmd_df(struct shell *sh, int argc, char **argv);
int cmd_input(struct shell *sh, int argc, char **argv);
int cmd_lsusb(struct shell *sh, int argc, char **argv);
int cmd_kbd(struct shell *sh, int argc, char **argv);
int cmd_win(struct shell *sh, int argc, char **argv);
/* sh (cmd_sh.c): in the rescue shell, start /bin/sh now (env->retry_sh). */
int cmd_sh(struct shell *sh, int argc, char **argv);
/* Make `process` the shell's job (cmd_run.c): reported and waited for as `run` does. */
int cmd_job_watch(struct shell *sh, const char *verb, const char *name, handle_t process);
int cmd_term(struct shell *sh, int argc, char **argv);
