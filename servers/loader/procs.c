/* SPDX-License-Identifier: MIT */
/*
 * The loader's process table: every program it starts (by LOADER_SPAWN
 * without LOADER_F_BOOTSTRAP, or by an exec session) is remembered here
 * with its pid, its name and the badge of the client that asked, until it
 * has exited. The loader keeps its own handle to each (a copy with every
 * right), so it can ask the kernel about it (SYS_PROCESS_INFO) and end it
 * (SYS_PROCESS_KILL): that is all ps and kill need. Services are the
 * supervisor's, not listed here. An entry is reaped when the next program
 * starts, or a list or a kill looks at it, and finds it exited: no exit
 * notice is needed, and an exited program's process object is held only
 * until the loader's next request of that kind. With
 * LOADER_MAX_PROCS programs alive a new one still starts but is not
 * listed: starting matters more than listing.
 */
#include <string.h>

#include "loader.h"
#include "sys/errors.h"

/* Whether the program in slot p has gone (exited, or its handle says nothing any more). */
static bool proc_gone(const struct loader_env *env, const struct loader_proc *p,
		      struct process_info *info)
{
	return env->process_info(p->process, info) < 0 || info->state == PROCESS_EXITED;
}

static void proc_forget(const struct loader_env *env, struct loader_proc *p)
{
	env->close(p->process);
	p->process = HANDLE_INVALID;
}

/* Forget every program that has exited. */
static void procs_reap(struct loader_env *env)
{
	struct process_info info;

	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++) {
		struct loader_proc *p = &env->procs[i];
		if (p->process != HANDLE_INVALID && proc_gone(env, p, &info))
			proc_forget(env, p);
	}
}

static struct loader_proc *procs_free_slot(struct loader_env *env)
{
	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++)
		if (env->procs[i].process == HANDLE_INVALID)
			return &env->procs[i];
	return NULL;
}

void loader_procs_init(struct loader_env *env)
{
	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++)
		env->procs[i].process = HANDLE_INVALID;
}

void loader_procs_add(struct loader_env *env, handle_t child, uint64_t badge)
{
	struct process_info info;

	procs_reap(env); /* so the exited go at the next start, not only at a list */
	struct loader_proc *p = procs_free_slot(env);
	long own = p ? env->dup(child, R_ALL) : E_NOSPACE;
	if (own < 0)
		return; /* it runs, unlisted (above) */
	*p = (struct loader_proc){.process = (handle_t)own, .badge = badge};
	if (proc_gone(env, p, &info)) {
		proc_forget(env, p);
		return;
	}
	p->pid = info.pid;
	memcpy(p->name, info.name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
}

long loader_list_op(void *ctx, uint64_t first, struct loader_proc_entry *out, uint32_t max,
		    uint32_t *total)
{
	struct loader_env *env = ctx;
	struct process_info info;
	uint32_t n = 0, seen = 0;

	procs_reap(env);
	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++) {
		const struct loader_proc *p = &env->procs[i];
		if (p->process == HANDLE_INVALID || seen++ < first || n == max)
			continue;
		if (env->process_info(p->process, &info) < 0)
			info.state = PROCESS_EXITED; /* gone between the reap and now */
		out[n] = (struct loader_proc_entry){
			.pid = p->pid, .badge = p->badge, .state = info.state};
		memcpy(out[n++].name, p->name, sizeof(p->name));
	}
	*total = seen;
	return n;
}

long loader_kill_op(void *ctx, uint64_t pid)
{
	struct loader_env *env = ctx;

	procs_reap(env); /* an exited program is no more: E_NOENT */
	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++) {
		struct loader_proc *p = &env->procs[i];
		if (p->process == HANDLE_INVALID || p->pid != pid)
			continue;
		long err = env->process_kill(p->process);
		if (err == E_OK)
			proc_forget(env, p);
		return err;
	}
	return E_NOENT;
}
