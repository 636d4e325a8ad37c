/* SPDX-License-Identifier: MIT */
/*
 * The heartbeat: for each service whose manifest sets heartbeat_ms, a
 * thread of init that pings it (SVC_PING) once per period and gives it
 * that long to answer (a finite timeout bounds the whole call). A service
 * that misses it is reported to the supervisor thread with a call on the
 * supervisor endpoint (INIT_HUNG), which checks that it is still the same
 * instance and restarts it. One thread per service, so a service whose
 * budget is long (fat's 15 s) cannot hold back the pings of the others:
 * with one thread for all, a hung ahci went unpinged while the thread
 * waited on a fat blocked behind it, and fat was taken for hung instead.
 * The threads only read the service table; the state and instance number
 * they read are written atomically by the supervisor.
 */
#include "init.h"
#include "sys/stdio.h"
#include "sys/thread.h"

static handle_t report_ep;

static void report_hung(uint32_t index, uint32_t gen)
{
	struct ipc_msg m = {.tag = IPC_TAG(INIT_HUNG, 2, 0, 0), .w = {index, gen}};

	ipc_call(report_ep, &m, TIMEOUT_NEVER);
}

static void ping(struct service *s, uint64_t period)
{
	uint32_t gen = __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SVC_RUNNING &&
	    svc_ping(s->eps[0], period) == E_TIMEOUT &&
	    __atomic_load_n(&s->generation, __ATOMIC_ACQUIRE) == gen)
		report_hung(s->index, gen);
}

/* One service's heartbeat, for ever: wait a period, ping, and again. */
static void heartbeat_main(void *arg)
{
	struct service *s = arg;
	uint64_t period = (uint64_t)s->m.heartbeat_ms * MS;

	for (;;) {
		sys_sleep(period);
		ping(s, period);
	}
}

long heartbeat_start(void)
{
	long ep = sys_ep_mint(sup.ep, BADGE(BADGE_HEARTBEAT, 0, 0), R_SEND);

	if (ep < 0)
		return ep;
	report_ep = (handle_t)ep;
	for (uint32_t i = 0; i < sup.count; i++) {
		struct service *s = &sup.services[i];
		if (!s->m.heartbeat_ms || s->m.serves_count == 0)
			continue;
		long err = thread_spawn(heartbeat_main, s, INIT_PRIORITY_HEARTBEAT, NULL);
		if (err < 0)
			return err;
	}
	return E_OK;
}
