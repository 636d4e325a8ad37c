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
/* Called before each request: a crash armed for this request happens here. */
void svc_fi_before_request(void);
/* Called before each reply to a caller with `badge`: a corruption armed alters a word here. */
void svc_fi_before_reply(struct ipc_msg *reply, uint64_t badge);
/* A byte of the process's heap picked by r, or NULL (malloc.c). */
unsigned char *malloc_byte_at(uint64_t r);
