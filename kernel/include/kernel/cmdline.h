/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line from GRUB: space-separated words, each `key` or
 * `key=value`. Looked up by key; values are copied out, never trusted long.
 */
#pragma once

#include "kernel/types.h"

void cmdline_set(const char *line);
const char *cmdline_raw(void);
/* Copy the value of `key` into buf; returns false if the key is absent. */
bool cmdline_get(const char *key, char *buf, size_t size);
/* Whether the comma-separated value of `key` contains `item` (or "all"). */
bool cmdline_list_has(const char *key, const char *item);
