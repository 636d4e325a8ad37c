/* SPDX-License-Identifier: MIT */
/*
 * The comparison behind test/kinfo.h's leak checks: SYS_KINFO snapshots
 * field by field. Apart from kinfo.c so that a program can compare without
 * the test runner (the fault campaign, test/guest/camp).
 */
#include <stddef.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/kinfo.h"

/* The counters a test must find back; the clock and totals may move. Objects are
 * kernel objects, counted one by one (the rest are frames and pages). */
static const struct {
	const char *name;
	size_t offset;
	bool object;
} fields[] = {
	{"frames_free", offsetof(struct kinfo, frames_free), false},
	{"heap_live_objects", offsetof(struct kinfo, heap_live_objects), false},
	{"processes", offsetof(struct kinfo, processes), true},
	{"threads", offsetof(struct kinfo, threads), true},
	{"endpoints", offsetof(struct kinfo, endpoints), true},
	{"notifications", offsetof(struct kinfo, notifications), true},
	{"mobjs", offsetof(struct kinfo, mobjs), true},
	{"replies", offsetof(struct kinfo, replies), true},
	{"page_tables", offsetof(struct kinfo, page_tables), false},
};

long test_kinfo(struct kinfo *k)
{
	memset(k, 0, sizeof(*k));
	return sys_kinfo(k);
}

static uint64_t field(const struct kinfo *k, size_t i)
{
	return *(const uint64_t *)((const char *)k + fields[i].offset);
}

unsigned test_kinfo_diff(const struct kinfo *a, const struct kinfo *b, bool objects_only, char *out,
			 size_t size)
{
	size_t used = 0;
	unsigned moved = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (field(a, i) == field(b, i) || (objects_only && !fields[i].object))
			continue;
		moved++;
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, " %s %lu->%lu",
						 fields[i].name, (unsigned long)field(a, i),
						 (unsigned long)field(b, i));
	}
	return moved;
}
