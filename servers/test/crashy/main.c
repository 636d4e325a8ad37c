/* SPDX-License-Identifier: MIT */
/*
 * crashy: a test server that crashes as soon as it starts, every time, so
 * the supervisor's back-off and giving up can be seen (it is not started at
 * boot: `svc start crashy`). Recovery: stateless (it never gets that far).
 */
#include "sys/stdio.h"

int main(void)
{
	volatile int *volatile nowhere = (int *)16;

	printf("crashy: starting, and crashing\n");
	*nowhere = 1;
	return 0;
}
