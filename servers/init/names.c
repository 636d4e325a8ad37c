/* SPDX-License-Identifier: MIT */
/*
 * The name service (proto/ns.h): a name becomes a new send-only handle to
 * the endpoint of that name, minted with a badge of its own. Service
 * endpoints belong to init, so the handle stays good across restarts of
 * the server behind it. "svc" (control) and "ns" itself are init's own.
 */
#include <string.h>

#include "init.h"
#include "proto/ns.h"

#define CLIENT_RIGHTS (R_SEND | R_GRANT | R_DUP | R_TRANSFER)

const char *request_name(const struct ipc_msg *m)
{
	uint32_t n = IPC_TAG_BYTES(m->tag);
	const char *name = (const char *)ipc_buffer()->data;

	if (n < 2 || n > NS_NAME_MAX || name[n - 1] != '\0' || strlen(name) != n - 1)
		return NULL;
	return name;
}

static long lookup(const char *name)
{
	if (strcmp(name, "svc") == 0)
		return sys_ep_mint(sup.ep, BADGE(BADGE_CONTROL, 0, 0xFF),
				   R_SEND | R_DUP | R_TRANSFER);
	if (strcmp(name, "ns") == 0)
		return sys_ep_mint(sup.ep, BADGE(BADGE_NS, 0, 0xFF), R_SEND | R_DUP | R_TRANSFER);
	handle_t ep = service_endpoint(name);
	if (ep == HANDLE_INVALID)
		return E_NOENT;
	return sys_ep_mint(ep, ++sup.next_badge, CLIENT_RIGHTS);
}

long names_request(struct ipc_msg *m, handle_t *close_after)
{
	if (IPC_TAG_LABEL(m->tag) != NS_LOOKUP)
		return E_NOSYS;
	const char *name = request_name(m);
	if (!name)
		return E_INVAL;
	long h = lookup(name);
	if (h < 0)
		return h;
	m->cap = (handle_t)h;
	*close_after = (handle_t)h;
	m->tag = IPC_TAG(0, 0, 1, 0);
	return E_OK;
}
