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

/*
 * The counters a test must find back; the clock and totals may move. Objects
 * are kernel objects, counted one by one (the rest are frames and pages).
 * Free frames are counted with the kernel heap's pages: the heap keeps an
 * empty page per size class as a spare and may spread the same live
 * objects over one page more, which is no leak (heap_live_objects counts
 * the objects themselves).
 */
static const struct {
	const char *name;
	size_t offset, plus; /* the value: the field at offset, plus the one at plus if nonzero */
	bool object;
} fields[] = {
	{"frames_free+heap_pages", offsetof(struct kinfo, frames_free),
	 offsetof(struct kinfo, heap_pages), false},
	{"heap_live_objects", offsetof(struct kinfo, heap_live_objects), 0, false},
	{"processes", offsetof(struct kinfo, processes), 0, true},
	{"threads", offsetof(struct kinfo, threads), 0, true},
	{"endpoints", offsetof(struct kinfo, endpoints), 0, true},
	{"notifications", offsetof(struct kinfo, notifications), 0, true},
	{"mobjs", offsetof(struct kinfo, mobjs), 0, true},
	{"replies", offsetof(struct kinfo, replies), 0, true},
	{"page_tables", offsetof(struct kinfo, page_tables), 0, false},
};

long test_kinfo(struct kinfo *k)
{
	memset(k, 0, sizeof(*k));
	return sys_kinfo(k);
}

static uint64_t at(const struct kinfo *k, size_t offset)
{
	return *(const uint64_t *)((const char *)k + offset);
}

static uint64_t field(const struct kinfo *k, size_t i)
{
	return at(k, fields[i].offset) + (fields[i].plus ? at(k, fields[i].plus) : 0);
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
