/* SPDX-License-Identifier: MIT */
/* uptime: how long the system has run, from the kernel's clock (SYS_CLOCK). */
#include "sys/stdio.h"
#include "sys/sys.h"

int main(void)
{
	unsigned long s = (unsigned long)(sys_clock() / 1000000000ull);

	printf("up %lu:%02lu:%02lu\n", s / 3600, s / 60 % 60, s % 60);
	return 0;
}
