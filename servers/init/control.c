/* SPDX-License-Identifier: MIT */
/*
 * The control requests of the svc protocol (proto/svc.h), served by the
 * supervisor on the endpoint ns hands out as "svc": list, status, stop,
 * start, restart, fault injection, which init passes on to the server
 * itself (libsys answers it there) with a send that expects no reply, and
 * shutdown.
 */
#include <string.h>

#include "init.h"
#include "sys/stdio.h"

static long list(struct ipc_msg *m)
{
	struct svc_entry *out = (struct svc_entry *)ipc_buffer()->data;
	uint32_t n = 0;

	for (uint64_t i = m->w[0]; i < sup.count && n < SVC_LIST_MAX; i++)
		service_entry(&sup.services[i], &out[n++]);
	m->w[0] = n;
	m->w[1] = sup.count;
	m->tag = IPC_TAG(0, 2, 0, n * sizeof(struct svc_entry));
	return E_OK;
}

static long status(struct service *s, struct ipc_msg *m)
{
	service_entry(s, (struct svc_entry *)ipc_buffer()->data);
	m->tag = IPC_TAG(0, 0, 0, sizeof(struct svc_entry));
	return E_OK;
}

static long start(struct service *s)
{
	if (s->state != SVC_STARTING && s->state != SVC_RUNNING)
		life_restart(s); /* from scratch: its failures are forgotten */
	return E_OK;
}

/* Pass a fault on to the running instance, which obeys it from badge 0 (ours). */
static long inject(struct service *s, const struct ipc_msg *rq)
{
	struct svc_fi_request fi;
	static const uint16_t labels[] = {SVC_FI_CRASH, SVC_FI_HANG, SVC_FI_LEAK};

	memcpy(&fi, rq->w, sizeof(fi));
	if (fi.fault > SVC_FAULT_LEAK || fi.kind >= SVC_CRASH_KINDS)
		return E_INVAL;
	if (s->state != SVC_RUNNING || s->m.serves_count == 0)
		return E_CLOSED;
	struct ipc_msg m = {.tag = IPC_TAG(labels[fi.fault], 2, 0, 0), .w = {fi.kind, fi.after}};
	s->fault_injected = true;
	long err = ipc_send(s->eps[0], &m, INIT_FI_SEND_TIMEOUT);
	if (err < 0)
		s->fault_injected = false;
	return err;
}

/*
 * Stop the system: init's exit ends it (the kernel stops the machine). No
 * server keeps unsynced data yet, so none is asked to save anything first.
 */
__attribute__((noreturn)) static void shutdown(void)
{
	printf("init: shutdown requested\n");
	sys_process_exit(0);
}

long control_request(struct ipc_msg *m)
{
	uint32_t label = IPC_TAG_LABEL(m->tag);

	if (label == SVC_LIST)
		return list(m);
	if (label == SVC_SHUTDOWN)
		shutdown();
	const char *name = request_name(m);
	struct service *s = name ? service_by_name(name) : NULL;
	if (!name)
		return E_INVAL;
	if (!s)
		return E_NOENT;
	switch (label) {
	case SVC_STATUS:
		return status(s, m);
	case SVC_STOP:
		life_stop(s);
		return E_OK;
	case SVC_START:
		return start(s);
	case SVC_RESTART:
		life_restart(s);
		return E_OK;
	case SVC_FI:
		return inject(s, m);
	default:
		return E_NOSYS;
	}
}
