/* SPDX-License-Identifier: MIT */
/* Client stub of the console protocol (proto/console.h): CONSOLE_RUN. */
#include <string.h>

#include "proto/console.h"
#include "sys/errors.h"
#include "sys/sys.h"

#define TIMEOUT TIMEOUT_NEVER /* input and lspci last as long as they last */

bool console_lent(const char *name)
{
	return strcmp(name, "lspci") == 0;
}

/* The words into the IPC buffer, each with its NUL: their bytes, or 0 when they do not fit. */
static uint32_t pack(int argc, const char *const *argv)
{
	uint8_t *buf = ipc_buffer()->data;
	uint32_t used = 0;

	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (used + n > CONSOLE_BYTES_MAX)
			return 0;
		memcpy(buf + used, argv[i], n);
		used += (uint32_t)n;
	}
	return used;
}

long console_run(handle_t ep, handle_t out, int argc, const char *const *argv, int64_t *status)
{
	if (argc < 1 || argc > CONSOLE_ARGS_MAX)
		return E_INVAL;
	uint32_t bytes = pack(argc, argv);
	if (bytes == 0)
		return E_INVAL;
	struct ipc_msg m = {.tag = IPC_TAG(CONSOLE_RUN, 1, 1, bytes), .cap = out};
	m.w[0] = (uint64_t)argc;
	long err = ipc_call(ep, &m, TIMEOUT);
	if (err < 0)
		return err;
	err = ipc_reply_status(&m, 1, 0);
	if (err < 0)
		return err;
	*status = (int64_t)m.w[0];
	return E_OK;
}
