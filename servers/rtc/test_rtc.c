/* SPDX-License-Identifier: MIT */
/*
 * Host test of the rtc server: the client stub (rtc_now) through the fake
 * transport into the protocol's decode and the real handler (clock.c),
 * over fake CMOS registers. Checks BCD and binary, 24- and 12-hour (noon,
 * midnight, PM), the century register and its absence, leap years, every
 * impossible value refused with E_IO, the wait while an update is in
 * progress, a clock that never reads the same twice, a malformed request,
 * and the resend after a restart.
 */
#include <string.h>

#include "check.h"
#include "clock.h"
#include "fake_ipc.h"
#include "sys/errors.h"
#include "sys/sys.h"

static uint8_t regs[128];
static unsigned busy_reads; /* status A says "update in progress" this many more times */
static unsigned reads;	    /* of any register */
static bool ticking;	    /* the seconds change at every read */

static uint8_t fake_read(void *ctx, uint8_t reg)
{
	(void)ctx;
	reads++;
	if (reg == CMOS_STATUS_A) {
		if (busy_reads == 0)
			return 0x26;
		busy_reads--;
		return 0xA6;
	}
	if (reg == CMOS_SECOND && ticking)
		regs[CMOS_SECOND] = (uint8_t)((regs[CMOS_SECOND] + 1) % 60);
	return regs[reg];
}

static struct clock_env env = {fake_read, NULL};
static struct rtc_server rs = {&clock_ops, &env};
static struct server server;

/* A fresh server whose clock reads the given BCD/binary values with status B. */
static handle_t fresh(uint8_t status_b, const uint8_t v[7])
{
	fake_ipc_reset();
	memset(regs, 0, sizeof(regs));
	busy_reads = reads = 0;
	ticking = false;
	regs[CMOS_CENTURY] = v[0];
	regs[CMOS_YEAR] = v[1];
	regs[CMOS_MONTH] = v[2];
	regs[CMOS_DAY] = v[3];
	regs[CMOS_HOUR] = v[4];
	regs[CMOS_MINUTE] = v[5];
	regs[CMOS_SECOND] = v[6];
	regs[CMOS_STATUS_B] = status_b;
	server = rtc_server(0, &rs);
	return fake_ipc_endpoint(&server, 1);
}

static void check_time(const struct rtc_time *t, uint64_t y, uint64_t mo, uint64_t d, uint64_t h,
		       uint64_t mi, uint64_t s)
{
	CHECK_EQ(t->year, y);
	CHECK_EQ(t->month, mo);
	CHECK_EQ(t->day, d);
	CHECK_EQ(t->hour, h);
	CHECK_EQ(t->minute, mi);
	CHECK_EQ(t->second, s);
}

static void test_bcd_24h(void)
{
	handle_t ep = fresh(0x02, (const uint8_t[]){0x20, 0x26, 0x12, 0x02, 0x03, 0x40, 0x12});
	struct rtc_time t;

	CHECK_EQ(rtc_now(ep, &t), E_OK);
	check_time(&t, 2026, 12, 2, 3, 40, 12);
}

static void test_binary_12h(void)
{
	struct rtc_time t;
	handle_t ep = fresh(0x04, (const uint8_t[]){0, 99, 2, 28, 0x80 | 3, 59, 58});

	CHECK_EQ(rtc_now(ep, &t), E_OK);
	check_time(&t, 2099, 2, 28, 15, 59, 58); /* 3 PM; no century register: the 2000s */
	ep = fresh(0x04, (const uint8_t[]){19, 99, 12, 31, 12, 0, 0});
	CHECK_EQ(rtc_now(ep, &t), E_OK);
	check_time(&t, 1999, 12, 31, 0, 0, 0); /* 12 AM: midnight */
	ep = fresh(0x04, (const uint8_t[]){19, 99, 12, 31, 0x80 | 12, 0, 0});
	CHECK_EQ(rtc_now(ep, &t), E_OK);
	CHECK_EQ(t.hour, 12); /* 12 PM: noon */
}

static void test_leap_years(void)
{
	struct rtc_time t;

	CHECK_EQ(rtc_now(fresh(0x06, (const uint8_t[]){20, 24, 2, 29, 1, 2, 3}), &t), E_OK);
	CHECK_EQ(rtc_now(fresh(0x06, (const uint8_t[]){20, 0, 2, 29, 1, 2, 3}), &t), E_OK);
	CHECK_EQ(rtc_now(fresh(0x06, (const uint8_t[]){21, 0, 2, 29, 1, 2, 3}), &t), E_IO);
	CHECK_EQ(rtc_now(fresh(0x06, (const uint8_t[]){20, 25, 2, 29, 1, 2, 3}), &t), E_IO);
}

static void test_impossible_values(void)
{
	static const struct {
		uint8_t status_b;
		uint8_t v[7];
	} bad[] = {
		{0x02, {0x20, 0x26, 0x13, 0x01, 0x00, 0x00, 0x00}}, /* month 13 */
		{0x02, {0x20, 0x26, 0x00, 0x01, 0x00, 0x00, 0x00}}, /* month 0 */
		{0x02, {0x20, 0x26, 0x04, 0x31, 0x00, 0x00, 0x00}}, /* 31 April */
		{0x02, {0x20, 0x26, 0x04, 0x00, 0x00, 0x00, 0x00}}, /* day 0 */
		{0x02, {0x20, 0x26, 0x01, 0x01, 0x24, 0x00, 0x00}}, /* hour 24 */
		{0x02, {0x20, 0x26, 0x01, 0x01, 0x00, 0x60, 0x00}}, /* minute 60 */
		{0x02, {0x20, 0x26, 0x01, 0x01, 0x00, 0x00, 0x60}}, /* second 60 */
		{0x02, {0x20, 0x2A, 0x01, 0x01, 0x00, 0x00, 0x00}}, /* a BCD digit above 9 */
		{0x02, {0xFF, 0x26, 0x01, 0x01, 0x00, 0x00, 0x00}}, /* century */
		{0x00, {0x20, 0x26, 0x01, 0x01, 0x00, 0x00, 0x00}}, /* 12-hour hour 0 */
		{0x00, {0x20, 0x26, 0x01, 0x01, 0x13, 0x00, 0x00}}, /* 12-hour hour 13 */
		{0x06, {20, 100, 1, 1, 0, 0, 0}},		    /* binary year 100 */
		{0x06, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}}, /* a chip that is not there */
	};
	struct rtc_time t;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(rtc_now(fresh(bad[i].status_b, bad[i].v), &t), E_IO);
}

static void test_update_in_progress(void)
{
	handle_t ep = fresh(0x06, (const uint8_t[]){20, 26, 6, 30, 23, 59, 59});
	struct rtc_time t;

	busy_reads = 50;
	CHECK_EQ(rtc_now(ep, &t), E_OK);
	CHECK_EQ(busy_reads, 0); /* it waited */
	check_time(&t, 2026, 6, 30, 23, 59, 59);
}

static void test_unsteady_clock(void)
{
	handle_t ep = fresh(0x06, (const uint8_t[]){20, 26, 6, 30, 23, 59, 0});
	struct rtc_time t;

	ticking = true;
	CHECK_EQ(rtc_now(ep, &t), E_IO);
	CHECK(reads < 200); /* it gave up after a few tries */
}

static void test_protocol(void)
{
	handle_t ep = fresh(0x06, (const uint8_t[]){20, 26, 1, 2, 3, 4, 5});
	struct ipc_msg m = {.tag = IPC_TAG(RTC_NOW, 1, 0, 0)};
	struct rtc_time t;

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* a word */
	m = (struct ipc_msg){.tag = IPC_TAG(RTC_NOW, 0, 0, 4)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* bytes */
	m = (struct ipc_msg){.tag = IPC_TAG(RTC_NOW, 0, 1, 0), .cap = fake_ipc_handle()};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* a capability */
	fake_ipc_fail_next(E_RESTARTED, RTC_ATTEMPTS - 1, 0);
	CHECK_EQ(rtc_now(ep, &t), E_OK); /* resent */
	check_time(&t, 2026, 1, 2, 3, 4, 5);
	fake_ipc_fail_next(E_RESTARTED, RTC_ATTEMPTS, 0);
	CHECK_EQ(rtc_now(ep, &t), E_RESTARTED);
}

int main(void)
{
	test_bcd_24h();
	test_binary_12h();
	test_leap_years();
	test_impossible_values();
	test_update_in_progress();
	test_unsteady_clock();
	test_protocol();
	return check_summary("rtc");
}
