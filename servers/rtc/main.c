/* SPDX-License-Identifier: MIT */
/*
 * rtc: the wall-clock server (proto/rtc.h). It holds the CMOS clock's
 * ports (0x70 selects a register, 0x71 reads it: its manifest's ioport)
 * and answers RTC_NOW; clock.c reads and decodes, this file does the port
 * I/O and the server loop. Recovery: stateless (the time is in the chip).
 */
#include "clock.h"
#include "sys/device.h"
#include "sys/errors.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

static uint8_t cmos_read(void *ctx, uint8_t reg)
{
	(void)ctx;
	port_out8(CMOS_INDEX, reg);
	return port_in8(CMOS_DATA);
}

int main(void)
{
	static struct clock_env env = {cmos_read, NULL};
	static struct rtc_server rs = {&clock_ops, &env};
	handle_t ep = start_handle(RTC_SERVICE, NULL);
	handle_t ports = start_handle("ioport:70", NULL);

	if (ep == HANDLE_INVALID || ports == HANDLE_INVALID || sys_ioport_enable(ports) != E_OK) {
		printf("rtc: no endpoint or no CMOS ports (ioport:70) given\n");
		return 1;
	}
	struct server s = rtc_server(ep, &rs);
	return (int)server_run(&s);
}
