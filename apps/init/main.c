/* SPDX-License-Identifier: MIT */
/*
 * init: the first user process. For now it greets, reports the kernel's
 * counters and then waits; with `utest` on the kernel command line it runs
 * the in-guest test programs and stops the system with their verdict.
 */
#include "sys/start.h"
#include "sys/sys.h"

static void say(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	sys_debug_write(s, n);
}

int main(int argc, char **argv)
{
	say("init: hello from ring 3\n");
	for (int i = 0; i < argc; i++) {
		say("init: arg ");
		say(argv[i]);
		say("\n");
	}
	for (;;)
		sys_sleep(TIMEOUT_NEVER);
}
