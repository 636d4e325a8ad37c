/* SPDX-License-Identifier: MIT */
/*
 * dsktest: in-guest tests of the desktop through the display protocol
 * (proto/display.h) and the gui library, against the running compositor
 * and the windows the boot opened (clock, counter). Suites: input (keys
 * reach only the focused window, the pointer reaches the window under it
 * in window coordinates, a press raises), hostile (every bad request a
 * client can make, refused, the compositor unharmed) crash (a client
 * that dies loses its window and only its window), paint (a stroke on the
 * paint app for the QEMU test's screendump) and bench (the
 * compositor's composition code and gui text timed, for ./run bench).
 * `dsktest <suite>...` runs those suites; no arguments all of them;
 * `dsktest child` is the crash suite's client: it opens a window and faults.
 */
#include <string.h>

#include "dsktest.h"
#include "test/main.h"

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "child"))
		return dt_child();
	return test_main("dsktest", argc, argv);
}
