/* SPDX-License-Identifier: MIT */
/*
 * sh: the shell as a program. Its pieces:
 *   main.c      the prompt: libsys/shell's line editor over stdin and stdout
 *   parse.c     the command line into pipelines (pure; test_parse.c)
 *   run.c       running a parsed line: joins, pipelines, waiting, Ctrl-C
 *   launch.c    starting one program: found on PATH on fs0, streams as
 *               its stdin/stdout/stderr, the environment as "env"
 *   redirect.c  '<', '>', '>>', '2>' through threads that copy a stream
 *               from or to a file on fs0
 *   builtins.c  what must change the shell itself: cd, exit, export,
 *               unset, jobs, pwd; and kill, which must see the jobs
 *   files.c     fs0 for sh: paths against PWD, reading a whole file
 *   complete.c  Tab: commands from PATH and builtins, paths on fs0
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"
#include "proto/fs.h"
#include "proto/stream.h"
#include "sys/handle.h"
#include "sys/vfs.h"

#define SH_JOBS_MAX 8
#define SH_TERM	    "xterm-256color" /* TERM on the GUI terminal: the xterm subset of vt.h */

/* A program started for a pipeline. */
struct sh_proc {
	handle_t process;
	char name[32];
};

struct sh_job {
	bool used;
	int count;
	struct sh_proc procs[SH_PIPE_MAX];
	bool killed;   /* one of its programs ended by a kill: "Killed", not "Done" */
	char text[64]; /* the command, for `jobs` */
};

struct sh_state {
	handle_t loader;  /* "parent": how programs are started */
	handle_t streams; /* the stream server */
	int status;	  /* $? */
	bool exiting;
	int exit_code;
	struct sh_job jobs[SH_JOBS_MAX];
	char status_text[12];
};

extern struct sh_state sh;

/* The three streams a program gets, as handles to give it (HANDLE_INVALID: none). */
struct sh_stdio {
	handle_t h[3];
};

/* run.c */
int sh_run_line(const char *line);
void sh_reap_jobs(bool report);
void sh_hang_up(void); /* sh ends: its background jobs are killed */
/* kill %N: every program of job N killed and waited for (briefly); 0, or 1 after a line on stderr.
 */
int sh_kill_job(const char *word);
/* launch.c: a started process or a negative error (reported to stderr). */
long sh_launch(const struct sh_cmd *c, const struct sh_stdio *io);
/* builtins.c: whether argv[0] is a builtin; sh_builtin runs it (its status). */
bool sh_is_builtin(const char *name);
const char *sh_builtin_name(int i); /* the i-th builtin's name, NULL past the last */
/* complete.c: Tab in the editor (shell_config.complete). */
struct shell;
void sh_complete(struct shell *ed, const char *line, size_t cursor);
int sh_builtin(const struct sh_cmd *c);
/* redirect.c: the stream ends for a command's redirections, started pumping. */
long sh_redirect(const struct sh_cmd *c, struct sh_stdio *io);
void sh_pumps_wait(void);
/* files.c: every vfs call (sys/vfs.h) is made under sh_fs_lock (pumps are threads). */
long sh_path(const char *name, char *out, size_t size); /* absolute, against PWD */
long sh_stat(const char *path, struct fs_stat *st);	/* takes the lock */
void sh_fs_lock(void);
void sh_fs_unlock(void);
long sh_load(const char *path, handle_t *image, uint64_t *size);
