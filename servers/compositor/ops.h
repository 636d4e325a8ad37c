/* SPDX-License-Identifier: MIT */
/* The compositor's display ops (ops.c) and the clock tick main.c arms (comp_tick). */
#pragma once

#include "comp.h"

extern const struct display_ops comp_display_ops;
/* Arm the timer for the next second of the top bar's clock (main.c). */
void comp_tick(struct comp *c);
