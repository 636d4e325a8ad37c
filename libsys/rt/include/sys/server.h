/* SPDX-License-Identifier: MIT */
/*
 * The server side of a protocol: a receive-dispatch-reply loop (server_run)
 * over a decode step that is pure C (server_dispatch), so host tests drive
 * a server's real handlers through a fake transport (test/host/fake_ipc.h).
 *
 * A server describes itself with method tables. Each entry names a label
 * (a method of its protocol, or one of the event labels below) and the kind
 * of badge it answers: a server whose clients all look alike leaves `kind`
 * 0 and `badge_kind` NULL; one that hands out differently badged handles
 * for different roles (init: notices, boot, names, control) says how to
 * read a kind from a badge, and each method is answered only for its kind.
 * Such a server can also answer a whole protocol for one kind (a part):
 * another `struct server`, typically made by a protocol library
 * (proto/ns.h's ns_server), whose methods (kind 0) are then answered for
 * that kind alone, with that server's ctx. A label that exists for some
 * kind but not the caller's gets E_RIGHTS.
 *
 * Calls get a reply: the handler's status (0 or a negative E_*) in the
 * label, and whatever words, capability and buffer bytes it put in msg.tag.
 * An unknown method gets E_NOSYS; a call nobody may make gets E_RIGHTS.
 * Events get no reply: a notification bound to the endpoint
 * (IPC_LABEL_NOTIFY, the bits in the badge), the kernel's supervision
 * notices (IPC_LABEL_FAULT, IPC_LABEL_EXIT) and client-death notices
 * (IPC_LABEL_GONE); user messages cannot carry these labels (the kernel
 * refuses them), so an event is never a call.
 *
 * Clients going away: a server that keeps state per client (open files,
 * surfaces, subscriptions) arms a notice for the client's badge when it
 * first gives it state (sys_ep_watch(endpoint, badge, 0), sys/sys.h); once
 * no handle carries that badge any more (closed, or every process holding
 * one ended, killed or not) the notice arrives as IPC_LABEL_GONE with the
 * badge, and the loop calls on_client_gone(ctx, badge), which frees what
 * that client had. A method table entry for IPC_LABEL_GONE takes it
 * instead; otherwise the part answering the badge's kind gets it if it has
 * the hook, else the server. A notice armed by an instance that died
 * reaches the next one, which may not know the badge: ignore it.
 *
 * Capabilities: one that arrives with a request is the handler's to take
 * (server_take_cap); whatever it does not take is closed after the request,
 * so no client can leave handles behind in a server. A reply that carries a
 * handle away sets close_after_reply: the server's copy is closed once the
 * reply is out.
 *
 * Every server also answers the supervisor's SVC_PING and obeys its fault
 * injection (proto/svc.h) without code of its own.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/ipc.h"
#include "sys/units.h"

struct server_request {
	uint64_t in_tag;	    /* the request's tag (label, words, cap, bytes) */
	struct ipc_msg msg;	    /* the request; the handler turns it into the reply */
	struct ipc_buffer *buf;	    /* request and reply bytes */
	handle_t cap_in;	    /* the capability that came with it, until taken */
	handle_t close_after_reply; /* a handle the reply carries away: closed once sent */
	void *ctx;		    /* the server's ctx */
};

/*
 * Returns the reply status (0 or negative: it becomes the reply's label).
 * Before it runs, msg.tag is cleared: a handler that replies with words, a
 * capability or buffer bytes says so with IPC_TAG(0, words, cap, bytes).
 * For an event the return value is ignored.
 */
typedef long (*server_handler_fn)(struct server_request *req);

struct server_method {
	uint16_t label;
	uint16_t kind; /* the badge kind it answers (0 when the server has no kinds) */
	server_handler_fn fn;
};

struct server_part;

struct server {
	handle_t endpoint;
	const struct server_method *methods;
	size_t method_count;
	/* The kind of a badge, for methods of a given kind; NULL: every badge is kind 0. */
	uint32_t (*badge_kind)(uint64_t badge);
	/* Called before each wait for the next message (NULL: nothing). */
	void (*before_wait)(void *ctx);
	/* A client's badge is carried by no handle any more (IPC_LABEL_GONE; NULL: ignored). */
	void (*on_client_gone)(void *ctx, uint64_t badge);
	void *ctx;
	/* Protocols answered for one badge kind each, after `methods` (none: NULL, 0). */
	const struct server_part *parts;
	size_t part_count;
};

struct server_part {
	uint32_t kind; /* the badge kind its methods answer */
	const struct server
		*server; /* its methods (kind 0), ctx and on_client_gone; the rest unused */
};

#define SERVER_METHODS(table) (table), ARRAY_SIZE(table)
#define SERVER_PARTS(table)   SERVER_METHODS(table)

/* Whether a message with this tag is an event (no reply) rather than a call: one compare, the
 * kernel's labels (which no user message carries) are the events (server_dispatch.c checks). */
static inline bool server_is_event(uint64_t tag)
{
	return IPC_TAG_LABEL(tag) >= IPC_LABEL_KERNEL_FIRST;
}

/*
 * Decode one received message and run its handler; true when it is a call,
 * with req->msg now the reply. Pure: no system calls. A capability the
 * handler did not take is left in req->cap_in for the caller to close.
 */
bool server_dispatch(const struct server *s, struct server_request *req);

/* Take the capability that came with the request (HANDLE_INVALID if none): now the handler's. */
handle_t server_take_cap(struct server_request *req);

/*
 * The request's buffer bytes as a name: exactly one NUL-terminated string
 * of 1 to max - 1 characters with nothing after its NUL; NULL otherwise.
 */
const char *server_name(const struct server_request *req, size_t max);

/*
 * Append `name` and its NUL to the reply's buffer bytes, *used of which are
 * taken; E_NOSPACE (nothing written) when it does not fit the IPC buffer.
 */
long server_put_name(struct server_request *req, uint32_t *used, const char *name);

/*
 * Reply with `record` (at most six words' worth of bytes) in the message
 * words and `text`, a buffer of text_max bytes cut to a string at its last
 * byte, with its NUL in the buffer bytes.
 */
void server_reply_record(struct server_request *req, const void *record, size_t bytes, char *text,
			 size_t text_max);

/*
 * For a server not serving yet (waiting for its disk, or for a volume):
 * receive on endpoint for `timeout` ns, answering the supervisor's
 * heartbeat and fault injection as server_run does and every other call
 * with the error `answer` (an error, never E_OK); events are dropped. E_OK
 * once the time is up, or the receive's error. The same loop as
 * server_serve_for.
 */
long server_idle(handle_t endpoint, uint64_t timeout, long answer);

/* Runs for ever (returns only if the endpoint goes away). */
long server_run(const struct server *s);
/* Serve for ns nanoseconds (0: what is waiting now), then return E_OK. */
long server_serve_for(const struct server *s, uint64_t ns);
