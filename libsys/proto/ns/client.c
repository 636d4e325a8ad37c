/* SPDX-License-Identifier: MIT */
/* Client stub of the name service (proto/ns.h). */
#include <string.h>

#include "proto/ns.h"
#include "sys/start.h"
#include "sys/sys.h"

long ns_lookup(handle_t ns, const char *name)
{
	struct ipc_buffer *b = ipc_buffer();
	size_t n = strlen(name) + 1;

	if (!b || n > NS_NAME_MAX || n == 1)
		return E_INVAL;
	memcpy(b->data, name, n);
	struct ipc_msg m = {.tag = IPC_TAG(NS_LOOKUP, 0, 0, n)};
	long err = ipc_call_retry(ns, &m, TIMEOUT_NEVER, 3);
	if (err < 0)
		return err;
	long status = ipc_label_status(&m);
	if (status < 0)
		return status;
	return IPC_TAG_CAP(m.tag) ? (long)m.cap : E_INVAL;
}

long ns_lookup_self(const char *name)
{
	handle_t ns = start_handle("ns", NULL);

	return ns == HANDLE_INVALID ? E_NOENT : ns_lookup(ns, name);
}
