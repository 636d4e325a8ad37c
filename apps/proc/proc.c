/* SPDX-License-Identifier: MIT */
/*
 * The process table for ps and kill: one line per process, services first
 * (from the supervisor's list, as `svc list` shows them), then the
 * programs the loader started and that are still alive (LOADER_LIST).
 * Each source is asked separately, so ps still shows the other when one
 * does not answer (a loader restarting, say) and says which one failed.
 */
#include "proc.h"

#include "proto/loader.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/errors.h"
#include "sys/fmt.h"
#include "sys/process.h"
#include "sys/start.h"
#include "sys/stdio.h"

handle_t proc_loader(void)
{
	long h = ns_lookup_self("loader");

	return h < 0 ? start_handle("parent", NULL) : (handle_t)h; /* sh's "parent" is the loader */
}

handle_t proc_svc(void)
{
	long h = ns_lookup_self("svc");

	return h < 0 ? HANDLE_INVALID : (handle_t)h;
}

static const char *program_state(uint32_t state)
{
	switch (state) {
	case PROCESS_RUNNING:
		return "running";
	case PROCESS_FAULTED:
		return "faulted";
	case PROCESS_EXITED:
		return "exited";
	default:
		return "?";
	}
}

/* Page through a list: page() takes the entries from the first-th, returns their count. */
static long each_page(long (*page)(void *ctx, uint32_t first, uint32_t *total), void *ctx)
{
	uint32_t total = 0, first = 0;

	do {
		long n = page(ctx, first, &total);
		if (n <= 0)
			return n;
		first += (uint32_t)n;
	} while (first < total);
	return E_OK;
}

struct service_walk {
	handle_t svc;
	bool (*fn)(void *ctx, const struct svc_entry *e); /* true: stop */
	void *ctx;
	bool stopped;
};

static long service_page(void *ctx, uint32_t first, uint32_t *total)
{
	struct service_walk *w = ctx;
	struct svc_entry e[SVC_LIST_MAX];
	long n = svc_list(w->svc, first, e, SVC_LIST_MAX, total);

	for (long i = 0; i < n && !w->stopped; i++)
		w->stopped = w->fn(w->ctx, &e[i]);
	return w->stopped ? 0 : n;
}

/* Every service the supervisor lists; calls fn with ctx until it returns true. */
static long each_service(handle_t svc, bool (*fn)(void *, const struct svc_entry *), void *ctx)
{
	struct service_walk w = {svc, fn, ctx, false};

	return each_page(service_page, &w);
}

static bool print_service(void *ctx, const struct svc_entry *e)
{
	(void)ctx;
	if (e->pid != 0)
		printf("%5lu  service  %-8s %s\n", (unsigned long)e->pid, svc_state_name(e->state),
		       e->name);
	return false;
}

struct service_query {
	uint64_t pid;
	char *name;
	uint32_t size;
	bool found;
};

static bool match_service(void *ctx, const struct svc_entry *e)
{
	struct service_query *q = ctx;

	if (e->pid != q->pid)
		return false;
	snprintf(q->name, q->size, "%s", e->name);
	q->found = true;
	return true;
}

bool proc_service_of(handle_t svc, uint64_t pid, char *name, uint32_t size)
{
	struct service_query q = {pid, name, size, false};

	return svc != HANDLE_INVALID && each_service(svc, match_service, &q) == E_OK && q.found;
}

static long program_page(void *ctx, uint32_t first, uint32_t *total)
{
	const handle_t *loader = ctx;
	struct loader_proc_entry e[LOADER_LIST_MAX];
	long n = loader_list(*loader, first, e, LOADER_LIST_MAX, total);

	for (long i = 0; i < n; i++)
		printf("%5lu  program  %-8s %s\n", (unsigned long)e[i].pid,
		       program_state(e[i].state), e[i].name);
	return n;
}

int proc_print(handle_t svc, handle_t loader)
{
	long serr = svc == HANDLE_INVALID ? E_NOENT : E_OK;
	long lerr = loader == HANDLE_INVALID ? E_NOENT : E_OK;

	printf("%5s  %-8s %-8s %s\n", "PID", "KIND", "STATE", "NAME");
	if (serr == E_OK)
		serr = each_service(svc, print_service, NULL);
	if (lerr == E_OK)
		lerr = each_page(program_page, &loader);
	if (serr < 0)
		dprintf(2, "ps: no services listed: the supervisor: %s\n", sys_error_name(serr));
	if (lerr < 0)
		dprintf(2, "ps: no programs listed: the loader: %s\n", sys_error_name(lerr));
	return serr < 0 || lerr < 0;
}
