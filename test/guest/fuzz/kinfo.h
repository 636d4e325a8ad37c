/* SPDX-License-Identifier: MIT */
/* The fuzzer's leak check over SYS_KINFO (kinfo.c). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "fuzz.h"

struct fz_baseline {
	struct kinfo before; /* before the first child: object counts */
	struct kinfo warm;   /* after it: frames, heap objects, page tables */
};

bool fz_kinfo_diff(const struct fz_baseline *b, const struct kinfo *now, bool objects_only,
		   char *out, size_t size);
bool fz_kinfo_settle(const struct fz_baseline *b, bool objects_only, unsigned ms, struct kinfo *now,
		     char *diff, size_t size);
/* The counters once the system's object counts have stood still for a while (at most ms):
 * the baseline, taken when services still starting up no longer add threads or objects. */
long fz_kinfo_quiet(struct kinfo *out, unsigned ms);
