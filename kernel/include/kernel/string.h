/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions for the kernel: the same freestanding
 * implementation user space gets (libsys/common/string.c, compiled into both).
 */
#pragma once

#include <string.h>
