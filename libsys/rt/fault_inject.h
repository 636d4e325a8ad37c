/* SPDX-License-Identifier: MIT */
/*
 * libsys internal: the requests server_run answers for every server (the
 * heartbeat and fault injection of proto/svc.h), in fault_inject.c.
 */
#pragma once

#include "sys/server.h"

/* SVC_PING: reply 0. */
long svc_ping_handler(struct server_request *req);
/* SVC_FI_CRASH, SVC_FI_HANG, SVC_FI_LEAK; only from badge 0 (E_RIGHTS otherwise). */
long svc_fi_handler(struct server_request *req);
/* Whether a crash or a corruption is armed: until one is, the hooks below are a test. */
extern bool svc_fi_armed;
void svc_fi_request_armed(void);
void svc_fi_reply_armed(struct ipc_msg *reply, uint64_t badge);

/* Called before each request: a crash armed for this request happens here. */
static inline void svc_fi_before_request(void)
{
	if (__builtin_expect(svc_fi_armed, 0))
		svc_fi_request_armed();
}

/* Called before each reply to a caller with `badge`: a corruption armed alters a word here. */
static inline void svc_fi_before_reply(struct ipc_msg *reply, uint64_t badge)
{
	if (__builtin_expect(svc_fi_armed, 0))
		svc_fi_reply_armed(reply, badge);
}
/* A byte of the process's heap picked by r, or NULL (malloc.c). */
unsigned char *malloc_byte_at(uint64_t r);
