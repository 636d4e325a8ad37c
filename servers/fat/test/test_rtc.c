/* SPDX-License-Identifier: MIT */
/* Host test of the rtc service's time as a FAT stamp (rtc.c): fields, bounds, garbage. */
#include "../rtc.h"
#include "check.h"

static struct fat_stamp stamp(uint64_t y, uint64_t mo, uint64_t d, uint64_t h, uint64_t mi,
			      uint64_t s)
{
	struct rtc_time t = {y, mo, d, h, mi, s};
	return rtc_stamp(&t);
}

int main(void)
{
	struct fat_stamp s = stamp(2026, 12, 1, 23, 17, 42);
	CHECK_EQ(s.date, (46 << 9) | (12 << 5) | 1);
	CHECK_EQ(s.time, (23 << 11) | (17 << 5) | 21);
	CHECK_EQ(stamp(2026, 12, 1, 23, 17, 43).time, s.time); /* two-second steps */
	CHECK_EQ(stamp(1980, 1, 1, 0, 0, 0).date, (0 << 9) | (1 << 5) | 1);
	CHECK_EQ(stamp(2107, 12, 31, 23, 59, 59).date, (127 << 9) | (12 << 5) | 31);
	CHECK_EQ(stamp(2107, 12, 31, 23, 59, 59).time, (23 << 11) | (59 << 5) | 29);

	/* Out of range or out of FAT's years: the epoch. */
	CHECK_EQ(stamp(2026, 13, 1, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 0, 1, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 1, 0, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 1, 32, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 1, 1, 24, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 1, 1, 0, 60, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2026, 1, 1, 0, 0, 60).time, FAT_EPOCH_TIME);
	CHECK_EQ(stamp(1979, 12, 31, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(2108, 1, 1, 0, 0, 0).date, FAT_EPOCH_DATE);
	CHECK_EQ(stamp(UINT64_MAX, 1, 1, 0, 0, 0).date, FAT_EPOCH_DATE);
	return check_summary("fat_rtc");
}
