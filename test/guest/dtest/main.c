/* SPDX-License-Identifier: MIT */
/*
 * dtest: in-guest tests of hardware access from ring 3. It is given the
 * four resource handles (irq, ioport, devmem, dma) and the framebuffer, and
 * checks that IRQs reach a notification (and a level line stays masked
 * until acknowledged), that only enabled ports work, that device memory
 * maps uncached and never over RAM, that DMA buffers are contiguous, and
 * that a child without these handles is refused every one of them.
 * It also prints the IRQ-to-driver latency for ./run bench.
 */
#include <string.h>

#include "dtest.h"

static const struct dtest *const tests[] = {
	&dtest_irq_msi,		&dtest_irq_level,    &dtest_irq_storm,
	&dtest_ports,		&dtest_devmem,	     &dtest_dma,
	&dtest_refused,		&dtest_irq_latency,  &dtest_irq_trigger_right,
	&dtest_msi_vectors,	&dtest_msi_masked,   &dtest_msi_storm,
	&dtest_msi_device_mask, &dtest_dma_below_4g, &dtest_phys_list,
	&dtest_devmem_flags,
};

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	if (argc > 0 && strcmp(argv[0], "child") == 0)
		return dtest_child(argc, argv);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		struct dtest_ctx ctx = {0};
		tests[i]->fn(&ctx);
		if (ctx.failed) {
			failed++;
			printf("DTEST %s FAIL: %s\n", tests[i]->name, ctx.why);
		} else {
			passed++;
			printf("DTEST %s PASS\n", tests[i]->name);
		}
	}
	int n = (int)(sizeof(tests) / sizeof(tests[0]));
	printf("DTEST SUMMARY %d passed, %d failed, %d registered\n", passed, failed, n);
	return failed == 0 && passed == n ? 0 : 1;
}
