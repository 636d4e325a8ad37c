/* SPDX-License-Identifier: MIT */
/* Host test of the CMOS clock's decoding (rtc.c): BCD and binary, 12 and 24 hours, garbage. */
#include "../rtc.h"
#include "check.h"

int main(void)
{
	/* 2026-12-01 23:17:42 in BCD, 24-hour, century register 0x20 (QEMU's default). */
	struct rtc_regs r = {0x42, 0x17, 0x23, 0x01, 0x12, 0x26, 0x20, 0x02};
	struct fat_stamp s = rtc_stamp(&r);
	CHECK_EQ(s.date, (46 << 9) | (12 << 5) | 1);
	CHECK_EQ(s.time, (23 << 11) | (17 << 5) | 21);

	/* Binary, 12-hour: 11 PM. */
	r = (struct rtc_regs){42, 17, 0x80 | 11, 1, 12, 26, 20, 0x04};
	s = rtc_stamp(&r);
	CHECK_EQ(s.time, (23 << 11) | (17 << 5) | 21);
	r.hour = 12; /* 12 AM is hour 0 */
	CHECK_EQ(rtc_stamp(&r).time >> 11, 0);

	/* No century register: the 2000s. */
	r = (struct rtc_regs){0, 0, 0, 0x15, 0x06, 0x30, 0, 0x02};
	CHECK_EQ(rtc_stamp(&r).date, (50 << 9) | (6 << 5) | 15);

	/* Garbage (a month of 0x13, a year before 1980): the epoch. */
	r = (struct rtc_regs){0, 0, 0, 1, 0x13, 0x26, 0x20, 0x02};
	CHECK_EQ(rtc_stamp(&r).date, FAT_EPOCH_DATE);
	r = (struct rtc_regs){0, 0, 0, 1, 1, 0x70, 0x19, 0x02};
	CHECK_EQ(rtc_stamp(&r).date, FAT_EPOCH_DATE);
	return check_summary("fat_rtc");
}
