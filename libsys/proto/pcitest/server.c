/* SPDX-License-Identifier: MIT */
/*
 * The server side the pcitest protocol's two servers share (proto/pcitest.h):
 * PCITEST_HANDLES, the names of the start handles the instance was given.
 */
#include "proto/pcitest.h"
#include "sys/errors.h"
#include "sys/start.h"

long pcitest_handles_handler(struct server_request *req)
{
	uint32_t n, used = 0;
	const struct start_handle *h = bootstrap_handles(&n);

	for (uint32_t i = 0; i < n; i++)
		if (server_put_name(req, &used, h[i].name) != E_OK)
			return E_NOSPACE;
	req->msg.w[0] = n;
	req->msg.tag = IPC_TAG(0, 1, 0, used);
	return E_OK;
}
