/* SPDX-License-Identifier: MIT */
/*
 * ns_mint_self (proto/ns.h): a server's own endpoint with a fresh badge,
 * looked up through the name service. Apart from client.c because host
 * tests build client.c against fakes that have no sys_handle_info.
 */
#include "proto/ns.h"
#include "sys/errors.h"
#include "sys/sys.h"

long ns_mint_self(const char *name, handle_t *h, uint64_t *badge)
{
	struct handle_info info;
	long r = ns_lookup_self(name);

	if (r < 0)
		return r;
	long err = sys_handle_info((handle_t)r, &info);
	if (err == E_OK && info.badge == 0)
		err = E_PROTO;
	if (err != E_OK) {
		sys_handle_close((handle_t)r);
		return err;
	}
	*h = (handle_t)r;
	*badge = info.badge;
	return E_OK;
}
