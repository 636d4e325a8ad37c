/* SPDX-License-Identifier: MIT */
/*
 * Finding the stream server (proto/stream.h): one name-service lookup,
 * kept. Apart from the rest of the client, which the runtime links into
 * every program (stdio), since only those who make streams need ns.
 */
#include "proto/ns.h"
#include "proto/stream.h"

handle_t stream_server(void)
{
	static handle_t server;

	if (server == HANDLE_INVALID) {
		long h = ns_lookup_self(STREAM_SERVICE);
		if (h > 0)
			server = (handle_t)h;
	}
	return server;
}
