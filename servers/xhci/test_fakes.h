/* SPDX-License-Identifier: MIT */
/* Fakes of the system calls the input client library makes (test_fakes.c). */
#pragma once

#include <stdint.h>

#include "sys/handle.h"

extern handle_t fake_input_ep; /* what ns_lookup_self("input") answers */
extern uint64_t fake_waits;    /* sys_ntfn_wait calls so far */
