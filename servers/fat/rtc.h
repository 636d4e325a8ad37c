/* SPDX-License-Identifier: MIT */
/* The CMOS clock's registers and their decoding into a FAT stamp (rtc.c). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fat.h"

struct rtc_regs {
	uint8_t sec, min, hour, day, mon, year, century, status_b;
};

struct fat_stamp rtc_stamp(const struct rtc_regs *r);
