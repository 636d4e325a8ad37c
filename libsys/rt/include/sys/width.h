/* SPDX-License-Identifier: MIT */
/* Terminal columns of a code point (width.c): 0 (combining, zero-width), 1 or 2 (East Asian Wide).
 */
#pragma once

#include <stdint.h>

int char_width(uint32_t cp);
