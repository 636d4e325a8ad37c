/* SPDX-License-Identifier: MIT */
/*
 * date: the wall-clock date and time, from the rtc server (proto/rtc.h),
 * which reads the CMOS clock; printed as "2026-12-02 03:40:12 UTC" (the
 * clock holds UTC under QEMU, and the system knows no time zones).
 * Exit code 0, 1 when the clock cannot be read, 2 for arguments.
 */
#include "proto/ns.h"
#include "proto/rtc.h"
#include "sys/errors.h"
#include "sys/stdio.h"

int main(int argc, char **argv)
{
	struct rtc_time t;

	(void)argv;
	if (argc > 0) {
		dprintf(2, "usage: date (no arguments)\n");
		return 2;
	}
	long ep = ns_lookup_self(RTC_SERVICE);
	long err = ep < 0 ? ep : rtc_now((handle_t)ep, &t);
	if (err < 0) {
		dprintf(2, "date: cannot read the clock: %s\n", sys_error_name(err));
		return 1;
	}
	printf("%04lu-%02lu-%02lu %02lu:%02lu:%02lu UTC\n", (unsigned long)t.year,
	       (unsigned long)t.month, (unsigned long)t.day, (unsigned long)t.hour,
	       (unsigned long)t.minute, (unsigned long)t.second);
	return 0;
}
