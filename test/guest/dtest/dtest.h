/* SPDX-License-Identifier: MIT */
/* dtest: the test table and the small assertion helpers its files share. */
#pragma once

#include <stdint.h>

#include "sys/device.h"
#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

struct dtest_ctx {
	int failed;
	char why[160];
};

struct dtest {
	const char *name;
	void (*fn)(struct dtest_ctx *t);
};

#define DT_CHECK(t, cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			(t)->failed = 1;                                                           \
			snprintf((t)->why, sizeof((t)->why), "%s (%s:%d)", #cond, __FILE__,        \
				 __LINE__);                                                        \
			return;                                                                    \
		}                                                                                  \
	} while (0)

#define MS 1000000ull

static inline handle_t dt_handle(const char *name)
{
	return start_handle(name, NULL);
}

extern const struct dtest dtest_irq_trigger_right;
extern const struct dtest dtest_irq_msi, dtest_irq_level, dtest_irq_storm, dtest_ports,
	dtest_devmem, dtest_dma, dtest_refused, dtest_irq_latency;
extern const struct dtest dtest_msi_vectors, dtest_msi_masked, dtest_msi_storm,
	dtest_msi_device_mask, dtest_dma_below_4g, dtest_phys_list, dtest_devmem_flags;
int dtest_child(int argc, char **argv);
