/* SPDX-License-Identifier: MIT */
/*
 * Running a parsed line: pipelines one after another as their joins say
 * (';' always, '&&' after a success, '||' after a failure, '&' without
 * waiting), each pipeline's programs started with streams between them,
 * then waited for. Ctrl-C reaches a foreground program as an interrupt on
 * the terminal's stream (its read returns E_INTR); at the second one sh
 * kills whatever of the pipeline still runs. A program that ends by a
 * fault or a kill gets one line on stderr; $? is its exit code (0-255),
 * 130 after Ctrl-C, 137 for another kill, 139 for a fault.
 */
#include <stdlib.h>
#include <string.h>

#include "sh.h"
#include "sys/errors.h"
#include "sys/exit.h"
#include "sys/fmt.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define POLL_NS	     20000000ull   /* how often a waiting sh looks for Ctrl-C */
#define KILL_WAIT_NS 1000000000ull /* how long kill %N waits for a killed program to end */

struct sh_state sh;

static const char *var(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "?") == 0) {
		snprintf(sh.status_text, sizeof(sh.status_text), "%d", sh.status);
		return sh.status_text;
	}
	return getenv(name);
}

/* Another handle to our own descriptor fd's stream for a child, or none. */
static handle_t share_stdio(int fd)
{
	struct stream *s = stdio_stream(fd);
	/* stdin from the prompt's count: a Ctrl-C typed while the program starts is its own */
	long h = !s	   ? E_NOENT
		 : fd == 0 ? stream_dup_seen(s->end, s->interrupts_seen)
			   : stream_dup(s->end);

	return h < 0 ? HANDLE_INVALID : (handle_t)h;
}

static void close_stdio(struct sh_stdio *io)
{
	for (int i = 0; i < 3; i++)
		if (io->h[i] != HANDLE_INVALID)
			sys_handle_close(io->h[i]);
}

static const char *exception_name(long vector)
{
	switch (vector) {
	case 0:
		return "divide error";
	case 6:
		return "invalid opcode";
	case 13:
		return "general protection fault";
	case 14:
		return "page fault";
	default:
		return "exception";
	}
}

/* $? for a process's exit code, with a line on stderr for a fault or a kill. */
static int status_of(const struct sh_proc *p, int64_t code, bool interrupted)
{
	if (code == EXIT_KILLED) {
		if (!interrupted)
			dprintf(2, "%s: killed; exit 137\n", p->name);
		return interrupted ? 130 : 137;
	}
	if (code <= EXIT_FAULTED && code > EXIT_FAULTED - 256) {
		long v = EXIT_FAULTED - code;
		dprintf(2, "%s: %s (exception %ld); exit 139\n", p->name, exception_name(v), v);
		return 139;
	}
	return code >= 0 && code <= 255 ? (int)code : 1;
}

static uint64_t interrupts_now(void)
{
	struct stream *in = stdio_stream(0);

	return in ? stream_interrupts(in) : 0;
}

/* Interrupts the prompt has had: those after it belong to the pipeline that runs now. */
static uint64_t interrupts_before(void)
{
	struct stream *in = stdio_stream(0);

	return in ? in->interrupts_seen : 0;
}

static void kill_all(struct sh_proc *procs, int count)
{
	for (int i = 0; i < count; i++)
		if (procs[i].process != HANDLE_INVALID)
			sys_process_kill(procs[i].process);
}

/* Wait for every process of a foreground pipeline; $? from the last. */
static int wait_all(struct sh_proc *procs, int count)
{
	uint64_t base = interrupts_before(); /* not now: a Ctrl-C may come while it starts */
	int status = 0;
	bool killed = false;

	for (int i = 0; i < count; i++) {
		int64_t code = 0;
		long err;
		if (procs[i].process == HANDLE_INVALID)
			continue;
		while ((err = sys_process_wait(procs[i].process, POLL_NS, &code)) == E_TIMEOUT)
			if (!killed && interrupts_now() >= base + 2) {
				kill_all(procs + i, count - i);
				killed = true;
			}
		int st = err < 0 ? 1 : status_of(&procs[i], code, interrupts_now() > base);
		if (i == count - 1)
			status = st;
		sys_handle_close(procs[i].process);
		procs[i].process = HANDLE_INVALID;
	}
	if (killed || interrupts_now() > base)
		dprintf(2, "^C\n");
	struct stream *in = stdio_stream(0);
	if (in)
		in->interrupts_seen = stream_interrupts(in); /* the program's, not the prompt's */
	return status;
}

/* The streams of command i of n: the pipes around it, else ours (none for background stdin). */
static long plumb(const handle_t pipes[][2], int i, int n, bool bg, struct sh_stdio *io)
{
	io->h[0] = i > 0 ? pipes[i - 1][0] : bg ? HANDLE_INVALID : share_stdio(0);
	io->h[1] = i < n - 1 ? pipes[i][1] : share_stdio(1);
	io->h[2] = share_stdio(2);
	return E_OK;
}

static long make_pipes(handle_t pipes[][2], int n)
{
	for (int i = 0; i < n; i++) {
		long err = stream_pair(sh.streams, &pipes[i][0], &pipes[i][1]);
		if (err != E_OK) {
			dprintf(2, "sh: cannot make a pipe: %s\n", sys_error_name(err));
			for (int j = 0; j < i; j++)
				sys_handle_close(pipes[j][0]), sys_handle_close(pipes[j][1]);
			return err;
		}
	}
	return E_OK;
}

/* Start every command of p; procs[i] is HANDLE_INVALID for one that did not start. */
static int start_pipeline(const struct sh_pipeline *p, bool bg, struct sh_proc *procs)
{
	handle_t pipes[SH_PIPE_MAX][2];
	int started = 0;

	if (make_pipes(pipes, p->count - 1) != E_OK)
		return 0;
	for (int i = 0; i < p->count; i++) {
		struct sh_stdio io;
		const struct sh_cmd *c = &p->cmds[i];
		plumb(pipes, i, p->count, bg, &io);
		long proc = sh_redirect(c, &io) == E_OK ? sh_launch(c, &io) : E_INVAL;
		close_stdio(&io); /* the child has its own now: ours would keep the ends alive */
		procs[i].process = proc < 0 ? HANDLE_INVALID : (handle_t)proc;
		strlcpy(procs[i].name, c->argv[0], sizeof(procs[i].name));
		started += proc >= 0;
	}
	return started;
}

static void remember_job(const struct sh_pipeline *p, const struct sh_proc *procs)
{
	for (int j = 0; j < SH_JOBS_MAX; j++) {
		struct sh_job *job = &sh.jobs[j];
		if (job->used)
			continue;
		*job = (struct sh_job){.used = true, .count = p->count};
		memcpy(job->procs, procs, sizeof(job->procs[0]) * (size_t)p->count);
		strlcpy(job->text, p->cmds[0].argv[0], sizeof(job->text));
		if (p->count > 1)
			strlcat(job->text, " | ...", sizeof(job->text));
		dprintf(2, "[%d] %s\n", j + 1, job->text);
		return;
	}
	dprintf(2, "sh: too many jobs; waiting for this one\n");
	wait_all((struct sh_proc *)procs, p->count);
}

static int run_pipeline(const struct sh_pipeline *p, bool bg)
{
	struct sh_proc procs[SH_PIPE_MAX];

	if (p->count == 1 && sh_is_builtin(p->cmds[0].argv[0]))
		return sh_builtin(&p->cmds[0]);
	if (start_pipeline(p, bg, procs) == 0) {
		sh_pumps_wait();
		return 127;
	}
	if (bg) {
		remember_job(p, procs);
		return 0;
	}
	int status = wait_all(procs, p->count);
	sh_pumps_wait();
	return status;
}

/*
 * The line is parsed again before each pipeline runs, so that $? and
 * variables are those of that moment (`false; echo $?`). Expansions never
 * make words or operators, so every parse has the same pipelines.
 */
int sh_run_line(const char *line)
{
	static struct sh_list list;
	const char *why;
	bool run = true;

	sh_reap_jobs(true);
	if (sh_parse(line, &list, var, NULL, &why) != 0) {
		dprintf(2, "sh: %s\n", why);
		return sh.status = 2;
	}
	for (int i = 0, count = list.count; i < count && !sh.exiting; i++) {
		if (i > 0 && sh_parse(line, &list, var, NULL, &why) != 0)
			break; /* cannot be: it parsed once */
		const struct sh_pipeline *p = &list.p[i];
		if (run)
			sh.status = run_pipeline(p, p->join == SH_JOIN_BG);
		if (p->join == SH_JOIN_AND)
			run = sh.status == 0;
		else if (p->join == SH_JOIN_OR)
			run = sh.status != 0;
		else
			run = true;
	}
	return sh.status;
}

/* Background jobs that ended: reported ("[n] Done text", "[n] Killed text") and forgotten. */
void sh_reap_jobs(bool report)
{
	for (int j = 0; j < SH_JOBS_MAX; j++) {
		struct sh_job *job = &sh.jobs[j];
		int running = 0;
		for (int i = 0; job->used && i < job->count; i++) {
			int64_t code;
			if (job->procs[i].process == HANDLE_INVALID)
				continue;
			if (sys_process_wait(job->procs[i].process, 0, &code) == E_TIMEOUT) {
				running++;
				continue;
			}
			job->killed |= code == EXIT_KILLED;
			sys_handle_close(job->procs[i].process);
			job->procs[i].process = HANDLE_INVALID;
		}
		if (job->used && running == 0) {
			if (report)
				dprintf(2, "[%d] %s %s\n", j + 1, job->killed ? "Killed" : "Done",
					job->text);
			job->used = false;
		}
	}
}

/*
 * sh holds each job's process handles, so it kills them itself (no pid to
 * look up, none that could have been reused). The wait is bounded: the
 * next reap reports the job as killed once its programs have ended.
 */
int sh_kill_job(const char *word)
{
	int n = sh_job_number(word);
	struct sh_job *job = n >= 1 && n <= SH_JOBS_MAX ? &sh.jobs[n - 1] : NULL;

	if (!job || !job->used) {
		dprintf(2, "kill: %s: no such job\n", word);
		return 1;
	}
	kill_all(job->procs, job->count);
	for (int i = 0; i < job->count; i++) {
		int64_t code;
		if (job->procs[i].process != HANDLE_INVALID)
			sys_process_wait(job->procs[i].process, KILL_WAIT_NS, &code);
	}
	return 0;
}

void sh_hang_up(void)
{
	for (int j = 0; j < SH_JOBS_MAX; j++)
		if (sh.jobs[j].used)
			kill_all(sh.jobs[j].procs, sh.jobs[j].count);
	sh_reap_jobs(false);
}
