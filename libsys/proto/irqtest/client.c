/* SPDX-License-Identifier: MIT */
/* Client stubs of the irqtest protocol (proto/irqtest.h). */
#include <string.h>

#include "proto/irqtest.h"
#include "sys/sys.h"

/* Send `label` (no words) up to `attempts` times; E_OK if the reply has `words` words. */
static long call(handle_t ep, struct ipc_msg *m, uint16_t label, uint32_t words, uint64_t timeout,
		 int attempts)
{
	*m = (struct ipc_msg){.tag = IPC_TAG(label, 0, 0, 0)};
	long err = ipc_call_retry(ep, m, timeout, attempts);

	if (err < 0)
		return err;
	long status = (int16_t)IPC_TAG_LABEL(m->tag);
	if (status < 0)
		return status;
	return IPC_TAG_WORDS(m->tag) == words ? E_OK : E_PROTO;
}

long irqtest_fire(handle_t ep, struct irqtest_fire_reply *rp, uint64_t timeout)
{
	struct ipc_msg m;
	long err = call(ep, &m, IRQTEST_FIRE, 4, timeout, 1);

	if (err == E_OK)
		memcpy(rp, m.w, sizeof(*rp));
	return err;
}

/* Whether `bytes` bytes of names hold exactly `count` NUL-terminated strings. */
static bool names_ok(const uint8_t *names, uint32_t bytes, uint64_t count)
{
	uint64_t strings = 0;

	for (uint32_t i = 0; i < bytes; i++)
		strings += names[i] == '\0';
	return strings == count && (bytes == 0 || names[bytes - 1] == '\0');
}

long irqtest_handles(handle_t ep, struct irqtest_handles_reply *rp, char *names, size_t size,
		     uint64_t timeout)
{
	struct ipc_msg m;
	long err = call(ep, &m, IRQTEST_HANDLES, 1, timeout, IRQTEST_ATTEMPTS);
	uint32_t bytes = IPC_TAG_BYTES(m.tag);

	if (err < 0)
		return err;
	memcpy(rp, m.w, sizeof(*rp));
	if (!names_ok(ipc_buffer()->data, bytes, rp->count))
		return E_PROTO;
	if (bytes > size)
		return E_RANGE;
	memcpy(names, ipc_buffer()->data, bytes);
	return E_OK;
}

long irqtest_probe(handle_t ep, struct irqtest_probe_reply *rp, uint64_t timeout)
{
	struct ipc_msg m;
	long err = call(ep, &m, IRQTEST_PROBE, 5, timeout, IRQTEST_ATTEMPTS);

	if (err == E_OK)
		memcpy(rp, m.w, sizeof(*rp));
	return err;
}
