/* SPDX-License-Identifier: MIT */
/*
 * The rtc protocol (methods 0x0D00-0x0DFF, sys/protocols.h) of the rtc
 * server (servers/rtc): the wall-clock date and time from the CMOS clock,
 * for `date` and any program that wants the time of day. The library:
 * this header, the client stub (client.c), the server-side decode into
 * rtc_ops (server.c); the server's handler is servers/rtc/clock.c, and its
 * host test servers/rtc/test_rtc.c.
 *
 * RTC_NOW (idempotent)
 *   request: nothing (no words, no bytes, no capability).
 *   reply:   w0-w5 = struct rtc_time: year (e.g. 2026), month 1-12, day
 *            1-31 (valid for its month), hour 0-23, minute, second 0-59,
 *            as the CMOS clock holds them (under QEMU: UTC).
 *   errors:  E_INVAL for a request with anything in it, E_IO when the clock
 *            reads an impossible date (a dead battery, a clock never set).
 *
 * Recovery: stateless; the stub resends after E_RESTARTED.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/protocols.h"
#include "sys/server.h"

#define RTC_PROTOCOL_BASE PROTOCOL_BASE(rtc)
#define RTC_NOW		  (RTC_PROTOCOL_BASE + 0x01)

#define RTC_SERVICE  "rtc" /* its name in the name service */
#define RTC_ATTEMPTS 3	   /* how often rtc_now sends its request */

struct rtc_time {
	uint64_t year, month, day, hour, minute, second;
};
_Static_assert(sizeof(struct rtc_time) == 6 * sizeof(uint64_t), "6 words");

/* Client stub: the time now into *t; E_OK or an error. */
long rtc_now(handle_t ep, struct rtc_time *t);
/* The same, each call given up after `timeout` ns (E_TIMEOUT: rtc stopped or hung). */
long rtc_now_within(handle_t ep, uint64_t timeout, struct rtc_time *t);

/* Server side: the one op, and the method table that decodes into it. */
struct rtc_ops {
	long (*now)(void *ctx, struct rtc_time *t);
};
struct rtc_server {
	const struct rtc_ops *ops;
	void *ctx;
};
struct server rtc_server(handle_t ep, struct rtc_server *rs);
