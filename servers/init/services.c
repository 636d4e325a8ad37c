/* SPDX-License-Identifier: MIT */
/*
 * The service table, from the manifests bundle.c reads, with the objects
 * init keeps for each service across its instances (the endpoints it
 * serves, its "state" memory object); finding a service or an endpoint by
 * name, the handles clients get to init's and the services'
 * endpoints, the start handles each instance gets (made fresh for every
 * instance, with exactly the rights its manifest allows) and the entries
 * `svc list` shows.
 */
#include <string.h>

#include "init.h"
#include "sys/fmt.h"
#include "sys/process.h"

#define PAGE 4096u

struct supervisor sup;

/* The endpoints it serves and its state object: made once, kept for ever. */
static long make_objects(struct service *s)
{
	for (uint8_t j = 0; j < s->m.serves_count; j++) {
		long ep = sys_ep_create();
		if (ep < 0)
			return ep;
		s->eps[j] = (handle_t)ep;
	}
	if (s->m.state_pages) {
		long m = sys_mobj_create((size_t)s->m.state_pages * PAGE, 0);
		if (m < 0)
			return m;
		s->state_mobj = (handle_t)m;
	}
	return E_OK;
}

long services_fill(const struct manifest *manifests, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct service *s = &sup.services[i];
		*s = (struct service){.m = manifests[i],
				      .index = i,
				      .process = HANDLE_INVALID,
				      .backoff_ns = INIT_BACKOFF_MIN};
		long err = make_objects(s);
		if (err < 0)
			return err;
		for (uint8_t j = 0; j < s->m.serves_count; j++)
			if (strcmp(s->m.serves[j], "loader") == 0)
				sup.loader = s;
	}
	sup.count = n;
	if (!sup.loader)
		return E_NOENT;
	sup.loader->is_loader = true;
	return E_OK;
}

struct service *service_by_name(const char *name)
{
	for (uint32_t i = 0; i < sup.count; i++)
		if (strcmp(sup.services[i].m.name, name) == 0)
			return &sup.services[i];
	return NULL;
}

handle_t service_endpoint(const char *name)
{
	for (uint32_t i = 0; i < sup.count; i++)
		for (uint8_t j = 0; j < sup.services[i].m.serves_count; j++)
			if (strcmp(sup.services[i].m.serves[j], name) == 0)
				return sup.services[i].eps[j];
	return HANDLE_INVALID;
}

uint64_t sup_new_badge(void)
{
	return __atomic_add_fetch(&sup.next_badge, 1, __ATOMIC_RELAXED);
}

long service_client_handle(const char *name, uint32_t index)
{
	uint32_t rights = R_SEND | R_GRANT | R_DUP | R_TRANSFER;

	if (strcmp(name, "ns") == 0)
		return sys_ep_mint(sup.ep, BADGE(BADGE_NS, 0, index), R_SEND | R_DUP | R_TRANSFER);
	if (strcmp(name, "svc") == 0)
		return sys_ep_mint(sup.ep, BADGE(BADGE_CONTROL, 0, index),
				   R_SEND | R_DUP | R_TRANSFER);
	handle_t ep = service_endpoint(name);
	return ep == HANDLE_INVALID ? E_NOENT : sys_ep_mint(ep, sup_new_badge(), rights);
}

static bool calls_ns(const struct service *s)
{
	for (uint8_t j = 0; j < s->m.calls_count; j++)
		if (strcmp(s->m.calls[j], "ns") == 0)
			return true;
	return false;
}

/*
 * The start handles of an instance, in order: the endpoints it serves
 * (receive and send), send-only copies of those it calls, "ns" (everyone
 * may look up names), "state" for recovery = memory, then its hardware
 * handles (devices.c).
 */
long service_handle(struct service *s, uint32_t index, struct svc_grant *g)
{
	uint32_t i = index, extra_ns = calls_ns(s) ? 0 : 1;
	uint32_t state = s->state_mobj != HANDLE_INVALID ? 1 : 0;
	const char *name;
	long h;

	*g = (struct svc_grant){0};
	if (i < s->m.serves_count) {
		name = s->m.serves[i];
		h = sys_handle_dup(s->eps[i], R_SEND | R_RECV | R_TRANSFER);
	} else if ((i -= s->m.serves_count) < s->m.calls_count) {
		name = s->m.calls[i];
		h = service_client_handle(name, s->index);
	} else if ((i -= s->m.calls_count) < extra_ns) {
		name = "ns";
		h = service_client_handle(name, s->index);
	} else if ((i -= extra_ns) < state) {
		name = "state";
		g->size = s->m.state_pages * PAGE;
		h = sys_handle_dup(s->state_mobj, R_READ | R_WRITE | R_TRANSFER);
	} else {
		return devices_grant(s, i - state, g);
	}
	snprintf(g->name, sizeof(g->name), "%s", name);
	if (h >= 0)
		g->handle = (handle_t)h;
	return h < 0 ? h : E_OK;
}

uint32_t service_failures_in_window(const struct service *s, uint64_t now)
{
	uint32_t n = 0;

	for (int i = 0; i < INIT_GIVEUP_FAILURES; i++)
		if (s->failures[i] && now - s->failures[i] <= INIT_GIVEUP_WINDOW)
			n++;
	return n;
}

void service_entry(const struct service *s, struct svc_entry *e)
{
	struct process_info info;
	uint64_t now = sys_clock();

	*e = (struct svc_entry){.state = s->state,
				.restarts = s->restarts,
				.pages_quota = s->m.quota_pages,
				.recovery = s->m.recovery};
	snprintf(e->name, sizeof(e->name), "%s", s->m.name);
	e->failures = service_failures_in_window(s, now);
	if (s->process == HANDLE_INVALID)
		return;
	e->pid = s->pid;
	e->uptime_ms = (now - s->started_at) / MS;
	if (sys_process_info(s->process, &info) == E_OK)
		e->pages_used = info.pages_used;
}
