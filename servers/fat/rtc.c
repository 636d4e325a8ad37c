/* SPDX-License-Identifier: MIT */
/*
 * The CMOS real-time clock's registers as a FAT time stamp. main.c reads
 * the registers (ports 0x70/0x71); this part only decodes them, so a host
 * test can check it: BCD or binary (status B bit 2), 12- or 24-hour
 * (status B bit 1, bit 7 of the hour for PM), the century register if it
 * holds one. Values out of range give the documented epoch instead.
 */
#include "rtc.h"

static unsigned from_bcd(uint8_t x, bool binary)
{
	return binary ? x : (unsigned)(x >> 4) * 10 + (x & 0x0F);
}

struct fat_stamp rtc_stamp(const struct rtc_regs *r)
{
	bool binary = r->status_b & 0x04, h24 = r->status_b & 0x02;
	unsigned sec = from_bcd(r->sec, binary), min = from_bcd(r->min, binary);
	unsigned hour = from_bcd(r->hour & 0x7F, binary), day = from_bcd(r->day, binary);
	unsigned mon = from_bcd(r->mon, binary), year = from_bcd(r->year, binary);
	unsigned century = r->century ? from_bcd(r->century, binary) : 20;

	if (!h24)
		hour = hour % 12 + (r->hour & 0x80 ? 12 : 0);
	year += century * 100;
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 ||
	    year < 1980 || year > 2107)
		return (struct fat_stamp){FAT_EPOCH_DATE, FAT_EPOCH_TIME};
	return (struct fat_stamp){(uint16_t)((year - 1980) << 9 | mon << 5 | day),
				  (uint16_t)(hour << 11 | min << 5 | sec / 2)};
}
