/* SPDX-License-Identifier: MIT */
/*
 * run and bench: start a program through the loader (proto/loader.h) and
 * wait for it as a shell job. The command returns as soon as the program
 * runs; a thread of ours waits for its exit code and signals the host,
 * which calls cmd_job_finished to print the code and give the prompt back.
 * Ctrl-C meanwhile kills the program. The program writes its own output to
 * the kernel's console, which is the same serial line.
 *
 * A name that starts with '/' is a program on the disk, which the loader
 * reads itself (an exec session by path, loader_exec_path); any other name
 * is a boot module or, failing that, /bin/NAME (the loader's PATH).
 *
 * A program started here gets the loader as "parent" (so it can start
 * programs of its own, as ipcbench does) and, from the loader, "ns". It
 * runs at the default priority, below the console's threads, so a program
 * that spins cannot keep Ctrl-C from being read.
 */
#include <string.h>

#include "commands.h"
#include "proto/loader.h"
#include "sys/exit.h"
#include "sys/spawn.h"
#include "sys/sys.h"
#include "sys/thread.h"
#include "sys/units.h"

#define SPAWN_TIMEOUT_NS (5000 * MS) /* a hung loader must not hold the shell */
#define FAULT_VECTORS	 256

/* The waiting thread: the job's exit code, then the host's notification. */
static void wait_for_job(void *arg)
{
	struct cmd_env *env = arg;
	int64_t code = 0;
	long err = sys_process_wait(env->job.process, TIMEOUT_NEVER, &code);

	env->job.code = err < 0 ? err : code;
	sys_ntfn_signal(env->events, env->job_bit);
}

static int spawn_failed(struct shell *sh, const char *verb, const char *name, long err, int elf_err)
{
	if (err == E_NOENT)
		shell_printf(sh, "%s: no program called '%s'\n", verb, name);
	else if (err == E_NOEXEC || err == E_ISDIR)
		shell_printf(sh, "%s: %s: %s\n", verb, name,
			     err == E_ISDIR ? "is a directory" : "not an executable program");
	else if (err == E_INVAL && elf_err)
		shell_printf(sh, "%s: '%s' is not a program the loader takes (ELF error %d)\n",
			     verb, name, elf_err);
	else if (err == E_RESTARTED)
		shell_printf(sh, "%s: the loader restarted while starting %s; try again\n", verb,
			     name);
	else
		shell_printf(sh, "%s: cannot start %s: %s\n", verb, name, sys_error_name(err));
	return (int)err;
}

/* Make the started process the shell's job, with a thread waiting for its end. */
int cmd_job_watch(struct shell *sh, const char *verb, const char *name, handle_t process)
{
	struct cmd_env *env = cmd_env_of(sh);

	env->job = (struct cmd_job){.process = process, .verb = verb};
	strlcpy(env->job.name, name, sizeof(env->job.name));
	long err = thread_spawn(wait_for_job, env, env->priority, NULL);
	if (err < 0) {
		shell_printf(sh, "%s: cannot wait for %s: %s\n", verb, name, sys_error_name(err));
		sys_process_kill(process);
		sys_handle_close(process);
		env->job.process = HANDLE_INVALID;
		return (int)err;
	}
	shell_job_begin(sh);
	return 0;
}

/* The program whose file is a->program (a path), found and read by the loader. */
static long start_from_disk(const struct cmd_env *env, struct loader_spawn_args *a, int *elf_err)
{
	const struct loader_exec_handle parent = {"parent", env->loader};
	const char *slash = strrchr(a->program, '/');
	const struct loader_exec_args x = {
		.program = a->program,
		.argc = a->argc,
		.argv = a->argv,
		.priority = a->priority,
		.handle_count = 1,
		.handles = &parent,
		.timeout = a->timeout,
	};
	long p = loader_exec_path(env->loader, &x, elf_err);

	a->program = slash[1] ? slash + 1 : a->program;
	return p;
}

/* Start argv[0] with the rest as its arguments, as a job of `verb`. */
static int start_job(struct shell *sh, const char *verb, int argc, char **argv)
{
	const struct cmd_env *env = cmd_env_of(sh);
	struct loader_spawn_args a = {
		.program = argv[0],
		.argc = argc - 1,
		.argv = (const char *const *)argv + 1,
		.priority = SPAWN_DEFAULT_PRIORITY,
		.give = env->loader, /* the program's "parent" */
		.timeout = SPAWN_TIMEOUT_NS,
	};
	int elf_err = 0;

	if (env->loader == HANDLE_INVALID) {
		shell_printf(sh, "%s: no handle to the loader\n", verb);
		return E_NOENT;
	}
	long p = argv[0][0] == '/' ? start_from_disk(env, &a, &elf_err)
				   : loader_spawn_ex(env->loader, &a, &elf_err);
	if (p < 0)
		return spawn_failed(sh, verb, argv[0], p, elf_err);
	return cmd_job_watch(sh, verb, a.program, (handle_t)p);
}

void cmd_job_interrupt(void *ctx)
{
	struct cmd_env *env = ctx;

	if (env->job.process != HANDLE_INVALID)
		sys_process_kill(env->job.process);
}

static void report(struct shell *sh, const struct cmd_job *j)
{
	long code = (long)j->code;

	if (code == EXIT_KILLED)
		shell_printf(sh, "%s: %s killed%s\n", j->verb, j->name,
			     shell_interrupted(sh) ? " (Ctrl-C)" : "");
	else if (code <= EXIT_FAULTED && code > EXIT_FAULTED - FAULT_VECTORS)
		shell_printf(sh, "%s: %s faulted (exception %ld)\n", j->verb, j->name,
			     EXIT_FAULTED - code);
	else
		shell_printf(sh, "%s: %s exited with code %ld\n", j->verb, j->name, code);
}

void cmd_job_finished(struct shell *sh)
{
	struct cmd_job *j = &cmd_env_of(sh)->job;

	if (j->process == HANDLE_INVALID)
		return;
	report(sh, j);
	sys_handle_close(j->process);
	j->process = HANDLE_INVALID;
	shell_job_end(sh, (int)j->code);
}

int cmd_run(struct shell *sh, int argc, char **argv)
{
	if (argc < 2) {
		shell_printf(sh, "usage: run <program> [args...]\n");
		return E_INVAL;
	}
	return start_job(sh, "run", argc - 1, argv + 1);
}

int cmd_bench(struct shell *sh, int argc, char **argv)
{
	char *program[] = {"ipcbench", NULL};

	if (argc != 1) {
		shell_printf(sh, "usage: %s (no arguments)\n", argv[0]);
		return E_INVAL;
	}
	shell_printf(sh, "bench: ipcbench prints the median cost of each case in TSC ticks\n"
			 "bench: (guest instructions under QEMU -icount; ./run bench compares them "
			 "with Linux and seL4)\n");
	return start_job(sh, "bench", 1, program);
}
