/* SPDX-License-Identifier: MIT */
/*
 * dtest: what its test files share besides the test framework (test/test.h):
 * the handles it was given, waiting for its helper threads, and the role of
 * a child without hardware handles (t_refused.c).
 */
#pragma once

#include <stdint.h>

#include "sys/device.h"
#include "sys/fmt.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/test.h"

static inline handle_t dt_handle(const char *name)
{
	return start_handle(name, NULL);
}

/* Threads here use their creator's stack frame: wait until they are finished. */
static inline void dt_wait_done(volatile int *done)
{
	for (int i = 0; i < 2000 && !*done; i++)
		sys_sleep(MS);
}

int dtest_child(int argc, char **argv);
