/* SPDX-License-Identifier: MIT */
/* The compositor's display ops (ops.c). */
#pragma once

#include "comp.h"

extern const struct display_ops comp_display_ops;
