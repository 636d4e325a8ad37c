/* SPDX-License-Identifier: MIT */
/*
 * The leak check: the SYS_KINFO counters a fuzzing run must leave as it
 * found them. Object counts (processes, threads, endpoints, notifications,
 * memory objects, replies) must match the values from before the first
 * child; free frames, live heap objects and page tables the values after
 * it (the first child warms up what stays: heap pages, the loader's
 * tables). A mismatch is given a while to settle, since raw processes may
 * still be running out their last timeouts when the child is reaped.
 */
#include <stddef.h>
#include <string.h>

#include "kinfo.h"
#include "sys/fmt.h"

struct field {
	const char *name;
	size_t offset;
	bool object; /* compared with the count from before any child */
};

#define F(f, obj)                                                                                  \
	{                                                                                          \
#f, offsetof(struct kinfo, f), obj                                                 \
	}
static const struct field fields[] = {
	F(processes, true),    F(threads, true), F(endpoints, true),	F(notifications, true),
	F(mobjs, true),	       F(replies, true), F(frames_free, false), F(heap_live_objects, false),
	F(page_tables, false),
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static uint64_t value(const struct kinfo *k, size_t i)
{
	return *(const uint64_t *)((const char *)k + fields[i].offset);
}

/* Appends " name a->b" for each counter that moved; true if none did. */
bool fz_kinfo_diff(const struct fz_baseline *b, const struct kinfo *now, bool objects_only,
		   char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < NFIELDS; i++) {
		if (objects_only && !fields[i].object)
			continue;
		uint64_t want = value(fields[i].object ? &b->before : &b->warm, i);
		uint64_t got = value(now, i);
		if (want != got && used < size)
			used += (size_t)snprintf(out + used, size - used, " %s %lu->%lu",
						 fields[i].name, (unsigned long)want,
						 (unsigned long)got);
	}
	return used == 0;
}

/* Poll the counters for up to `ms` until they are back; the last reading in *now. */
bool fz_kinfo_settle(const struct fz_baseline *b, bool objects_only, unsigned ms, struct kinfo *now,
		     char *diff, size_t size)
{
	uint64_t deadline = sys_clock() + ms * MS;

	for (;;) {
		memset(now, 0, sizeof(*now));
		if (sys_kinfo(now) == E_OK && fz_kinfo_diff(b, now, objects_only, diff, size))
			return true;
		if (sys_clock() >= deadline)
			return false;
		sys_sleep(5 * MS);
	}
}
