/* SPDX-License-Identifier: MIT */
/*
 * The name service's op (proto/ns.h; the library checks the name first): a
 * name becomes a new send-only handle to the endpoint of that name, minted
 * with a badge of its own. Service endpoints belong to init, so the handle
 * stays good across restarts of the server behind it. "svc" (control) and
 * "ns" itself are init's own.
 */
#include "init.h"

static long lookup(void *ctx, const char *name)
{
	(void)ctx;
	return service_client_handle(name, BADGE_ANYONE);
}

const struct ns_ops init_ns_ops = {.lookup = lookup};
