/* SPDX-License-Identifier: MIT */
/*
 * Client stubs of the svc protocol (proto/svc.h): the heartbeat ping, the
 * control requests to the supervisor, and the start-up fetch of the handles
 * a supervisor gives a new instance.
 */
#include <stdbool.h>
#include <string.h>

#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"

static const char *const state_names[] = {"stopped", "starting", "running", "backoff", "failed"};

const char *svc_state_name(uint32_t state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

/* Call and turn the reply's label into the result. */
static long call_status(handle_t ep, struct ipc_msg *m, uint64_t timeout, bool idempotent)
{
	long err = idempotent ? ipc_call_retry(ep, m, timeout, 3) : ipc_call(ep, m, timeout);

	return err < 0 ? err : ipc_label_status(m);
}

long svc_ping(handle_t ep, uint64_t timeout)
{
	struct ipc_msg m = {.tag = IPC_TAG(SVC_PING, 0, 0, 0)};

	return call_status(ep, &m, timeout, false);
}

/* The service name into the IPC buffer; its byte count, or 0 if it does not fit. */
static uint32_t put_name(const char *name)
{
	struct ipc_buffer *b = ipc_buffer();
	size_t n = strlen(name) + 1;

	if (!b || n > SVC_NAME_MAX || n == 1)
		return 0;
	memcpy(b->data, name, n);
	return (uint32_t)n;
}

long svc_list(handle_t ctl, uint32_t first, struct svc_entry *out, uint32_t max, uint32_t *total)
{
	struct ipc_msg m = {.tag = IPC_TAG(SVC_LIST, 1, 0, 0), .w = {first}};
	long err = call_status(ctl, &m, TIMEOUT_NEVER, true);

	if (err < 0)
		return err;
	uint32_t n = (uint32_t)m.w[0];
	if (n > max)
		n = max;
	if (n > IPC_TAG_BYTES(m.tag) / sizeof(*out))
		n = IPC_TAG_BYTES(m.tag) / sizeof(*out);
	memcpy(out, ipc_buffer()->data, n * sizeof(*out));
	if (total)
		*total = (uint32_t)m.w[1];
	return n;
}

long svc_status(handle_t ctl, const char *name, struct svc_entry *out)
{
	uint32_t n = put_name(name);

	if (!n)
		return E_INVAL;
	struct ipc_msg m = {.tag = IPC_TAG(SVC_STATUS, 0, 0, n)};
	long err = call_status(ctl, &m, TIMEOUT_NEVER, true);
	if (err < 0)
		return err;
	if (IPC_TAG_BYTES(m.tag) < sizeof(*out))
		return E_INVAL;
	memcpy(out, ipc_buffer()->data, sizeof(*out));
	return E_OK;
}

long svc_control(handle_t ctl, uint16_t method, const char *name)
{
	uint32_t n = put_name(name);

	if (!n)
		return E_INVAL;
	struct ipc_msg m = {.tag = IPC_TAG(method, 0, 0, n)};
	return call_status(ctl, &m, TIMEOUT_NEVER, method != SVC_RESTART);
}

long svc_fault(handle_t ctl, const char *name, enum svc_fault fault, enum svc_crash_kind kind,
	       uint32_t after)
{
	uint32_t n = put_name(name);

	if (!n)
		return E_INVAL;
	struct ipc_msg m = {.tag = IPC_TAG(SVC_FI, 3, 0, n)};
	struct svc_fi_request rq = {fault, kind, after};
	memcpy(m.w, &rq, sizeof(rq));
	return call_status(ctl, &m, TIMEOUT_NEVER, false);
}

long svc_shutdown(handle_t ctl)
{
	struct ipc_msg m = {.tag = IPC_TAG(SVC_SHUTDOWN, 0, 0, 0)};

	return call_status(ctl, &m, TIMEOUT_NEVER, false);
}
