/* SPDX-License-Identifier: MIT */
/*
 * camp's main: run=camp:N:SEED (camp.h). Between faults a random number of
 * workload steps (0-3); each fault goes to a target picked at random, a
 * crash (of a random kind, at once or one or two requests later), a
 * corrupted reply, a bit flip where flips are allowed (else a corrupted
 * reply) or, for a target with a heartbeat, a hang or a leak; after each,
 * every target must run and answer within the bound. Exit code 0 when
 * every invariant held.
 */
#include <stdlib.h>
#include <string.h>

#include "camp.h"
#include "proto/ns.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define DEFAULT_FAULTS 1000
#define DEFAULT_SEED   1
#define BATCHES	       20

/* Crash 50 %, hang 15 %, leak 15 %, corrupted reply 10 %, bit flip 10 %. */
static enum svc_fault pick_fault(struct camp *c, const struct camp_target *t)
{
	uint32_t r = camp_rng_below(&c->rng, 20);

	if (r < 10)
		return SVC_FAULT_CRASH;
	if (r >= 16)
		return r < 18 || !t->flippable ? SVC_FAULT_CORRUPT : SVC_FAULT_FLIP;
	if (!t->watched)
		return SVC_FAULT_CRASH;
	return r < 13 ? SVC_FAULT_HANG : SVC_FAULT_LEAK;
}

/* A target picked at random among those faults can reach; NULL if none can. */
static struct camp_target *pick_target(struct camp *c)
{
	uint32_t first = camp_rng_below(&c->rng, c->ntargets);

	for (uint32_t i = 0; i < c->ntargets; i++) {
		struct camp_target *t = &c->targets[(first + i) % c->ntargets];
		if (!t->excluded)
			return t;
	}
	return NULL;
}

/*
 * One fault and the workload before it; the number of invariants it broke.
 * *tried is false when the target turned out to be out of reach.
 */
static uint32_t one_fault(struct camp *c, bool *tried)
{
	uint32_t gap = camp_rng_below(&c->rng, 4);
	struct camp_target *t = pick_target(c);
	uint32_t broken = 0;

	*tried = t != NULL;
	if (!t)
		return 1;
	for (uint32_t i = 0; i < gap; i++)
		camp_workload_step(c);
	broken += !camp_inject(c, t, pick_fault(c, t));
	*tried = !t->excluded;
	broken += camp_targets_check(c, false);
	return broken;
}

static long setup(struct camp *c, uint64_t seed, struct camp_baseline *b)
{
	long ctl = ns_lookup_self("svc");

	if (ctl < 0)
		return ctl;
	memset(c, 0, sizeof(*c));
	c->ctl = (handle_t)ctl;
	camp_rng_seed(&c->rng, seed);
	long err = camp_targets_init(c);
	if (err == E_OK)
		err = camp_workload_init(c);
	if (err == E_OK)
		err = camp_baseline_take(c, b);
	return err;
}

static uint32_t campaign(struct camp *c, uint32_t faults)
{
	uint32_t broken = 0, batch = faults / BATCHES ? faults / BATCHES : 1;

	printf("camp: workload running, %u targets:", c->ntargets);
	for (uint32_t i = 0; i < c->ntargets; i++)
		printf(" %s%s%s", c->targets[i].name, c->targets[i].watched ? "" : "(no hangs)",
		       c->targets[i].flippable ? "" : "(no flips)");
	printf("\n");
	for (uint32_t i = 1; i <= faults; i++) {
		bool tried;
		broken += one_fault(c, &tried);
		if (!tried && pick_target(c)) {
			i--; /* a target left out: the fault goes elsewhere */
			continue;
		}
		if (i % batch == 0 || i == faults)
			camp_progress(c, i, faults);
	}
	printf("camp: workload stopping\n");
	camp_workload_verify(c);
	return broken;
}

int main(int argc, char **argv)
{
	static struct camp c;
	struct camp_baseline b;
	uint32_t faults = argc > 0 ? (uint32_t)strtoul(argv[0], NULL, 0) : DEFAULT_FAULTS;
	uint64_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_SEED;

	printf("camp: %u faults from seed %lu\n", faults, (unsigned long)seed);
	long err = setup(&c, seed, &b);
	if (err < 0) {
		printf("camp: FAIL cannot start: %s\n", sys_error_name(err));
		return 1;
	}
	uint64_t t0 = camp_instructions();
	uint32_t broken = campaign(&c, faults);
	broken += camp_baseline_check(&c, &b);
	broken += c.synced_lost > 0 || c.counter_lost > 0;
	camp_report(&c, faults, seed);
	printf("camp: total %lu guest instructions; invariants %s (%u broken)\n",
	       (unsigned long)(camp_instructions() - t0), broken ? "BROKEN" : "held", broken);
	return broken ? 1 : 0;
}
