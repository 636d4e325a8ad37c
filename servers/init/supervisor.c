/* SPDX-License-Identifier: MIT */
/*
 * The supervisor endpoint's server, run by libsys's loop (server_run): one
 * endpoint, one thread. Everything arrives here and the badge's kind says
 * what it is (init.h): the kernel's fault and exit notices and the back-off
 * timer are events and get no reply; the heartbeat thread's reports, the
 * start-up requests of new instances, name lookups and control requests
 * are calls, answered before the next receive. Lookups and control
 * requests are decoded by the ns and svc protocol libraries, each a part
 * answered for its own kind, into init's ops (names.c, control.c). A label
 * sent with another kind's badge gets E_RIGHTS, an unknown one E_NOSYS, so
 * no client can leave the supervisor with an unanswered call.
 */
#include "init.h"
#include "sys/exit.h"
#include "sys/fmt.h"

static uint32_t badge_kind(uint64_t badge)
{
	return BADGE_KIND(badge);
}

/* The instance a badge names; NULL for an older instance (a stale notice) or none. */
static struct service *current_instance(uint64_t badge)
{
	uint32_t index = BADGE_INDEX(badge);
	struct service *s = index < sup.count ? &sup.services[index] : NULL;

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

/* IPC_LABEL_FAULT or IPC_LABEL_EXIT from the kernel about an instance. */
static long on_notice(struct server_request *req)
{
	const struct ipc_msg *m = &req->msg;
	struct service *s = current_instance(m->badge);
	char why[120];

	if (!s)
		return E_OK;
	if (IPC_TAG_LABEL(req->in_tag) == IPC_LABEL_FAULT) {
		snprintf(why, sizeof(why), "faulted: %s (vector %lu) at rip %#lx addr %#lx",
			 vector_name(m->w[0]), (unsigned long)m->w[0], (unsigned long)m->w[3],
			 (unsigned long)m->w[2]);
		life_ended(s, END_FAULT, EXIT_FAULT_CODE((int64_t)m->w[0]), why);
	} else {
		snprintf(why, sizeof(why), "exited with code %ld", (long)m->w[0]);
		life_ended(s, END_EXIT, (int64_t)m->w[0], why);
	}
	return E_OK;
}

/* The back-off timer's notification (its bits in the badge). */
static long on_timer(struct server_request *req)
{
	if (req->msg.badge & TIMER_BIT)
		life_timer();
	return E_OK;
}

/* INIT_HUNG from the heartbeat thread: w0 = service index, w1 = instance. */
static long on_heartbeat(struct server_request *req)
{
	const struct ipc_msg *m = &req->msg;

	if (IPC_TAG_WORDS(req->in_tag) < 2 || m->w[0] >= sup.count)
		return E_INVAL;
	struct service *s = &sup.services[m->w[0]];
	if ((uint32_t)m->w[1] == s->generation && s->state == SVC_RUNNING &&
	    s->process != HANDLE_INVALID)
		life_ended(s, END_HUNG, 0, "missed its heartbeat");
	return E_OK;
}

/* SVC_BOOT from a new instance: its index-th start handle; E_NOENT past the last. */
long sup_boot_grant(void *ctx, uint64_t badge, uint32_t index, struct svc_grant *g)
{
	struct service *s = current_instance(badge);

	(void)ctx;
	if (!s || s->state != SVC_STARTING)
		return E_CLOSED;		/* an instance that is already gone */
	long err = service_handle(s, index, g); /* any index: E_NOENT past the last */
	if (err == E_NOENT)
		life_boot_done(s);
	return err;
}

/* Before each wait: a back-off deadline that changed rearms the one timer. */
static void before_wait(void *ctx)
{
	(void)ctx;
	if (sup.timers_dirty)
		life_arm_timer();
}

static const struct server_method methods[] = {
	{IPC_LABEL_NOTIFY, BADGE_TIMER, on_timer},
	{IPC_LABEL_FAULT, BADGE_NOTICE, on_notice},
	{IPC_LABEL_EXIT, BADGE_NOTICE, on_notice},
	{INIT_HUNG, BADGE_HEARTBEAT, on_heartbeat},
};

static struct ns_server names = {&init_ns_ops, NULL};
static struct svc_server control = {&init_svc_ops, NULL};
static struct server names_part, control_part, boot_part;

static const struct server_part parts[] = {
	{BADGE_NS, &names_part},
	{BADGE_CONTROL, &control_part},
	{BADGE_BOOT, &boot_part},
};

struct server sup_server(void)
{
	names_part = ns_server(HANDLE_INVALID, &names);
	control_part = svc_control_server(HANDLE_INVALID, &control);
	boot_part = svc_boot_server(HANDLE_INVALID, &control);
	return (struct server){.endpoint = sup.ep,
			       .methods = SERVER_METHODS(methods),
			       .badge_kind = badge_kind,
			       .before_wait = before_wait,
			       .parts = SERVER_PARTS(parts)};
}
