/* SPDX-License-Identifier: MIT */
/*
 * misbehave: a program that does one bad thing on purpose, for the shell's
 * tests (test/qemu/test_sh.py): `misbehave fault` writes to an unmapped
 * address (a page fault), `misbehave spin` loops for ever without reading
 * anything, `misbehave deaf` reads stdin and ignores every interrupt
 * (E_INTR) it gets, so only a kill stops either of the last two.
 */
#include <string.h>

#include "sys/errors.h"
#include "sys/stdio.h"

#define UNMAPPED 0xdead0000ull

int main(int argc, char **argv)
{
	static volatile unsigned long spins;
	char buf[64];

	if (argc == 1 && strcmp(argv[0], "fault") == 0) {
		*(volatile int *)UNMAPPED = 1;
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "spin") == 0)
		for (;;)
			spins++;
	if (argc == 1 && strcmp(argv[0], "deaf") == 0) {
		printf("misbehave: deaf to interrupts\n");
		for (;;) {
			long n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n == 0)
				return 0;
			if (n == E_INTR)
				printf("misbehave: interrupt ignored\n");
		}
	}
	dprintf(2, "usage: misbehave fault|spin|deaf\n");
	return 2;
}
