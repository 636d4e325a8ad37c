/* SPDX-License-Identifier: MIT */
/* echo's handlers (echo.c): the ops of proto/echo.h, pure so host tests run them. */
#pragma once

#include <stdint.h>

#include "proto/echo.h"

struct echo_state {
	uint64_t pid; /* this instance's, told to every caller */
};

extern const struct echo_ops echo_ops;
