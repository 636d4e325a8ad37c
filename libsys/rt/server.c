/* SPDX-License-Identifier: MIT */
/*
 * server_run: the receive-dispatch-reply loop every server uses. The reply
 * and the next receive are one syscall (reply_recv). Besides the server's
 * own methods it answers the supervisor's heartbeat and fault injection
 * (proto/svc.h, fault_inject.c) for every server.
 */
#include "sys/server.h"

#include <stdbool.h>

#include "fault_inject.h"
#include "proto/svc.h"
#include "sys/sys.h"

static const struct server_method builtin_methods[] = {
	{SVC_PING, svc_ping_handler},
	{SVC_FI_CRASH, svc_fi_handler},
	{SVC_FI_HANG, svc_fi_handler},
	{SVC_FI_LEAK, svc_fi_handler},
};

static server_handler_fn find(const struct server *s, uint16_t label)
{
	for (size_t i = 0; i < sizeof(builtin_methods) / sizeof(builtin_methods[0]); i++)
		if (builtin_methods[i].label == label)
			return builtin_methods[i].fn;
	for (size_t i = 0; i < s->method_count; i++)
		if (s->methods[i].label == label)
			return s->methods[i].fn;
	return NULL;
}

/* Handle one request in place; returns false for a notification (no reply). */
static bool dispatch(const struct server *s, struct server_request *req)
{
	uint32_t label = IPC_TAG_LABEL(req->msg.tag);

	if (label == IPC_LABEL_NOTIFY) {
		if (s->on_notify)
			s->on_notify(req->msg.badge, s->ctx);
		return false;
	}
	svc_fi_before_request();
	server_handler_fn fn = find(s, (uint16_t)label);
	req->in_tag = req->msg.tag;
	req->msg.tag = 0;
	long status = fn ? fn(req) : E_NOSYS;
	uint64_t tag = req->msg.tag;
	req->msg.tag = IPC_TAG((uint16_t)status, IPC_TAG_WORDS(tag),
			       IPC_TAG_CAP(tag) && status == 0, IPC_TAG_BYTES(tag));
	return true;
}

/*
 * A reply that carries a handle away: reply, close our copy at once (not
 * when the next request arrives, which may be much later, keeping the
 * object alive in this process until then), then receive. If the reply
 * itself is refused, the caller still gets an answer: the error.
 */
static long reply_close_recv(const struct server *s, struct server_request *req, handle_t done)
{
	long err = ipc_reply(HANDLE_INVALID, &req->msg);

	if (err < 0) {
		struct ipc_msg refused = {.tag = IPC_TAG((uint16_t)err, 0, 0, 0)};
		ipc_reply(HANDLE_INVALID, &refused); /* nothing to do if the caller is gone */
	}
	sys_handle_close(done);
	return ipc_recv(s->endpoint, &req->msg, TIMEOUT_NEVER);
}

long server_run(const struct server *s)
{
	struct server_request req = {.buf = ipc_buffer(), .ctx = s->ctx};
	long err = ipc_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);

	while (err == E_OK || err == E_TIMEOUT) {
		if (!dispatch(s, &req)) {
			err = ipc_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);
			continue;
		}
		handle_t done = req.close_after_reply;
		req.close_after_reply = HANDLE_INVALID;
		if (done != HANDLE_INVALID)
			err = reply_close_recv(s, &req, done);
		else
			err = ipc_reply_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);
	}
	return err;
}
