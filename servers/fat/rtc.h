/* SPDX-License-Identifier: MIT */
/* The rtc service's time of day as a FAT stamp (rtc.c). */
#pragma once

#include "fat.h"
#include "proto/rtc.h"

/* t as a FAT stamp (seconds rounded down to even); the epoch for a time FAT cannot hold. */
struct fat_stamp rtc_stamp(const struct rtc_time *t);
