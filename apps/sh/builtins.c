/* SPDX-License-Identifier: MIT */
/*
 * sh's builtins: only what must change the shell itself. cd [dir] (HOME
 * without one; sets PWD once its volume says dir is a directory), pwd, exit [n],
 * export NAME=value or NAME..., unset NAME..., jobs, and kill %N|PID...:
 * a job of this shell (all of its pipeline) by the handles sh holds, a
 * pid through the loader as the kill program does (proc_kill_pid).
 */
#include <stdlib.h>
#include <string.h>

#include "../proc/proc.h"
#include "sh.h"
#include "sys/errors.h"
#include "sys/stdio.h"

static int cd(const struct sh_cmd *c)
{
	const char *to = c->argc > 1 ? c->argv[1] : getenv("HOME");
	char path[FS_PATH_MAX];
	struct fs_stat st;

	if (c->argc > 2) {
		dprintf(2, "cd: too many arguments\n");
		return 2;
	}
	long err = sh_path(to ? to : "/", path, sizeof(path));
	if (err == E_OK && strcmp(path, "/") != 0) {
		err = sh_stat(path, &st);
		if (err == E_OK && !(st.attr & FS_STAT_DIR))
			err = E_NOTDIR;
	}
	if (err == E_OK)
		err = setenv("PWD", path, 1);
	if (err != E_OK) {
		dprintf(2, "cd: %s: %s\n", to, vfs_strerror(err));
		return 1;
	}
	return 0;
}

static int pwd(const struct sh_cmd *c)
{
	const char *p = getenv("PWD");

	(void)c;
	printf("%s\n", p ? p : "/");
	return 0;
}

static int exit_(const struct sh_cmd *c)
{
	sh.exiting = true;
	sh.exit_code = c->argc > 1 ? atoi(c->argv[1]) : sh.status;
	return sh.exit_code;
}

static int export_(const struct sh_cmd *c)
{
	int status = 0;

	for (int i = 1; i < c->argc; i++) {
		char *eq = strchr(c->argv[i], '=');
		if (!eq)
			continue; /* every variable is passed on already */
		*eq = '\0';
		if (setenv(c->argv[i], eq + 1, 1) != 0) {
			dprintf(2, "export: bad name '%s'\n", c->argv[i]);
			status = 1;
		}
		*eq = '=';
	}
	return status;
}

static int unset(const struct sh_cmd *c)
{
	for (int i = 1; i < c->argc; i++)
		unsetenv(c->argv[i]);
	return 0;
}

static int jobs(const struct sh_cmd *c)
{
	(void)c;
	sh_reap_jobs(true);
	for (int j = 0; j < SH_JOBS_MAX; j++)
		if (sh.jobs[j].used)
			printf("[%d] Running %s\n", j + 1, sh.jobs[j].text);
	return 0;
}

static int kill_(const struct sh_cmd *c)
{
	int status = 0;

	if (c->argc < 2) {
		dprintf(2, "usage: kill %%JOB|PID...\n");
		return 2;
	}
	for (int i = 1; i < c->argc; i++)
		status |= c->argv[i][0] == '%' ? sh_kill_job(c->argv[i])
					       : proc_kill_pid(sh.loader, c->argv[i]);
	return status;
}

static const struct {
	const char *name;
	int (*fn)(const struct sh_cmd *c);
} builtins[] = {
	{"cd", cd},	  {"pwd", pwd},	  {"exit", exit_}, {"export", export_},
	{"unset", unset}, {"jobs", jobs}, {"kill", kill_},
};

bool sh_is_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return true;
	return false;
}

int sh_builtin(const struct sh_cmd *c)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, c->argv[0]) == 0)
			return builtins[i].fn(c);
	return 127;
}

const char *sh_builtin_name(int i)
{
	return i >= 0 && (size_t)i < sizeof(builtins) / sizeof(builtins[0]) ? builtins[i].name
									    : NULL;
}
