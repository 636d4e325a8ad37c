/* SPDX-License-Identifier: MIT */
/*
 * The loader's process table: every program it starts (by LOADER_SPAWN
 * without LOADER_F_BOOTSTRAP, or by an exec session) is remembered here
 * with its pid, its name and the badge of the client that asked, until it
 * has exited. The loader keeps its own handle to each (a copy with every
 * right), so it can ask the kernel about it (SYS_PROCESS_INFO) and end it
 * (SYS_PROCESS_KILL): that is all ps and kill need. Services are the
 * supervisor's, not listed here. Each child holds a handle to the loader
 * with a badge of its own (LOADER_END_HANDLE) and nothing else does, so
 * when it ends the kernel sends the loader a client-death notice for that
 * badge and the entry goes at once: the loader holds no ended process
 * (tests count kernel objects after a child ends). Without a notice (no
 * badge could be had) an entry is reaped when the next program starts, or
 * a list or a kill looks at it, and finds it exited. With
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
	if (p->watch)
		env->watch(p->watch, EP_WATCH_CANCEL); /* E_NOENT if its notice is on its way */
	env->close(p->process);
	*p = (struct loader_proc){.process = HANDLE_INVALID};
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

uint32_t loader_procs_end_handle(struct loader_env *env, struct spawn_handle *h, uint64_t *watch)
{
	handle_t own;

	*watch = 0;
	if (!env->mint || env->mint(&own, watch) < 0)
		return 0; /* the child is reaped when the table next looks */
	*h = (struct spawn_handle){LOADER_END_HANDLE, own, R_SEND, 0};
	return 1;
}

/* Arm the notice for the child's end: false if it has ended already. */
static bool watch_child(const struct loader_env *env, struct loader_proc *p, uint64_t watch)
{
	long err = watch ? env->watch(watch, 0) : E_OK;

	p->watch = err == E_OK ? watch : 0;
	return err != E_NOENT;
}

void loader_procs_add(struct loader_env *env, handle_t child, uint64_t badge, uint64_t watch)
{
	struct process_info info;

	procs_reap(env); /* the unwatched exited go at the next start, not only at a list */
	struct loader_proc *p = procs_free_slot(env);
	long own = p ? env->dup(child, R_ALL) : E_NOSPACE;
	if (own < 0)
		return; /* it runs, unlisted (above) */
	*p = (struct loader_proc){.process = (handle_t)own, .badge = badge};
	if (proc_gone(env, p, &info) || !watch_child(env, p, watch)) {
		proc_forget(env, p);
		return;
	}
	p->pid = info.pid;
	memcpy(p->name, info.name, sizeof(p->name));
	p->name[sizeof(p->name) - 1] = '\0';
}

void loader_procs_gone(struct loader_env *env, uint64_t badge)
{
	for (uint32_t i = 0; badge != 0 && i < LOADER_MAX_PROCS; i++) {
		struct loader_proc *p = &env->procs[i];
		if (p->process != HANDLE_INVALID && p->watch == badge) {
			p->watch = 0; /* the notice came: nothing is armed */
			proc_forget(env, p);
		}
	}
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
