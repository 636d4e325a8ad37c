/* SPDX-License-Identifier: MIT */
/* Client stub of the rtc protocol (proto/rtc.h): RTC_NOW, resent after a restart. */
#include <string.h>

#include "proto/rtc.h"
#include "sys/errors.h"
#include "sys/sys.h"

long rtc_now(handle_t ep, struct rtc_time *t)
{
	return rtc_now_within(ep, TIMEOUT_NEVER, t);
}

long rtc_now_within(handle_t ep, uint64_t timeout, struct rtc_time *t)
{
	struct ipc_msg m = {.tag = IPC_TAG(RTC_NOW, 0, 0, 0)};
	long err = ipc_call_retry(ep, &m, timeout, RTC_ATTEMPTS);

	if (err < 0)
		return err;
	long status = ipc_label_status(&m);
	if (status < 0)
		return status;
	if (IPC_TAG_WORDS(m.tag) < 6)
		return E_PROTO;
	memcpy(t, m.w, sizeof(*t));
	return E_OK;
}
