/* SPDX-License-Identifier: MIT */
/*
 * camp: the fault campaign's guest driver (issue 16), run as
 * run=camp:N:SEED. It injects N faults through the supervisor's svc
 * protocol into services picked by a seeded generator, runs a workload
 * between them (files written, fsync'ed and read back, directories listed,
 * calls to the echo and counter test servers), checks the invariants after
 * every fault and at the end, and prints a summary that
 * test/qemu/test_campaign.py judges. The parts:
 *
 *   main.c      arguments, the loop, the final checks and the exit code
 *   targets.c   the services faults go to, their endpoints, "is it back?"
 *   inject.c    one fault: inject, drive the armed crash, wait, time it
 *   workload.c  the workload and what it found lost
 *   settle.c    the baseline and the end: clean restarts, kernel counters,
 *               windows
 *   report.c    the tallies and the summary lines
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/svc.h"
#include "sys/handle.h"
#include "sys/syscall.h"

#define CAMP_TARGETS_MAX  24
#define CAMP_SERVICES_MAX 64	     /* services the supervisor lists, running or not */
#define CAMP_KINDS	  SVC_FAULTS /* crash, hang, leak, corrupt, flip (enum svc_fault) */
#define CAMP_LAT_MAX	  4096	     /* latencies kept per target for the median */
/* Guest time a service may take to come back after a fault: the longest
 * heartbeat (the loader's 10 s) twice over, with the supervisor's back-off. */
#define CAMP_BACK_BOUND	  (40000ull * 1000000ull)

/* The seeded generator (xorshift64*, seeded through splitmix64). */
struct camp_rng {
	uint64_t s;
};
void camp_rng_seed(struct camp_rng *r, uint64_t seed);
uint64_t camp_rng_next(struct camp_rng *r);
/* A number in [0, n). */
uint32_t camp_rng_below(struct camp_rng *r, uint32_t n);

/* One service faults go to. */
struct camp_target {
	char name[SVC_NAME_MAX];
	const char *endpoint; /* the name it serves (for the ping), or NULL */
	bool watched;	      /* it has a heartbeat: a hang or leak is found and ended */
	bool flippable;	      /* bit flips allowed: it writes no disk and keeps no checked state */
	handle_t ep;	      /* our handle to endpoint, or HANDLE_INVALID */
	bool excluded;	      /* serves nothing: the supervisor cannot inject (E_CLOSED) */
	/* tallies */
	uint32_t faults[CAMP_KINDS];
	uint32_t lat_count;
	uint64_t lat[CAMP_LAT_MAX]; /* guest instructions from injection to answering */
	uint32_t hangs, given_up, refused;
};

struct camp {
	handle_t ctl; /* the supervisor's svc endpoint */
	struct camp_rng rng;
	uint32_t ntargets;
	struct camp_target targets[CAMP_TARGETS_MAX];
	/* workload findings */
	uint64_t ops, restarted_seen;
	uint64_t client_errors; /* errors other than E_RESTARTED that retries did not cure */
	uint64_t synced_lost, unsynced_lost;
	uint64_t counter_lost; /* adds the counter's kept state forgot */
	uint64_t not_running;  /* services found not running after a fault */
	long last_error;
	char last_error_op[24];
};

/* targets.c */
long camp_targets_init(struct camp *c);
struct camp_target *camp_target_named(struct camp *c, const char *name);
/* Whether it runs as a process other than old_pid and, if it has an endpoint, answers a ping. */
bool camp_target_back(struct camp *c, struct camp_target *t, uint64_t old_pid);
/* Every target running (and answering): the number that is not. */
uint32_t camp_targets_check(struct camp *c, bool quiet);

/* inject.c */
extern const char *const camp_fault_names[CAMP_KINDS];
/* One fault of kind `fault` into t, waited for; false if the service did not come back. */
bool camp_inject(struct camp *c, struct camp_target *t, enum svc_fault fault);
/* Restart t cleanly (SVC_RESTART) and wait until it answers. */
bool camp_restart(struct camp *c, struct camp_target *t);
/* The fat server's restarts so far (for the durability check). */
uint64_t camp_restarts(struct camp *c, const char *name);
/* Guest instructions so far: rdtsc less the time spent idle (under -icount). */
uint64_t camp_instructions(void);

/* workload.c */
long camp_workload_init(struct camp *c);
/* One randomly chosen workload step. */
void camp_workload_step(struct camp *c);
/* A call that goes to t (so a crash armed for a later request fires); false if t has none. */
bool camp_workload_poke(struct camp *c, struct camp_target *t);
/* A client's call to t that a corrupted reply can reach; false if the workload has none. */
bool camp_workload_call(struct camp *c, struct camp_target *t);
/* Every fsync'ed file read back: bytes that differ from what was synced. */
void camp_workload_verify(struct camp *c);
/* Note a workload result: E_RESTARTED counted as seen, others as client errors. */
void camp_note(struct camp *c, const char *op, long err);

/* settle.c */
struct camp_baseline {
	struct kinfo k;
	uint32_t windows;
	char titles[8][32];
};
long camp_baseline_take(struct camp *c, struct camp_baseline *b);
/* The end: the counters and windows compared with b; the number of broken invariants. */
uint32_t camp_baseline_check(struct camp *c, const struct camp_baseline *b);

/* report.c */
void camp_progress(struct camp *c, uint32_t done, uint32_t total);
void camp_report(struct camp *c, uint32_t total, uint64_t seed);
