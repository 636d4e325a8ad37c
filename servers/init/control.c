/* SPDX-License-Identifier: MIT */
/*
 * The svc protocol's control ops (proto/svc.h; the library has checked
 * every name and fault request already), served on the endpoint ns hands
 * out as "svc": list, status, stop, start, restart, fault injection, which
 * init passes on to the server itself (libsys answers it there) with a send
 * that expects no reply, and shutdown. The start-up op (SVC_BOOT) is
 * supervisor.c's.
 */
#include "init.h"
#include "sys/stdio.h"

static long list(void *ctx, uint32_t first, struct svc_entry *out, uint32_t max, uint32_t *total)
{
	uint32_t n = 0;

	(void)ctx;
	for (uint32_t i = first; i < sup.count && n < max; i++)
		service_entry(&sup.services[i], &out[n++]);
	*total = sup.count;
	return n;
}

static long status(void *ctx, const char *name, struct svc_entry *out)
{
	struct service *s = service_by_name(name);

	(void)ctx;
	if (!s)
		return E_NOENT;
	service_entry(s, out);
	return E_OK;
}

/* Do `act` to the service called name; E_NOENT if there is none. */
static long act_on(const char *name, void (*act)(struct service *s))
{
	struct service *s = service_by_name(name);

	if (!s)
		return E_NOENT;
	act(s);
	return E_OK;
}

static void start_if_down(struct service *s)
{
	if (s->state != SVC_STARTING && s->state != SVC_RUNNING)
		life_restart(s); /* from scratch: its failures are forgotten */
}

static long stop(void *ctx, const char *name)
{
	(void)ctx;
	return act_on(name, life_stop);
}

static long start(void *ctx, const char *name)
{
	(void)ctx;
	return act_on(name, start_if_down);
}

static long restart(void *ctx, const char *name)
{
	(void)ctx;
	return act_on(name, life_restart);
}

/* Pass a fault on to the running instance, which obeys it from badge 0 (ours). */
static long fault(void *ctx, const char *name, const struct svc_fi_request *fi)
{
	static const uint16_t labels[SVC_FAULTS] = {SVC_FI_CRASH, SVC_FI_HANG, SVC_FI_LEAK,
						    SVC_FI_CORRUPT, SVC_FI_FLIP};
	struct service *s = service_by_name(name);

	(void)ctx;
	if (!s)
		return E_NOENT;
	if (s->state != SVC_RUNNING || s->m.serves_count == 0)
		return E_CLOSED;
	struct ipc_msg m = {.tag = IPC_TAG(labels[fi->fault], 2, 0, 0), .w = {fi->kind, fi->after}};
	bool ends = fi->fault <= SVC_FAULT_LEAK; /* corrupt and flip may leave it running */
	s->fault_injected = ends;
	long err = ipc_send(s->eps[0], &m, INIT_FI_SEND_TIMEOUT);
	if (err < 0)
		s->fault_injected = false;
	return err;
}

/*
 * Stop the system: init's exit ends it (the kernel stops the machine). No
 * server keeps unsynced data yet, so none is asked to save anything first.
 */
static long shutdown(void *ctx)
{
	(void)ctx;
	printf("init: shutdown requested\n");
	sys_process_exit(0);
}

const struct svc_ops init_svc_ops = {
	.list = list,
	.status = status,
	.stop = stop,
	.start = start,
	.restart = restart,
	.fault = fault,
	.shutdown = shutdown,
	.boot = sup_boot_grant,
};
