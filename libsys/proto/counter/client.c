/* SPDX-License-Identifier: MIT */
/* Client stubs of the counter protocol (proto/counter.h). */
#include <string.h>

#include "proto/counter.h"
#include "sys/sys.h"

long counter_add(handle_t ep, uint64_t amount, struct counter_add_reply *rp, uint64_t timeout)
{
	struct ipc_msg m = {.tag = IPC_TAG(COUNTER_ADD, 1, 0, 0)};
	struct counter_add_request rq = {amount};

	memcpy(m.w, &rq, sizeof(rq));
	long err = ipc_call(ep, &m, timeout);
	if (err == E_OK)
		err = ipc_reply_status(&m, 1, 0);
	if (err == E_OK)
		memcpy(rp, m.w, sizeof(*rp));
	return err;
}

long counter_get_retry(handle_t ep, struct counter_get_reply *rp, uint64_t timeout, int attempts)
{
	struct ipc_msg m = {.tag = IPC_TAG(COUNTER_GET, 0, 0, 0)};
	long err = ipc_call_retry(ep, &m, timeout, attempts);

	if (err == E_OK)
		err = ipc_reply_status(&m, 2, 0);
	if (err == E_OK)
		memcpy(rp, m.w, sizeof(*rp));
	return err;
}

long counter_get(handle_t ep, struct counter_get_reply *rp, uint64_t timeout)
{
	return counter_get_retry(ep, rp, timeout, COUNTER_ATTEMPTS);
}
