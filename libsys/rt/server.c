/* SPDX-License-Identifier: MIT */
/*
 * server_run: the receive-dispatch-reply loop every server uses
 * (sys/server.h). The reply and the next receive are one syscall
 * (reply_recv). Before the server's own methods it answers the supervisor's
 * heartbeat and fault injection (proto/svc.h, fault_inject.c); after each
 * request it closes a capability the handler did not take. server_idle
 * answers the heartbeat while a server waits for what it needs to serve,
 * and server_serve_for serves for a while: both are serve_until, one
 * receive and one answer at a time.
 */
#include "sys/server.h"

#include "fault_inject.h"
#include "proto/svc.h"
#include "sys/sys.h"

static const struct server_method builtin_methods[] = {
	{SVC_PING, 0, svc_ping_handler},     {SVC_FI_CRASH, 0, svc_fi_handler},
	{SVC_FI_HANG, 0, svc_fi_handler},    {SVC_FI_LEAK, 0, svc_fi_handler},
	{SVC_FI_CORRUPT, 0, svc_fi_handler}, {SVC_FI_FLIP, 0, svc_fi_handler},
};
static const struct server builtins = {.methods = SERVER_METHODS(builtin_methods)};

_Static_assert(SVC_FI_CRASH == SVC_PING + 1 && SVC_FI_HANG == SVC_PING + 2 &&
		       SVC_FI_LEAK == SVC_PING + 3 && SVC_FI_CORRUPT == SVC_PING + 4 &&
		       SVC_FI_FLIP == SVC_PING + 5 && ARRAY_SIZE(builtin_methods) == 6,
	       "the builtins are one run of labels");

/* One compare per request: the builtins' labels are one run from SVC_PING. */
static bool is_builtin(uint64_t tag)
{
	return IPC_TAG_LABEL(tag) - (uint32_t)SVC_PING < ARRAY_SIZE(builtin_methods);
}

/* Handle one message in place; false for an event (no reply). */
static bool dispatch(const struct server *s, struct server_request *req)
{
	uint64_t badge = req->msg.badge;
	bool call;

	if (!server_is_event(req->msg.tag))
		svc_fi_before_request();
	call = server_dispatch(is_builtin(req->msg.tag) ? &builtins : s, req);
	if (call)
		svc_fi_before_reply(&req->msg, badge);
	if (req->cap_in != HANDLE_INVALID)
		sys_handle_close(server_take_cap(req));
	return call;
}

/* An unanswered caller, if there is one, gets err as its answer. */
static void answer_error(long err)
{
	struct ipc_msg m = {.tag = IPC_TAG((uint16_t)err, 0, 0, 0)};

	ipc_reply(HANDLE_INVALID, &m); /* E_INVAL: there was no caller */
}

/* The caller is still waiting for an answer: give it at least the error. */
static void reply_or_error(struct ipc_msg *m)
{
	long err = ipc_reply(HANDLE_INVALID, m);

	if (err < 0 && err != E_INVAL) /* E_INVAL: the caller is gone already */
		answer_error(err);
}

/*
 * A reply that carries a handle away: reply, close our copy at once (not
 * when the next request arrives, which may be much later, keeping the
 * object alive in this process until then), then receive.
 */
static long reply_close_recv(const struct server *s, struct server_request *req)
{
	handle_t done = req->close_after_reply;

	req->close_after_reply = HANDLE_INVALID;
	reply_or_error(&req->msg);
	sys_handle_close(done);
	if (s->before_wait)
		s->before_wait(s->ctx);
	return ipc_recv(s->endpoint, &req->msg, TIMEOUT_NEVER);
}

static long answer_and_wait(const struct server *s, struct server_request *req, bool call)
{
	if (call && req->close_after_reply != HANDLE_INVALID)
		return reply_close_recv(s, req);
	if (s->before_wait)
		s->before_wait(s->ctx);
	if (call)
		return ipc_reply_recv(s->endpoint, &req->msg, TIMEOUT_NEVER);
	return ipc_recv(s->endpoint, &req->msg, TIMEOUT_NEVER);
}

/*
 * A failed receive is either a reply the kernel refused (a handler built a
 * bad reply: its caller still waits) or E_BUSY (a call is unanswered). The
 * caller gets the error and the loop receives again, so no request can end
 * a server; an endpoint that is gone fails twice in a row and ends it.
 */
long server_run(const struct server *s)
{
	struct server_request req = {.buf = ipc_buffer(), .close_after_reply = HANDLE_INVALID};
	long err = E_BUSY;

	for (;;) {
		if (err == E_OK || err == E_TIMEOUT) {
			err = answer_and_wait(s, &req, dispatch(s, &req));
			continue;
		}
		answer_error(err);
		if (s->before_wait)
			s->before_wait(s->ctx);
		err = ipc_recv(s->endpoint, &req.msg, TIMEOUT_NEVER);
		if (err != E_OK && err != E_TIMEOUT && err != E_BUSY)
			return err;
	}
}

/* A call no handler may see (the server is not serving yet) gets `answer`; events are dropped. */
static void refuse(struct server_request *req, long answer)
{
	if (IPC_TAG_CAP(req->msg.tag))
		sys_handle_close(req->msg.cap);
	if (!server_is_event(req->msg.tag))
		answer_error(answer);
}

/*
 * One message received outside server_run, each call answered on its own
 * (no reply_recv: the caller goes on with other work afterwards). With
 * `answer` an error, only the builtins are dispatched and every other call
 * gets that error.
 */
static void serve_one(const struct server *s, struct server_request *req, long answer)
{
	if (answer != E_OK && !is_builtin(req->msg.tag)) {
		refuse(req, answer);
		return;
	}
	if (dispatch(s, req))
		reply_or_error(&req->msg);
	if (req->close_after_reply != HANDLE_INVALID) {
		sys_handle_close(req->close_after_reply);
		req->close_after_reply = HANDLE_INVALID;
	}
}

/* Receive and serve until `deadline` (sys_clock time); what is waiting then is served too. */
static long serve_until(const struct server *s, uint64_t deadline, long answer)
{
	struct server_request req = {.buf = ipc_buffer(), .close_after_reply = HANDLE_INVALID};

	for (;;) {
		uint64_t now = sys_clock();
		long err = ipc_recv(s->endpoint, &req.msg, now < deadline ? deadline - now : 0);
		if (err == E_TIMEOUT)
			return E_OK;
		if (err != E_OK)
			return err;
		serve_one(s, &req, answer);
	}
}

long server_idle(handle_t endpoint, uint64_t timeout, long answer)
{
	const struct server idle = {.endpoint = endpoint}; /* the builtins alone */

	return serve_until(&idle, sys_clock() + timeout, answer);
}

/*
 * Serve for `ns` nanoseconds (0: only the requests already waiting). For a
 * server that has something to wait for between requests, such as a disk
 * to appear.
 */
long server_serve_for(const struct server *s, uint64_t ns)
{
	return serve_until(s, sys_clock() + ns, E_OK);
}
