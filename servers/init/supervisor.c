/* SPDX-License-Identifier: MIT */
/*
 * The supervisor loop: one endpoint, one thread. Everything arrives here
 * and the badge says what it is (init.h): the kernel's fault and exit
 * notices and the back-off timer are not calls and get no reply; the
 * start-up requests of new instances, name lookups, control requests and
 * the heartbeat thread's reports are calls, answered before the next
 * receive. A request that fits none of these gets an error, never silence,
 * so no client can leave the supervisor with an unanswered call.
 */
#include <string.h>

#include "init.h"
#include "sys/exit.h"
#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/stdio.h"

long sup_init(void)
{
	long ep = sys_ep_create();
	long timer = sys_ntfn_create();

	if (ep < 0 || timer < 0)
		return ep < 0 ? ep : timer;
	sup.ep = (handle_t)ep;
	sup.timer = (handle_t)timer;
	long err = sys_ep_bind(sup.ep, sup.timer);
	return err < 0 ? err : services_load();
}

/* The loader first: every other service is started through it. */
void sup_boot(void)
{
	life_start(sup.loader);
	for (uint32_t i = 0; i < sup.count; i++) {
		struct service *s = &sup.services[i];
		if (s != sup.loader && s->m.autostart)
			life_start(s);
	}
}

static struct service *service_of(uint64_t badge)
{
	uint32_t index = BADGE_INDEX(badge);

	return index < sup.count ? &sup.services[index] : NULL;
}

/* A notice about the instance the badge names; stale ones (an older instance) are dropped. */
static struct service *current_instance(uint64_t badge)
{
	struct service *s = service_of(badge);

	if (!s || BADGE_GEN(badge) != s->generation || s->process == HANDLE_INVALID)
		return NULL;
	return s;
}

static const char *vector_name(uint64_t vector)
{
	switch (vector) {
	case 0:
		return "#DE";
	case 6:
		return "#UD";
	case 13:
		return "#GP";
	case 14:
		return "#PF";
	default:
		return "exception";
	}
}

static void on_notice(const struct ipc_msg *m)
{
	struct service *s = current_instance(m->badge);
	char why[120];

	if (!s)
		return;
	if (IPC_TAG_LABEL(m->tag) == IPC_LABEL_FAULT) {
		snprintf(why, sizeof(why), "faulted: %s (vector %lu) at rip %#lx addr %#lx",
			 vector_name(m->w[0]), (unsigned long)m->w[0], (unsigned long)m->w[3],
			 (unsigned long)m->w[2]);
		life_ended(s, END_FAULT, EXIT_FAULT_CODE((int64_t)m->w[0]), why);
	} else {
		snprintf(why, sizeof(why), "exited with code %ld", (long)m->w[0]);
		life_ended(s, END_EXIT, (int64_t)m->w[0], why);
	}
}

/* SVC_BOOT from a new instance: its index-th start handle (and the geometry it comes with). */
static long on_boot(struct ipc_msg *m, handle_t *close_after)
{
	struct service *s = current_instance(m->badge);
	struct grant g;

	if (IPC_TAG_LABEL(m->tag) != SVC_BOOT)
		return E_NOSYS;
	if (!s || s->state != SVC_STARTING)
		return E_CLOSED; /* an instance that is already gone */
	long err = m->w[0] < START_MAX_HANDLES ? service_handle(s, (uint32_t)m->w[0], &g) : E_NOENT;
	if (err == E_NOENT)
		life_boot_done(s);
	if (err < 0)
		return err;
	size_t n = strlen(g.name) + 1;
	memcpy(ipc_buffer()->data, g.name, n);
	m->w[0] = g.size;
	memcpy(&m->w[1], g.geometry, g.geometry_words * sizeof(uint64_t));
	m->cap = g.handle;
	*close_after = g.handle;
	m->tag = IPC_TAG(0, 1 + g.geometry_words, 1, n);
	return E_OK;
}

static long on_heartbeat(const struct ipc_msg *m)
{
	struct service *s = service_of(m->w[0]);

	if (IPC_TAG_LABEL(m->tag) != INIT_HUNG || !s)
		return E_INVAL;
	if ((uint32_t)m->w[1] == s->generation && s->state == SVC_RUNNING &&
	    s->process != HANDLE_INVALID)
		life_ended(s, END_HUNG, 0, "missed its heartbeat");
	return E_OK;
}

/* Handle a call in place: m becomes the reply; the status goes in its label. */
static void handle_call(struct ipc_msg *m, handle_t *close_after)
{
	uint64_t in_tag = m->tag;
	long status;

	if (IPC_TAG_CAP(in_tag)) /* no request of ours takes one: do not keep it */
		sys_handle_close(m->cap);
	switch (BADGE_KIND(m->badge)) {
	case BADGE_BOOT:
		status = on_boot(m, close_after);
		break;
	case BADGE_NS:
		status = names_request(m, close_after);
		break;
	case BADGE_CONTROL:
		status = control_request(m);
		break;
	case BADGE_HEARTBEAT:
		status = on_heartbeat(m);
		break;
	default:
		status = E_RIGHTS;
	}
	if (m->tag == in_tag || status < 0)
		m->tag = 0; /* the handler did not build a reply: status only */
	m->tag = IPC_TAG((uint16_t)status, IPC_TAG_WORDS(m->tag),
			 IPC_TAG_CAP(m->tag) && status == 0, IPC_TAG_BYTES(m->tag));
}

static void reply(struct ipc_msg *m, handle_t close_after)
{
	long err = ipc_reply(HANDLE_INVALID, m);

	if (err < 0 && err != E_INVAL) { /* E_INVAL: the caller is gone already */
		struct ipc_msg e = {.tag = IPC_TAG((uint16_t)err, 0, 0, 0)};
		ipc_reply(HANDLE_INVALID, &e);
	}
	if (close_after != HANDLE_INVALID)
		sys_handle_close(close_after);
}

/* Notices and the timer: not calls. */
static bool is_event(const struct ipc_msg *m)
{
	uint32_t label = IPC_TAG_LABEL(m->tag), kind = BADGE_KIND(m->badge);

	return (kind == 0 && label == IPC_LABEL_NOTIFY) ||
	       (kind == BADGE_NOTICE && (label == IPC_LABEL_FAULT || label == IPC_LABEL_EXIT));
}

void sup_run(void)
{
	struct ipc_msg m;

	for (;;) {
		if (sup.timers_dirty)
			life_arm_timer();
		long err = ipc_recv(sup.ep, &m, TIMEOUT_NEVER);
		if (err == E_BUSY) { /* a client sent a call posing as an event */
			struct ipc_msg e = {.tag = IPC_TAG((uint16_t)E_INVAL, 0, 0, 0)};
			ipc_reply(HANDLE_INVALID, &e);
			continue;
		}
		if (err < 0)
			continue;
		if (!is_event(&m)) {
			handle_t close_after = HANDLE_INVALID;
			handle_call(&m, &close_after);
			reply(&m, close_after);
		} else if (IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY) {
			if (m.badge & TIMER_BIT)
				life_timer();
		} else {
			on_notice(&m);
		}
	}
}
