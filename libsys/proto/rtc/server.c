/* SPDX-License-Identifier: MIT */
/* Server side of the rtc protocol (proto/rtc.h): check the request is empty, call the op, encode.
 */
#include <string.h>

#include "proto/rtc.h"
#include "sys/errors.h"

static long on_now(struct server_request *req)
{
	const struct rtc_server *rs = req->ctx;
	struct rtc_time t;

	if (IPC_TAG_WORDS(req->in_tag) || IPC_TAG_BYTES(req->in_tag) ||
	    req->cap_in != HANDLE_INVALID)
		return E_INVAL;
	long err = rs->ops->now(rs->ctx, &t);
	if (err < 0)
		return err;
	memcpy(req->msg.w, &t, sizeof(t));
	req->msg.tag = IPC_TAG(0, 6, 0, 0);
	return E_OK;
}

static const struct server_method rtc_methods[] = {
	{RTC_NOW, 0, on_now},
};

struct server rtc_server(handle_t ep, struct rtc_server *rs)
{
	return (struct server){.endpoint = ep, .methods = SERVER_METHODS(rtc_methods), .ctx = rs};
}
