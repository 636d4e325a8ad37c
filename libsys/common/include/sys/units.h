/* SPDX-License-Identifier: MIT */
/*
 * Small units every part of the system spells the same way, kernel and
 * user space alike: the element count of an array and time in nanoseconds
 * (the unit of every timeout, deadline and clock reading in the ABI).
 */
#pragma once

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NS_PER_US  1000ull
#define NS_PER_MS  1000000ull
#define NS_PER_SEC 1000000000ull

/* A millisecond in nanoseconds: timeouts read as `200 * MS`. */
#define MS NS_PER_MS
