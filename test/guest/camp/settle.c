/* SPDX-License-Identifier: MIT */
/*
 * The baseline and the end. Both begin the same way: every target
 * restarted cleanly (SVC_RESTART), one after the other, and waited for, so
 * that the kernel counters compare fresh instances with fresh instances:
 * caches a server fills as it works (the FAT cache, the loader's) are not
 * a leak, and a faulted instance's memory must be gone with it. Then the
 * counters are read until they settle. At the end every object count
 * (processes, threads, endpoints, notifications, memory objects, replies)
 * must be back exactly, and free frames (with the kernel heap's pages,
 * which may keep a spare page per size class) within CAMP_FRAME_SLACK of
 * the baseline: what fresh instances legitimately hold differently (heap
 * pages a server's allocator grew in another order). Every window the
 * baseline saw must still be on the screen, listed by the compositor.
 */
#include <string.h>

#include "camp.h"
#include "proto/display.h"
#include "proto/ns.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/kinfo.h"

#define CAMP_FRAME_SLACK 64 /* pages (256 KiB) */
#define SETTLE_MS	 3000
#define TITLES_MAX	 8

static int64_t frames_moved(const struct kinfo *base, const struct kinfo *now)
{
	return (int64_t)(now->frames_free + now->heap_pages) -
	       (int64_t)(base->frames_free + base->heap_pages);
}

/* Object counts that differ from base (printed when loud). */
static uint32_t objects_moved(const struct kinfo *base, const struct kinfo *now, bool loud)
{
	char moved[160];
	uint32_t n = test_kinfo_diff(base, now, true, moved, sizeof(moved));

	if (n && loud)
		printf("camp: FAIL kernel objects did not come back:%s\n", moved);
	return n;
}

/* Every target restarted cleanly, one at a time; how many did not come back. */
static uint32_t restart_all(struct camp *c)
{
	uint32_t failed = 0;

	for (uint32_t i = 0; i < c->ntargets; i++)
		if (!camp_restart(c, &c->targets[i])) {
			printf("camp: FAIL clean restart of %s\n", c->targets[i].name);
			failed++;
		}
	return failed;
}

/* The compositor's windows' titles into titles (printed with their places when loud); how many,
 * or an error. */
static long list_windows(char titles[TITLES_MAX][32], bool loud)
{
	long ep = ns_lookup_self("display");
	struct display_window_info w;
	char title[DISPLAY_TITLE_MAX];
	uint64_t n = 0;

	if (ep < 0)
		return ep;
	for (; display_list((handle_t)ep, n, &w, title) == E_OK; n++)
		if (n < TITLES_MAX) {
			strlcpy(titles[n], title, 32);
			if (loud)
				printf("camp: window %ld %ld %lu %lu '%s'\n", (long)(int32_t)w.x,
				       (long)(int32_t)w.y, (unsigned long)(uint32_t)w.size,
				       (unsigned long)(w.size >> 32), title);
		}
	sys_handle_close((handle_t)ep);
	return (long)(n < TITLES_MAX ? n : TITLES_MAX);
}

long camp_baseline_take(struct camp *c, struct camp_baseline *b)
{
	if (restart_all(c))
		return E_TIMEOUT;
	camp_workload_verify(c);
	sys_sleep(200 * MS);
	test_kinfo(&b->k);
	long n = list_windows(b->titles, true);
	b->windows = n < 0 ? 0 : (uint32_t)n;
	printf("camp: baseline: %lu frames free, %lu processes, %u windows\n",
	       (unsigned long)b->k.frames_free, (unsigned long)b->k.processes, b->windows);
	return E_OK;
}

/* Poll until the object counts are back (or SETTLE_MS passed); broken invariants. */
static uint32_t check_kinfo(const struct camp_baseline *b)
{
	struct kinfo now;
	uint64_t deadline = sys_clock() + SETTLE_MS * MS;

	do {
		test_kinfo(&now);
		if (!objects_moved(&b->k, &now, false) &&
		    frames_moved(&b->k, &now) >= -CAMP_FRAME_SLACK)
			break;
		sys_sleep(10 * MS);
	} while (sys_clock() < deadline);
	int64_t frames = frames_moved(&b->k, &now);
	uint32_t broken = objects_moved(&b->k, &now, true);
	printf("camp: kinfo: frames free %+ld against the baseline (slack -%d), objects %s\n",
	       (long)frames, CAMP_FRAME_SLACK, broken ? "moved" : "back");
	if (frames < -CAMP_FRAME_SLACK) {
		printf("camp: FAIL %ld frames leaked\n", (long)-frames);
		broken++;
	}
	return broken;
}

static uint32_t check_windows(const struct camp_baseline *b)
{
	char now[TITLES_MAX][32];
	long n = list_windows(now, false);
	uint32_t missing = 0;

	for (uint32_t i = 0; i < b->windows; i++) {
		bool found = false;
		for (long j = 0; j < n && !found; j++)
			found = strcmp(now[j], b->titles[i]) == 0;
		if (!found) {
			printf("camp: FAIL window '%s' is gone\n", b->titles[i]);
			missing++;
		}
	}
	printf("camp: windows: %ld on the screen, %u of the baseline's missing\n", n < 0 ? 0 : n,
	       missing);
	return missing;
}

uint32_t camp_baseline_check(struct camp *c, const struct camp_baseline *b)
{
	uint32_t broken = restart_all(c);

	camp_workload_verify(c);
	sys_sleep(200 * MS);
	broken += check_kinfo(b);
	broken += check_windows(b);
	return broken;
}
