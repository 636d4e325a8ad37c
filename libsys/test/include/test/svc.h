/* SPDX-License-Identifier: MIT */
/*
 * Services for in-guest tests (svc.c): start one and wait until it runs,
 * or wait until a crashed one runs again as a new process. Both poll the
 * supervisor (proto/svc.h) every few milliseconds for up to
 * TEST_SVC_WAIT_MS and give E_TIMEOUT after that.
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"

#define TEST_SVC_WAIT_MS 10000

/* Start `name` (through the supervisor's svc endpoint ctl) and wait until it runs. */
long test_svc_start(handle_t ctl, const char *name);
/* Wait until `name` runs as a process other than old_pid (its pid before a crash). */
long test_svc_wait_restart(handle_t ctl, const char *name, uint64_t old_pid);
