/* SPDX-License-Identifier: MIT */
/*
 * server_run: the receive-dispatch-reply loop every server uses. The reply
 * and the next receive are one syscall (reply_recv).
 */
#include "sys/server.h"

#include <stdbool.h>

#include "sys/sys.h"

static server_handler_fn find(const struct server *s, uint16_t label)
{
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
	server_handler_fn fn = find(s, (uint16_t)label);
	req->in_tag = req->msg.tag;
	req->msg.tag = 0;
	long status = fn ? fn(req) : E_NOSYS;
	uint64_t tag = req->msg.tag;
	req->msg.tag = IPC_TAG((uint16_t)status, IPC_TAG_WORDS(tag), IPC_TAG_CAP(tag) && status == 0,
			       IPC_TAG_BYTES(tag));
	return true;
}

long server_run(const struct server *s)
{
	struct server_request req = {.buf = ipc_buffer(), .ctx = s->ctx};
	long err = ipc_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);

	while (err == E_OK || err == E_TIMEOUT) {
		if (dispatch(s, &req)) {
			handle_t done = req.close_after_reply;
			req.close_after_reply = HANDLE_INVALID;
			err = ipc_reply_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);
			if (done != HANDLE_INVALID)
				sys_handle_close(done);
		} else {
			err = ipc_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);
		}
	}
	return err;
}
