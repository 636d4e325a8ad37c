/* SPDX-License-Identifier: MIT */
/*
 * counter's handlers (counter.c): the ops of proto/counter.h over a struct
 * counter_state (their ctx), and the start-up check of that state. Pure, so
 * the host test runs them on a state of its own.
 */
#pragma once

#include <stdbool.h>

#include "proto/counter.h"

/*
 * Make s this instance's: a fresh (all-zero) state is set up, one whose
 * magic is wrong is reset to 0 (true: a count was thrown away), and the
 * instance count goes up by one.
 */
bool counter_state_open(struct counter_state *s);

extern const struct counter_ops counter_ops;
