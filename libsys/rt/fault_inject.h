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
