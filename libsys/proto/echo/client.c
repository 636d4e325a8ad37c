/* SPDX-License-Identifier: MIT */
/* Client stub of the echo protocol (proto/echo.h). */
#include <string.h>

#include "proto/echo.h"
#include "sys/sys.h"

long echo_echo_retry(handle_t ep, const struct echo_request *rq, uint32_t bytes,
		     struct echo_reply *rp, uint64_t timeout, int attempts)
{
	struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 5, 0, bytes)};

	if (bytes > IPC_BUF_BYTES)
		return E_INVAL;
	memcpy(m.w, rq, sizeof(*rq));
	long err = ipc_call_retry(ep, &m, timeout, attempts);
	if (err < 0)
		return err;
	err = ipc_reply_status(&m, 6, bytes); /* a status outside the error list is E_PROTO */
	if (err != E_OK)
		return err;
	if (IPC_TAG_BYTES(m.tag) != bytes)
		return E_PROTO;
	memcpy(rp, m.w, sizeof(*rp));
	return E_OK;
}

long echo_echo(handle_t ep, const struct echo_request *rq, uint32_t bytes, struct echo_reply *rp,
	       uint64_t timeout)
{
	return echo_echo_retry(ep, rq, bytes, rp, timeout, ECHO_ATTEMPTS);
}
