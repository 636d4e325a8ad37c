/* SPDX-License-Identifier: MIT */
/*
 * The time of day as a FAT time stamp. main.c asks the rtc service for it
 * (RTC_NOW, proto/rtc.h: the CMOS clock, decoded there), so fat holds no
 * I/O ports; this part only converts, so a host test can check it. A time
 * out of range, or one FAT cannot hold (before 1980, after 2107), gives the
 * documented epoch instead.
 */
#include "rtc.h"

struct fat_stamp rtc_stamp(const struct rtc_time *t)
{
	if (t->second > 59 || t->minute > 59 || t->hour > 23 || t->day < 1 || t->day > 31 ||
	    t->month < 1 || t->month > 12 || t->year < 1980 || t->year > 2107)
		return (struct fat_stamp){FAT_EPOCH_DATE, FAT_EPOCH_TIME};
	return (struct fat_stamp){(uint16_t)((t->year - 1980) << 9 | t->month << 5 | t->day),
				  (uint16_t)(t->hour << 11 | t->minute << 5 | t->second / 2)};
}
