/* SPDX-License-Identifier: MIT */
/*
 * The streams whoever runs a program on a terminal gives it (the serial
 * console's `sh`, the GUI terminal): one stream for its stdin and one for
 * its stdout and stderr (two handles to the same write end), made on the
 * stream server (proto/stream.h); and the program started with them
 * through the loader (proto/loader.h), from its file or from an image.
 */
#include "proto/loader.h"
#include "proto/stream.h"
#include "sys/errors.h"
#include "sys/spawn.h"
#include "sys/sys.h"

long stream_stdio_make(struct stream_stdio *e)
{
	handle_t server = stream_server();

	*e = (struct stream_stdio){HANDLE_INVALID, HANDLE_INVALID, HANDLE_INVALID, HANDLE_INVALID,
				   HANDLE_INVALID};
	long err = server == HANDLE_INVALID ? E_NOENT : stream_pair(server, &e->in_rd, &e->in_wr);
	if (err == E_OK)
		err = stream_pair(server, &e->out_rd, &e->out_wr);
	long dup = err == E_OK ? stream_dup(e->out_wr) : err;
	if (dup < 0) {
		stream_stdio_close(e);
		return dup;
	}
	e->err_wr = (handle_t)dup;
	return E_OK;
}

void stream_stdio_close(struct stream_stdio *e)
{
	handle_t *h[] = {&e->in_rd, &e->in_wr, &e->out_rd, &e->out_wr, &e->err_wr};

	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		if (*h[i] != HANDLE_INVALID)
			sys_handle_close(*h[i]);
		*h[i] = HANDLE_INVALID;
	}
}

long stream_stdio_exec(handle_t loader, const struct stream_stdio *e, const char *path,
		       handle_t image, uint64_t size, int argc, const char *const *argv,
		       uint64_t timeout)
{
	const struct loader_exec_handle given[] = {{"parent", loader},
						   {"stdin", e->in_rd},
						   {"stdout", e->out_wr},
						   {"stderr", e->err_wr}};
	int elf_err = 0;
	const struct loader_exec_args x = {
		.image = image,
		.size = size,
		.program = path,
		.argc = argc,
		.argv = argv,
		.priority = SPAWN_DEFAULT_PRIORITY,
		.handle_count = sizeof(given) / sizeof(given[0]),
		.handles = given,
		.timeout = timeout,
	};

	return image == HANDLE_INVALID ? loader_exec_path(loader, &x, &elf_err)
				       : loader_exec(loader, &x, &elf_err);
}
