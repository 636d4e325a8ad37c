/* SPDX-License-Identifier: MIT */
/*
 * The rtc server's handler: read the CMOS clock and decode it. The chip
 * updates its registers once a second, and a reading taken across an
 * update can mix two seconds, so we wait while status A says an update is
 * in progress and read until two readings in a row agree (a few tries).
 * Decoding follows status B: bit 2 set means binary values, else BCD; bit
 * 1 set means 24-hour, else 12-hour with bit 7 of the hour for PM. A
 * century register of 0 (never set) means the 2000s. A date that is not a
 * real one (month 13, February 30, a BCD digit above 9) is E_IO: better no
 * answer than a wrong one.
 */
#include "clock.h"

#include <string.h>

#include "sys/errors.h"

#define UPDATE_IN_PROGRESS 0x80 /* status A */
#define STATUS_B_BINARY	   0x04
#define STATUS_B_24H	   0x02
#define HOUR_PM		   0x80
#define UPDATE_WAIT	   10000 /* reads of status A: an update lasts under 2 ms */
#define READ_TRIES	   5

/* A register's value; UINT32_MAX for a BCD byte with a digit above 9. */
static uint32_t value(uint8_t x, bool binary)
{
	if (binary)
		return x;
	if ((x >> 4) > 9 || (x & 0x0F) > 9)
		return UINT32_MAX;
	return (uint32_t)(x >> 4) * 10 + (x & 0x0F);
}

static bool leap(uint64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint64_t days_in(uint64_t year, uint64_t month)
{
	static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return days[month - 1] + (month == 2 && leap(year));
}

/* The hour in 0-23 from the register (UINT32_MAX if impossible). */
static uint32_t hour_of(uint8_t reg, uint8_t status_b)
{
	bool binary = status_b & STATUS_B_BINARY;

	if (status_b & STATUS_B_24H)
		return value(reg, binary);
	uint32_t h = value(reg & (uint8_t)~HOUR_PM, binary);
	if (h < 1 || h > 12)
		return UINT32_MAX;
	return h % 12 + (reg & HOUR_PM ? 12 : 0);
}

long clock_decode(const struct cmos_regs *r, struct rtc_time *t)
{
	bool binary = r->status_b & STATUS_B_BINARY;
	uint32_t century = r->century ? value(r->century, binary) : 20;
	uint32_t year = value(r->year, binary);

	*t = (struct rtc_time){.month = value(r->month, binary),
			       .day = value(r->day, binary),
			       .hour = hour_of(r->hour, r->status_b),
			       .minute = value(r->minute, binary),
			       .second = value(r->second, binary)};
	if (century > 99 || year > 99)
		return E_IO;
	t->year = century * 100ull + year;
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > days_in(t->year, t->month))
		return E_IO;
	return t->hour > 23 || t->minute > 59 || t->second > 59 ? E_IO : E_OK;
}

static void read_regs(const struct clock_env *env, struct cmos_regs *r)
{
	for (unsigned i = 0; i < UPDATE_WAIT; i++)
		if (!(env->read(env->ctx, CMOS_STATUS_A) & UPDATE_IN_PROGRESS))
			break;
	*r = (struct cmos_regs){
		.second = env->read(env->ctx, CMOS_SECOND),
		.minute = env->read(env->ctx, CMOS_MINUTE),
		.hour = env->read(env->ctx, CMOS_HOUR),
		.day = env->read(env->ctx, CMOS_DAY),
		.month = env->read(env->ctx, CMOS_MONTH),
		.year = env->read(env->ctx, CMOS_YEAR),
		.century = env->read(env->ctx, CMOS_CENTURY),
		.status_b = env->read(env->ctx, CMOS_STATUS_B),
	};
}

static long clock_now(void *ctx, struct rtc_time *t)
{
	const struct clock_env *env = ctx;
	struct cmos_regs a, b;

	read_regs(env, &a);
	for (int i = 0; i < READ_TRIES; i++) {
		read_regs(env, &b);
		if (memcmp(&a, &b, sizeof(a)) == 0)
			return clock_decode(&a, t);
		a = b;
	}
	return E_IO; /* never two equal readings: the chip is not steady */
}

const struct rtc_ops clock_ops = {.now = clock_now};
