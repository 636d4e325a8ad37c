/* SPDX-License-Identifier: MIT */
/*
 * The tallies as lines test/qemu/test_campaign.py parses: a progress line
 * per batch, and at the end one line per target (faults per kind, restart
 * latency median and worst in guest instructions (of the faults that end
 * the instance: crash, hang, leak), hangs, give-ups) and one
 * summary line with the totals.
 */
#include "camp.h"
#include "sys/stdio.h"

static uint32_t sum(const uint32_t *v, int n)
{
	uint32_t s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* Shell sort (gaps 3k+1): the libc has no qsort, and a few thousand values sort quickly. */
static void sort(uint64_t *v, uint32_t n)
{
	uint32_t gap = 1;

	while (gap < n / 3)
		gap = 3 * gap + 1;
	for (; gap > 0; gap /= 3)
		for (uint32_t i = gap; i < n; i++) {
			uint64_t x = v[i];
			uint32_t j = i;
			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

/* Median and worst of t's latencies (those kept), 0 when there are none. */
static void latency(struct camp_target *t, uint64_t *median, uint64_t *worst)
{
	uint32_t n = t->lat_count < CAMP_LAT_MAX ? t->lat_count : CAMP_LAT_MAX;

	*median = *worst = 0;
	if (!n)
		return;
	sort(t->lat, n);
	*median = t->lat[n / 2];
	*worst = t->lat[n - 1];
}

void camp_progress(struct camp *c, uint32_t done, uint32_t total)
{
	uint32_t hangs = 0, given_up = 0;

	for (uint32_t i = 0; i < c->ntargets; i++) {
		hangs += c->targets[i].hangs;
		given_up += c->targets[i].given_up;
	}
	printf("camp: %u/%u faults, %lu workload ops, %lu E_RESTARTED seen, %lu client errors, "
	       "%u hangs, %u given up, %lu synced bytes lost\n",
	       done, total, (unsigned long)c->ops, (unsigned long)c->restarted_seen,
	       (unsigned long)c->client_errors, hangs, given_up, (unsigned long)c->synced_lost);
}

static void report_target(struct camp_target *t)
{
	uint64_t median, worst;

	latency(t, &median, &worst);
	printf("camp: target %s crash %u hang %u leak %u corrupt %u flip %u refused %u hangs %u "
	       "given_up %u latency median %lu worst %lu\n",
	       t->name, t->faults[SVC_FAULT_CRASH], t->faults[SVC_FAULT_HANG],
	       t->faults[SVC_FAULT_LEAK], t->faults[SVC_FAULT_CORRUPT], t->faults[SVC_FAULT_FLIP],
	       t->refused, t->hangs, t->given_up, (unsigned long)median, (unsigned long)worst);
}

void camp_report(struct camp *c, uint32_t total, uint64_t seed)
{
	uint32_t kinds[CAMP_KINDS] = {0}, hangs = 0, given_up = 0;

	for (uint32_t i = 0; i < c->ntargets; i++) {
		struct camp_target *t = &c->targets[i];
		report_target(t);
		for (int k = 0; k < CAMP_KINDS; k++)
			kinds[k] += t->faults[k];
		hangs += t->hangs;
		given_up += t->given_up;
	}
	printf("camp: summary faults %u of %u seed %lu crash %u hang %u leak %u corrupt %u flip %u "
	       "hangs %u given_up %u not_running %lu client_errors %lu restarted_seen %lu "
	       "synced_lost %lu unsynced_lost %lu counter_lost %lu ops %lu\n",
	       sum(kinds, CAMP_KINDS), total, (unsigned long)seed, kinds[SVC_FAULT_CRASH],
	       kinds[SVC_FAULT_HANG], kinds[SVC_FAULT_LEAK], kinds[SVC_FAULT_CORRUPT],
	       kinds[SVC_FAULT_FLIP], hangs, given_up, (unsigned long)c->not_running,
	       (unsigned long)c->client_errors, (unsigned long)c->restarted_seen,
	       (unsigned long)c->synced_lost, (unsigned long)c->unsynced_lost,
	       (unsigned long)c->counter_lost, (unsigned long)c->ops);
}
