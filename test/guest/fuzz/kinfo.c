/* SPDX-License-Identifier: MIT */
/*
 * The leak check: the SYS_KINFO counters a fuzzing run must leave as it
 * found them. Object counts (processes, threads, endpoints, notifications,
 * memory objects, replies) must match the values from before the first
 * child; live heap objects, page tables and free frames the values after
 * it (the first child warms up what stays: heap pages, the loader's
 * tables). Free frames count with the heap's pages, because the slab heap
 * may keep a page per size class that a run emptied (its cached spare, or
 * one still holding an object some server allocated meanwhile): free
 * frames plus heap pages must be exact, and the heap may hold at most
 * HEAP_SLACK pages more than before. A mismatch is given a while to settle,
 * since raw processes may still be running out their last timeouts when
 * the child is reaped.
 */
#include <stddef.h>
#include <string.h>

#include "kinfo.h"
#include "sys/fmt.h"

#define HEAP_SLACK 8 /* one page per slab size class (kernel/mm/slab.h) */

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
	F(processes, true), F(threads, true), F(endpoints, true),	   F(notifications, true),
	F(mobjs, true),	    F(replies, true), F(heap_live_objects, false), F(page_tables, false),
};
#define NFIELDS ARRAY_SIZE(fields)

static uint64_t value(const struct kinfo *k, size_t i)
{
	return *(const uint64_t *)((const char *)k + fields[i].offset);
}

static size_t note(char *out, size_t size, size_t used, const char *name, uint64_t want,
		   uint64_t got)
{
	if (used >= size)
		return used;
	return used + (size_t)snprintf(out + used, size - used, " %s %lu->%lu", name,
				       (unsigned long)want, (unsigned long)got);
}

/* Free frames with the heap's pages, which may keep up to HEAP_SLACK more. */
static size_t check_frames(const struct kinfo *warm, const struct kinfo *now, char *out,
			   size_t size, size_t used)
{
	if (now->frames_free + now->heap_pages != warm->frames_free + warm->heap_pages)
		used = note(out, size, used, "frames_free", warm->frames_free, now->frames_free);
	if (now->heap_pages > warm->heap_pages + HEAP_SLACK)
		used = note(out, size, used, "heap_pages", warm->heap_pages, now->heap_pages);
	return used;
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
		if (want != value(now, i))
			used = note(out, size, used, fields[i].name, want, value(now, i));
	}
	if (!objects_only)
		used = check_frames(&b->warm, now, out, size, used);
	return used == 0;
}

#define QUIET_STEP_MS  20
#define QUIET_READINGS 5 /* equal readings in a row: 100 ms without a new object */

long fz_kinfo_quiet(struct kinfo *out, unsigned ms)
{
	struct fz_baseline last;
	char diff[8];
	uint64_t deadline = sys_clock() + ms * MS;
	unsigned same = 0;
	long err = sys_kinfo(&last.before);

	while (err == E_OK && same < QUIET_READINGS && sys_clock() < deadline) {
		sys_sleep(QUIET_STEP_MS * MS);
		memset(out, 0, sizeof(*out));
		err = sys_kinfo(out);
		same = fz_kinfo_diff(&last, out, true, diff, sizeof(diff)) ? same + 1 : 0;
		last.before = *out;
	}
	*out = last.before;
	return err;
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
