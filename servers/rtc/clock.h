/* SPDX-License-Identifier: MIT */
/*
 * The rtc server's handler (clock.c): the CMOS clock's registers read
 * through env (the real ports in main.c, fakes in test_rtc.c), decoded and
 * checked into a struct rtc_time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/rtc.h"

/* CMOS registers: the time and date, status A (update in progress) and B (the format). */
enum cmos_reg {
	CMOS_SECOND = 0x00,
	CMOS_MINUTE = 0x02,
	CMOS_HOUR = 0x04,
	CMOS_DAY = 0x07,
	CMOS_MONTH = 0x08,
	CMOS_YEAR = 0x09,
	CMOS_STATUS_A = 0x0A,
	CMOS_STATUS_B = 0x0B,
	CMOS_CENTURY = 0x32, /* where PCs keep it (the ACPI FADT may say otherwise; QEMU: here) */
};

struct clock_env {
	uint8_t (*read)(void *ctx, uint8_t reg);
	void *ctx;
};

/* The registers of one reading, as the chip gave them. */
struct cmos_regs {
	uint8_t second, minute, hour, day, month, year, century, status_b;
};

/* Decode one reading (BCD or binary, 12- or 24-hour); E_IO for an impossible date. */
long clock_decode(const struct cmos_regs *r, struct rtc_time *t);

/* The ops, with a struct clock_env as their ctx. */
extern const struct rtc_ops clock_ops;
