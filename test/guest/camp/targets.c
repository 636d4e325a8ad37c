/* SPDX-License-Identifier: MIT */
/*
 * The services faults go to: every service the supervisor runs when the
 * campaign starts (svc list), with what we know of each from its manifest:
 * the endpoint it serves, pinged (SVC_PING, answered by libsys's server
 * loop) to tell that a new instance really answers, and whether it has a
 * heartbeat. Only a service with a heartbeat gets hang and leak faults: the
 * supervisor finds a hung one only through it (every known one has one
 * now). Bit flips go only where they cannot break an invariant with no
 * defence against them (docs/ARCHITECTURE.md): not into the servers that
 * write the disk (ahci, fat, fat2: a flipped bit in a dirty cache block or
 * a partition's offset is silent corruption no restart undoes) nor into
 * the counter, whose kept count the campaign checks. fat2 is started
 * first if it is stopped (it serves the second disk, when there is one).
 */
#include <string.h>

#include "camp.h"
#include "proto/ns.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define PING_TIMEOUT (2000 * MS)

static const struct {
	const char *name, *endpoint;
	bool flippable;
} known[] = {
	{"ahci", "disk0", false},    {"fat", "fs0", false},	   {"ext2", "fs1", true},
	{"fat2", "fs2", false},	     {"xhci", "input", true},	   {"compositor", "display", true},
	{"terminal", "term1", true}, {"console", "console", true}, {"loader", "loader", true},
	{"stream", "stream", true},  {"echo", "echo", true},	   {"counter", "counter", false},
	{"rtc", "rtc", true},	     {"clock", "clock", true},
};

static void describe(struct camp_target *t)
{
	t->endpoint = NULL;
	t->watched = t->flippable = false;
	t->ep = HANDLE_INVALID;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(known[i].name, t->name) != 0)
			continue;
		t->endpoint = known[i].endpoint;
		t->watched = true; /* each known service has a heartbeat */
		t->flippable = known[i].flippable;
		long ep = ns_lookup_self(t->endpoint);
		t->ep = ep < 0 ? HANDLE_INVALID : (handle_t)ep;
	}
}

/* Every service into e (paging through the list); how many, or an error. */
static long list_all(struct camp *c, struct svc_entry *e, uint32_t max)
{
	uint32_t n = 0, total = 0;

	do {
		long got = svc_list(c->ctl, n, e + n, max - n, &total);
		if (got < 0)
			return got;
		if (got == 0)
			break;
		n += (uint32_t)got;
	} while (n < total && n < max);
	return (long)n;
}

/* Whether some service is still on its way up (starting, or waiting out a back-off). */
static bool unsettled(const struct svc_entry *e, long n)
{
	for (long i = 0; i < n; i++)
		if (e[i].state == SVC_STARTING || e[i].state == SVC_BACKOFF)
			return true;
	return false;
}

/*
 * Every service running once the boot has settled (none starting or in
 * back-off: the compositor waits for the boot screen) becomes a target.
 */
long camp_targets_init(struct camp *c)
{
	static struct svc_entry e[CAMP_SERVICES_MAX];
	uint64_t deadline = sys_clock() + CAMP_BACK_BOUND;
	struct svc_entry fat2;
	long n;

	if (svc_status(c->ctl, "fat2", &fat2) == E_OK && fat2.state == SVC_STOPPED)
		svc_control(c->ctl, SVC_START, "fat2");
	while ((n = list_all(c, e, CAMP_SERVICES_MAX)) >= 0 && unsettled(e, n) &&
	       sys_clock() < deadline)
		sys_sleep(10 * MS);
	if (n < 0)
		return n;
	c->ntargets = 0;
	for (long i = 0; i < n && c->ntargets < CAMP_TARGETS_MAX; i++) {
		if (e[i].state != SVC_RUNNING)
			continue;
		struct camp_target *t = &c->targets[c->ntargets++];
		memset(t, 0, sizeof(*t));
		strlcpy(t->name, e[i].name, sizeof(t->name));
		describe(t);
	}
	return c->ntargets ? E_OK : E_NOENT;
}

struct camp_target *camp_target_named(struct camp *c, const char *name)
{
	for (uint32_t i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return &c->targets[i];
	return NULL;
}

bool camp_target_back(struct camp *c, struct camp_target *t, uint64_t old_pid)
{
	struct svc_entry e;

	if (svc_status(c->ctl, t->name, &e) != E_OK || e.state != SVC_RUNNING || e.pid == old_pid)
		return false;
	return t->ep == HANDLE_INVALID || svc_ping(t->ep, PING_TIMEOUT) == E_OK;
}

/* Whether t runs and answers within the bound. */
static bool back_in_time(struct camp *c, struct camp_target *t)
{
	uint64_t deadline = sys_clock() + CAMP_BACK_BOUND;

	while (!camp_target_back(c, t, 0))
		if (sys_clock() >= deadline || sys_sleep(MS) < 0)
			return false;
	return true;
}

uint32_t camp_targets_check(struct camp *c, bool quiet)
{
	uint32_t down = 0;

	for (uint32_t i = 0; i < c->ntargets; i++) {
		struct camp_target *t = &c->targets[i];
		if (back_in_time(c, t))
			continue;
		down++;
		if (!quiet)
			printf("camp: FAIL %s is not running and answering\n", t->name);
	}
	return down;
}
