/* SPDX-License-Identifier: MIT */
/*
 * The heartbeat: a thread of init that pings every running service whose
 * manifest sets heartbeat_ms, once per period, and gives it that long to
 * answer (a finite timeout bounds the whole call). A service that misses
 * it is reported to the supervisor thread with a call on the supervisor
 * endpoint (INIT_HUNG), which checks that it is still the same instance
 * and restarts it. The thread only reads the service table; the state and
 * instance number it reads are written atomically by the supervisor.
 */
#include "init.h"
#include "sys/stdio.h"
#include "sys/thread.h"

static uint64_t next_ping[MANIFEST_MAX_SERVICES];
static handle_t report_ep;

static void report_hung(uint32_t index, uint32_t gen)
{
	struct ipc_msg m = {.tag = IPC_TAG(INIT_HUNG, 2, 0, 0), .w = {index, gen}};

	ipc_call(report_ep, &m, TIMEOUT_NEVER);
}

static void ping(struct service *s)
{
	uint64_t period = (uint64_t)s->m.heartbeat_ms * MS;
	uint32_t gen = __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SVC_RUNNING &&
	    svc_ping(s->eps[0], period) == E_TIMEOUT &&
	    __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE) == gen)
		report_hung(s->index, gen);
	next_ping[s->index] = sys_clock() + period;
}

static void heartbeat_main(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t now = sys_clock(), wake = now + 1000 * MS;
		for (uint32_t i = 0; i < sup.count; i++) {
			struct service *s = &sup.services[i];
			if (!s->m.heartbeat_ms || s->m.serves_count == 0)
				continue;
			if (now >= next_ping[i])
				ping(s);
			if (next_ping[i] < wake)
				wake = next_ping[i];
		}
		now = sys_clock();
		if (wake > now)
			sys_sleep(wake - now);
	}
}

long heartbeat_start(void)
{
	long ep = sys_ep_mint(sup.ep, BADGE(BADGE_HEARTBEAT, 0, 0), R_SEND);

	if (ep < 0)
		return ep;
	report_ep = (handle_t)ep;
	for (uint32_t i = 0; i < sup.count; i++)
		next_ping[i] = sys_clock() + (uint64_t)sup.services[i].m.heartbeat_ms * MS;
	return thread_spawn(heartbeat_main, NULL, INIT_PRIORITY_HEARTBEAT, NULL);
}
