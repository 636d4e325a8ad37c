/* SPDX-License-Identifier: MIT */
/*
 * One fault: injected through the supervisor (svc fi), then waited for
 * until the service runs as a new process and answers a ping. A crash armed
 * for a later request is set off by calls to the service (the workload's
 * own, or pings), whose caller sees E_RESTARTED. The time from the
 * injection to the answer is the restart latency, in guest instructions.
 * A service that is not back within the bound is a hang (reported, then
 * restarted by hand so the campaign goes on); one the supervisor gave up on
 * after its back-off is reported and started again. A corrupted reply or a
 * bit flip need not end the service: the workload's next call to it takes
 * the reply (a ping, where the workload has no call of its own), and then,
 * as after every fault, every target must run and answer; a flip that
 * crashed it is restarted by the supervisor like any crash. A flipped
 * instance that carries on gets one call, then a clean restart: nothing
 * here detects a wrong value in memory, and left running it would break
 * what later faults test (a loader with a flipped module table answered
 * its heartbeat and refused every start after it, E_INVAL, so service
 * after service was given up).
 */
#include <string.h>

#include "camp.h"
#include "sys/stdio.h"
#include "sys/sys.h"
#include "sys/units.h"

#define BACK_BOUND   CAMP_BACK_BOUND
#define POLL	     (1 * MS)
#define PING_TIMEOUT (2000 * MS)

uint64_t camp_instructions(void)
{
	struct kinfo k;

	memset(&k, 0, sizeof(k));
	sys_kinfo(&k);
	return sys_rdtsc() - k.idle_tsc;
}

uint64_t camp_restarts(struct camp *c, const char *name)
{
	struct svc_entry e;

	return svc_status(c->ctl, name, &e) == E_OK ? e.restarts : 0;
}

/* The pid of the running instance, waiting for one for up to the bound; 0 if none. */
static uint64_t running_pid(struct camp *c, struct camp_target *t)
{
	struct svc_entry e;
	uint64_t deadline = sys_clock() + BACK_BOUND;

	while (sys_clock() < deadline) {
		if (svc_status(c->ctl, t->name, &e) == E_OK && e.state == SVC_RUNNING)
			return e.pid;
		sys_sleep(POLL);
	}
	return 0;
}

/* The supervisor gave t up: say so and take it back. */
static void take_back(struct camp *c, struct camp_target *t)
{
	t->given_up++;
	printf("camp: %s given up by the supervisor; starting it again\n", t->name);
	svc_control(c->ctl, SVC_START, t->name);
}

/* Wait until t is back as a process other than old_pid; poke it while the old one runs. */
static bool wait_back(struct camp *c, struct camp_target *t, uint64_t old_pid, bool poke)
{
	uint64_t deadline = sys_clock() + BACK_BOUND;
	struct svc_entry e;

	while (sys_clock() < deadline) {
		if (camp_target_back(c, t, old_pid))
			return true;
		bool got = svc_status(c->ctl, t->name, &e) == E_OK;
		if (got && e.state == SVC_FAILED)
			take_back(c, t);
		else if (!(got && poke && e.state == SVC_RUNNING && e.pid == old_pid &&
			   camp_workload_poke(c, t)))
			sys_sleep(POLL);
	}
	return false;
}

static void record_latency(struct camp_target *t, uint64_t instructions)
{
	if (t->lat_count < CAMP_LAT_MAX)
		t->lat[t->lat_count] = instructions;
	t->lat_count++;
}

/* Not back in time: a hang of the system's making. Restart it by hand. */
static bool hung(struct camp *c, struct camp_target *t, uint64_t old_pid, const char *what)
{
	t->hangs++;
	printf("camp: FAIL %s not back %lu ms after %s; restarting it\n", t->name,
	       (unsigned long)(BACK_BOUND / MS), what);
	svc_control(c->ctl, SVC_RESTART, t->name);
	if (wait_back(c, t, old_pid, false))
		return true;
	c->not_running++;
	printf("camp: FAIL %s does not come back\n", t->name);
	return false;
}

const char *const camp_fault_names[CAMP_KINDS] = {"crash", "hang", "leak", "corrupt", "flip"};

/* The supervisor refused the fault: counted and said; the campaign goes on. */
static bool refused(struct camp_target *t, enum svc_fault fault, long err)
{
	t->refused++;
	printf("camp: svc fi %s %s refused: %s\n", t->name, camp_fault_names[fault],
	       sys_error_name(err));
	return true;
}

/* Corrupt or flip: injected, the reply taken by a call; no restart to wait for. */
static bool inject_in_place(struct camp *c, struct camp_target *t, enum svc_fault fault)
{
	long err = svc_fault(c->ctl, t->name, fault, SVC_CRASH_RANDOM,
			     (uint32_t)camp_rng_next(&c->rng));

	if (err < 0)
		return refused(t, fault, err);
	t->faults[fault]++;
	if (fault == SVC_FAULT_CORRUPT && !camp_workload_call(c, t) && t->ep != HANDLE_INVALID)
		svc_ping(t->ep, PING_TIMEOUT); /* its answer may be nonsense: that is the fault */
	if (fault == SVC_FAULT_FLIP) {
		camp_workload_poke(c, t); /* what the flipped instance does with a call */
		return camp_restart(c, t);
	}
	return true;
}

bool camp_inject(struct camp *c, struct camp_target *t, enum svc_fault fault)
{
	uint64_t pid = running_pid(c, t);
	uint32_t kind = 1 + camp_rng_below(&c->rng, SVC_CRASH_KINDS - 1);
	uint32_t after = fault == SVC_FAULT_CRASH ? camp_rng_below(&c->rng, 3) : 0;

	if (t->ep == HANDLE_INVALID)
		after = 0; /* a later request only where our calls can bring one */
	if (!pid)
		return hung(c, t, 0, "an earlier fault");
	if (fault >= SVC_FAULT_CORRUPT)
		return inject_in_place(c, t, fault);
	uint64_t t0 = camp_instructions();
	long err = svc_fault(c->ctl, t->name, fault, kind, after);
	if (err == E_CLOSED && running_pid(c, t) == pid) {
		t->excluded = true; /* it runs but has no endpoint to inject through */
		printf("camp: %s serves nothing, so svc fi cannot reach it: left out\n", t->name);
		return true;
	}
	if (err < 0)
		return refused(t, fault, err);
	t->faults[fault]++;
	if (!wait_back(c, t, pid, after > 0))
		return hung(c, t, pid, camp_fault_names[fault]);
	record_latency(t, camp_instructions() - t0);
	return true;
}

bool camp_restart(struct camp *c, struct camp_target *t)
{
	uint64_t pid = running_pid(c, t);

	if (svc_control(c->ctl, SVC_RESTART, t->name) < 0)
		return false;
	return wait_back(c, t, pid, false);
}
