/* SPDX-License-Identifier: MIT */
/*
 * The streams whoever runs a program on a terminal gives it (the serial
 * console's `sh`, the GUI terminal): one stream for its stdin and one for
 * its stdout and stderr (two handles to the same write end), made on the
 * stream server (proto/stream.h).
 */
#include "proto/stream.h"
#include "sys/errors.h"
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
