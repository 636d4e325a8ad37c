/* SPDX-License-Identifier: MIT */
/*
 * ipc_call_retry (sys/sys.h): resend an idempotent request when its server
 * died with it in flight; and ipc_reply_status, the shape check every
 * protocol's client stubs make of a reply. The request is kept aside (tag, words, capability
 * and buffer bytes) and put back before each new attempt, so every attempt
 * sends exactly the first one's message. A capability is copied, never
 * moved, by a call, so it can travel again.
 */
#include <string.h>

#include "sys/sys.h"

long ipc_call_retry(handle_t ep, struct ipc_msg *m, uint64_t timeout, int attempts)
{
	struct ipc_buffer *buf = ipc_buffer();
	uint32_t bytes = IPC_TAG_BYTES(m->tag);
	uint8_t saved_bytes[IPC_BUF_BYTES];
	const struct ipc_msg request = *m;
	long err = E_INVAL;

	if (bytes > IPC_BUF_BYTES || (bytes && !buf))
		return E_INVAL;
	if (bytes)
		memcpy(saved_bytes, buf->data, bytes);
	for (int i = 0; i < attempts; i++) {
		if (i > 0) {
			*m = request;
			if (bytes)
				memcpy(buf->data, saved_bytes, bytes);
		}
		err = ipc_call(ep, m, timeout);
		if (err != E_RESTARTED)
			break;
	}
	return err;
}

long ipc_label_status(const struct ipc_msg *m)
{
	long status = (int16_t)IPC_TAG_LABEL(m->tag);

	return status < 0 && !sys_error_known(status) ? E_PROTO : status;
}

long ipc_reply_status(const struct ipc_msg *m, uint32_t words, uint32_t bytes)
{
	long status = ipc_label_status(m);

	/* A server answers 0 or an error it knows: anything else is no answer (a corrupted reply).
	 */
	if (status != E_OK)
		return status > 0 ? E_PROTO : status;
	if (IPC_TAG_WORDS(m->tag) != words || IPC_TAG_BYTES(m->tag) > bytes || IPC_TAG_CAP(m->tag))
		return E_PROTO;
	return E_OK;
}
