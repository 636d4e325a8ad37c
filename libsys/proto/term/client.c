/* SPDX-License-Identifier: MIT */
/* Client stubs of the term protocol (proto/term.h). */
#include <string.h>

#include "proto/term.h"
#include "sys/sys.h"
#include "sys/units.h"

#define ATTEMPTS 3
#define TIMEOUT	 (2000 * MS) /* a terminal stuck for longer is not waited for */

void term_endpoint_name(unsigned n, char name[TERM_ENDPOINT_MAX])
{
	memcpy(name, "term", 4);
	name[4] = (char)('0' + n % 10);
	name[5] = 0;
}

/* One call of an idempotent method: E_OK with a reply of `words` words and up to `bytes` bytes. */
static long call(struct ipc_msg *m, handle_t ep, uint32_t words, uint32_t bytes)
{
	long err = ipc_call_retry(ep, m, TIMEOUT, ATTEMPTS);
	return err < 0 ? err : ipc_reply_status(m, words, bytes);
}

long term_info(handle_t ep, struct term_info *info)
{
	struct ipc_msg m = {.tag = IPC_TAG(TERM_INFO, 0, 0, 0)};
	long err = call(&m, ep, 6, 0);

	if (err == E_OK)
		memcpy(info, m.w, sizeof(*info));
	return err;
}

long term_text(handle_t ep, uint64_t first, char *buf, size_t size, uint64_t *rows)
{
	struct ipc_msg m = {.tag = IPC_TAG(TERM_TEXT, 1, 0, 0), .w = {first}};
	long err = call(&m, ep, 1, IPC_BUF_BYTES);
	uint32_t bytes = IPC_TAG_BYTES(m.tag);

	if (err < 0)
		return err;
	if (m.w[0] == 0 || size == 0)
		return E_PROTO;
	if (bytes >= size)
		return E_NOSPACE;
	memcpy(buf, ipc_buffer()->data, bytes);
	buf[bytes] = 0;
	*rows = m.w[0];
	return E_OK;
}

long term_input(handle_t ep, const char *bytes, size_t n)
{
	struct ipc_msg m = {.tag = IPC_TAG(TERM_INPUT, 0, 0, (uint32_t)n)};

	if (n == 0 || n > TERM_INPUT_MAX)
		return E_INVAL;
	memcpy(ipc_buffer()->data, bytes, n);
	long err = ipc_call(ep, &m, TIMEOUT);
	return err < 0 ? err : ipc_reply_status(&m, 0, 0);
}
