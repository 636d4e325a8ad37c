/* SPDX-License-Identifier: MIT */
/*
 * Connecting a client to a filesystem (proto/fs.h, fs_connect): its
 * endpoint looked up through ns, a buffer made and mapped where the
 * program says, the client set. Target only (host tests set clients up
 * by hand).
 */
#include "proto/fs.h"
#include "proto/ns.h"
#include "sys/errors.h"
#include "sys/sys.h"

long fs_connect(struct fs_client *c, const char *endpoint, uintptr_t va, uint64_t bytes,
		uint64_t timeout)
{
	if (c->ep)
		return E_OK;
	long ep = ns_lookup_self(endpoint);
	if (ep < 0)
		return ep;
	long m = sys_mobj_create(bytes, 0);
	long err =
		m < 0 ? m : sys_mobj_map(HANDLE_SELF, (handle_t)m, va, 0, bytes, R_READ | R_WRITE);
	if (err < 0) {
		if (m >= 0)
			sys_handle_close((handle_t)m);
		sys_handle_close((handle_t)ep);
		return err;
	}
	*c = (struct fs_client){.ep = (handle_t)ep,
				.buffer = (handle_t)m,
				.data = (uint8_t *)va,
				.timeout = timeout};
	return E_OK;
}
