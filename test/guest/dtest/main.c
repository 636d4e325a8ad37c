/* SPDX-License-Identifier: MIT */
/*
 * dtest: in-guest tests of hardware access from ring 3. It is given the
 * four resource handles (irq, ioport, devmem, dma) and the framebuffer, and
 * checks that IRQs reach a notification (and a level line stays masked
 * until acknowledged), that only enabled ports work, that device memory
 * maps uncached and never over RAM, that DMA buffers are contiguous, and
 * that a child without these handles is refused every one of them.
 * It also prints the IRQ-to-driver latency for ./run bench.
 *
 * The tests run through the test framework (test/test.h), in the order of
 * the files in meson.build; with "child" as argv[0] dtest is that child.
 */
#include <string.h>

#include "dtest.h"
#include "test/main.h"

int main(int argc, char **argv)
{
	if (argc > 0 && strcmp(argv[0], "child") == 0)
		return dtest_child(argc, argv);
	return test_main("dtest", argc, argv);
}
