/* SPDX-License-Identifier: MIT */
/* Client stub of the loader protocol (proto/loader.h). */
#include <string.h>

#include "proto/loader.h"
#include "sys/sys.h"

long loader_spawn(uint32_t ep, const char *program, int argc, const char *const *argv,
		  unsigned priority, uint32_t give_handle, int *elf_err)
{
	struct ipc_buffer *b = ipc_buffer();
	size_t used = strlen(program) + 1;

	if (!b || used > LOADER_MAX_REQUEST)
		return E_INVAL;
	memcpy(b->data, program, used);
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (used + n > LOADER_MAX_REQUEST)
			return E_RANGE;
		memcpy(b->data + used, argv[i], n);
		used += n;
	}
	struct ipc_msg m = {
		.tag = IPC_TAG(LOADER_SPAWN, 2, give_handle != HANDLE_INVALID, used),
		.cap = give_handle,
	};
	struct loader_spawn_request rq = {(uint64_t)argc, priority};
	memcpy(m.w, &rq, sizeof(rq));
	long err = ipc_call(ep, &m, TIMEOUT_NEVER);
	if (err < 0)
		return err;
	struct loader_spawn_reply rp;
	memcpy(&rp, m.w, sizeof(rp));
	if (elf_err)
		*elf_err = (int)rp.elf_error;
	int16_t status = (int16_t)IPC_TAG_LABEL(m.tag);
	if (status < 0)
		return status;
	return IPC_TAG_CAP(m.tag) ? (long)m.cap : E_INVAL;
}
