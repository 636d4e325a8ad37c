/* SPDX-License-Identifier: MIT */
/*
 * The server main loop: receive on an endpoint, dispatch by the tag's label
 * to a handler, reply with what it returns, receive the next request. Each
 * handler sees the decoded request and fills in the reply; an unknown method
 * gets E_NOSYS. Notifications bound to the endpoint go to `on_notify`.
 * Every server also answers the supervisor's SVC_PING and obeys its fault
 * injection (proto/svc.h) without code of its own.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys/ipc.h"

struct server_request {
	uint64_t in_tag;	    /* the request's tag (label, words, cap, bytes) */
	struct ipc_msg msg;	    /* the request; the handler turns it into the reply */
	struct ipc_buffer *buf;	    /* request and reply bytes */
	uint32_t close_after_reply; /* a handle the reply carries away: closed once sent */
	void *ctx;
};

/*
 * Returns the reply status (0 or negative: it becomes the reply's label).
 * Before it runs, msg.tag is cleared: a handler that replies with words, a
 * capability or buffer bytes says so with IPC_TAG(0, words, cap, bytes).
 */
typedef long (*server_handler_fn)(struct server_request *req);

struct server_method {
	uint16_t label;
	server_handler_fn fn;
};

struct server {
	uint32_t endpoint;
	const struct server_method *methods;
	size_t method_count;
	void (*on_notify)(uint64_t bits, void *ctx);
	void *ctx;
};

/* Runs for ever (returns only if the endpoint goes away). */
long server_run(const struct server *s);
