/* SPDX-License-Identifier: MIT */
/* The leak checks of test/kinfo.h: compare SYS_KINFO snapshots field by field. */
#include "test/kinfo.h"

#include <stddef.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/sys.h"
#include "sys/units.h"

/* The counters a test must find back; the clock and totals may move. */
static const struct {
	const char *name;
	size_t offset;
} fields[] = {
	{"frames_free", offsetof(struct kinfo, frames_free)},
	{"heap_live_objects", offsetof(struct kinfo, heap_live_objects)},
	{"processes", offsetof(struct kinfo, processes)},
	{"threads", offsetof(struct kinfo, threads)},
	{"endpoints", offsetof(struct kinfo, endpoints)},
	{"notifications", offsetof(struct kinfo, notifications)},
	{"mobjs", offsetof(struct kinfo, mobjs)},
	{"replies", offsetof(struct kinfo, replies)},
	{"page_tables", offsetof(struct kinfo, page_tables)},
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

/* The counters that differ, as " name a->b"; empty when none does. */
static void diff(const struct kinfo *a, const struct kinfo *b, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (field(a, i) != field(b, i) && used < size)
			used += (size_t)snprintf(out + used, size - used, " %s %lu->%lu",
						 fields[i].name, (unsigned long)field(a, i),
						 (unsigned long)field(b, i));
}

void test_kinfo_same(struct test_ctx *t, const char *file, int line, const struct kinfo *a,
		     const struct kinfo *b)
{
	char moved[160];

	diff(a, b, moved, sizeof(moved));
	if (moved[0])
		test_fail(t, file, line, "kernel counters moved:%s", moved);
}

bool test_kinfo_back(struct test_ctx *t, const char *file, int line, const struct kinfo *base,
		     unsigned ms)
{
	struct kinfo now;
	char moved[160] = "";

	for (unsigned i = 0; i <= ms; i++) {
		test_kinfo(&now);
		diff(base, &now, moved, sizeof(moved));
		if (!moved[0])
			return true;
		sys_sleep(MS);
	}
	test_fail(t, file, line, "kernel counters did not come back:%s", moved);
	return false;
}
