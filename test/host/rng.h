/* SPDX-License-Identifier: MIT */
/*
 * Deterministic xorshift32 for the host unit tests' random-mutation runs:
 * each test keeps its own state (and seed), so a failure replays exactly.
 */
#pragma once

#include <stdint.h>

static inline uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}
