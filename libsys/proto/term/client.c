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

long term_info(handle_t ep, struct term_info *info)
{
	struct ipc_msg m = {.tag = IPC_TAG(TERM_INFO, 0, 0, 0)};
	long err = ipc_call_retry(ep, &m, TIMEOUT, ATTEMPTS);

	if (err < 0)
		return err;
	long status = (int16_t)IPC_TAG_LABEL(m.tag);
	if (status < 0)
		return status;
	if (IPC_TAG_WORDS(m.tag) != 6)
		return E_PROTO;
	memcpy(info, m.w, sizeof(*info));
	return E_OK;
}

long term_text(handle_t ep, uint64_t first, char *buf, size_t size, uint64_t *rows)
{
	struct ipc_msg m = {.tag = IPC_TAG(TERM_TEXT, 1, 0, 0), .w = {first}};
	long err = ipc_call_retry(ep, &m, TIMEOUT, ATTEMPTS);

	if (err < 0)
		return err;
	long status = (int16_t)IPC_TAG_LABEL(m.tag);
	if (status < 0)
		return status;
	uint32_t bytes = IPC_TAG_BYTES(m.tag);
	if (IPC_TAG_WORDS(m.tag) != 1 || bytes > IPC_BUF_BYTES || m.w[0] == 0 || size == 0)
		return E_PROTO;
	if (bytes >= size)
		return E_NOSPACE;
	memcpy(buf, ipc_buffer()->data, bytes);
	buf[bytes] = 0;
	*rows = m.w[0];
	return E_OK;
}
