/* SPDX-License-Identifier: MIT */
/*
 * The life of a service: start an instance, tear it down completely when it
 * faults, exits or hangs, and decide what comes next from its restart
 * policy: a new instance after an exponential back-off (10 ms doubling to
 * 1 s, back to 10 ms once an instance has run 5 s), or giving up after 5
 * failures within 10 s with one log line, or nothing. Only the service's
 * own failures count toward giving up (counts_toward_giving_up): faults,
 * hangs and starts that fail, never the exit of a running instance nor a
 * start refused because another service holds a device it needs (E_BUSY:
 * the compositor while the boot screen still draws); those wait out the
 * back-off and try again, as the restart policy says. A fault
 * injected on purpose (svc fi) restarts at once and is not counted either.
 * Back-off deadlines share one notification timer (life_arm_timer).
 */
#include "init.h"
#include "sys/fmt.h"
#include "sys/process.h"
#include "sys/stdio.h"

static void set_state(struct service *s, uint32_t state)
{
	__atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
}

/*
 * Kill the instance (nothing happens if it has ended) and drop our handle to
 * it; its PCI function stops mastering the bus first, so that no DMA lands
 * in the memory the kill frees.
 */
static void teardown(struct service *s)
{
	devices_release(s); /* an instance that died before taking its framebuffer */
	if (s->process == HANDLE_INVALID)
		return;
	pci_quiesce(s);
	sys_process_kill(s->process);
	sys_handle_close(s->process);
	s->process = HANDLE_INVALID;
}

static void schedule(struct service *s, uint64_t when)
{
	s->restart_at = when;
	set_state(s, SVC_BACKOFF);
	sup.timers_dirty = true;
}

/* Record a failure at `now`; true when that makes too many in the window. */
static bool note_failure(struct service *s, uint64_t now, uint64_t *span)
{
	uint64_t oldest = now;

	s->failures[s->failure_next] = now;
	s->failure_next = (s->failure_next + 1) % INIT_GIVEUP_FAILURES;
	for (int i = 0; i < INIT_GIVEUP_FAILURES; i++)
		if (s->failures[i] && now - s->failures[i] <= INIT_GIVEUP_WINDOW &&
		    s->failures[i] < oldest)
			oldest = s->failures[i];
	*span = now - oldest;
	return service_failures_in_window(s, now) >= INIT_GIVEUP_FAILURES;
}

static void forget_failures(struct service *s)
{
	for (int i = 0; i < INIT_GIVEUP_FAILURES; i++)
		s->failures[i] = 0;
	s->backoff_ns = INIT_BACKOFF_MIN;
}

/* Quota and supervision for a new instance; E_CLOSED if it has already ended. */
static long watch(struct service *s, uint32_t gen, struct process_info *info)
{
	sys_process_set_quota(s->process, s->m.quota_pages);
	long err = sys_process_supervise(s->process, sup.ep, BADGE(BADGE_NOTICE, gen, s->index));
	sys_process_info(s->process, info);
	s->pid = info->pid;
	if (s->restarts)
		printf("svc: restarted %s (pid %lu, restart %u)\n", s->m.name,
		       (unsigned long)s->pid, s->restarts);
	else
		printf("svc: started %s (pid %lu)\n", s->m.name, (unsigned long)s->pid);
	return err;
}

void life_start(struct service *s)
{
	uint32_t gen = s->generation + 1;
	struct process_info info = {0};
	char why[64];

	__atomic_store_n(&s->generation, gen, __ATOMIC_RELEASE);
	set_state(s, SVC_STARTING);
	long p = spawn_service(s);
	if (p == E_WOULDBLOCK) { /* the loader is not there: not this service's failure */
		schedule(s, sys_clock() + INIT_LOADER_RETRY);
		return;
	}
	if (p < 0) {
		snprintf(why, sizeof(why), "cannot be started: %s", sys_error_name(p));
		life_ended(s, END_START, p, why);
		return;
	}
	s->process = (handle_t)p;
	s->started_at = sys_clock();
	long err = watch(s, gen, &info);
	if (s->is_loader)
		set_state(s, SVC_RUNNING); /* it has all its handles already */
	if (err == E_CLOSED)
		life_ended(s, END_EXIT, info.exit_code, "ended before it could be watched");
	else if (err < 0)
		printf("svc: cannot supervise %s: %s\n", s->m.name, sys_error_name(err));
}

static void give_up(struct service *s, uint64_t span)
{
	set_state(s, SVC_FAILED);
	printf("svc: giving up on %s after %d failures in %lu ms\n", s->m.name,
	       INIT_GIVEUP_FAILURES, (unsigned long)(span / MS));
}

/* The restart policy says whether an instance that ended so gets a successor. */
static bool wants_restart(const struct service *s, bool failure)
{
	return s->m.restart == MANIFEST_RESTART_ALWAYS ||
	       (s->m.restart == MANIFEST_RESTART_ON_FAILURE && failure);
}

/*
 * Whether an end counts toward giving up: a fault, a missed heartbeat, a
 * start that failed (but not for a device another service holds), or a
 * failed exit before the instance had all its
 * handles (it never got to serve). The exit of a running instance never
 * counts, whatever its code: no request can end a server (the server loop
 * answers errors and carries on), so such an exit is the server's own
 * choice, perhaps at a client's prompting, and no client may take a
 * service down for good. It is still restarted after the back-off.
 */
static bool counts_toward_giving_up(const struct service *s, enum end_cause cause, int64_t code,
				    bool failure)
{
	if (cause == END_START && code == E_BUSY)
		return false; /* a device another service holds (the framebuffer): not its failure
			       */
	return failure && (cause != END_EXIT || s->state == SVC_STARTING);
}

/*
 * After a failure (or a clean exit of an always-restarted service): give
 * up if this end counts and makes too many, or restart after the back-off
 * delay, which then doubles. Finishes the log line `line` began.
 */
static void after_end(struct service *s, uint64_t now, bool ran, bool counts, const char *line)
{
	uint64_t span;

	if (ran && now - s->started_at >= INIT_HEALTHY_NS)
		s->backoff_ns = INIT_BACKOFF_MIN;
	if (counts && note_failure(s, now, &span)) {
		printf("%s\n", line);
		give_up(s, span);
		return;
	}
	printf("%s; restart in %lu ms\n", line, (unsigned long)(s->backoff_ns / MS));
	s->restarts++;
	schedule(s, now + s->backoff_ns);
	s->backoff_ns = s->backoff_ns * 2 > INIT_BACKOFF_MAX ? INIT_BACKOFF_MAX : s->backoff_ns * 2;
}

/*
 * An instance ended with `cause` (and exit code `code`): tear it down and
 * decide what comes next, in one log line that begins with `why`.
 */
void life_ended(struct service *s, enum end_cause cause, int64_t code, const char *why)
{
	uint64_t now = sys_clock();
	bool ran = s->process != HANDLE_INVALID;
	bool injected = s->fault_injected;
	bool failure = !(cause == END_EXIT && code == 0);
	bool counts = counts_toward_giving_up(s, cause, code, failure);
	char line[200];

	if (ran)
		snprintf(line, sizeof(line), "svc: %s (pid %lu) %s", s->m.name,
			 (unsigned long)s->pid, why);
	else
		snprintf(line, sizeof(line), "svc: %s %s", s->m.name, why);
	s->fault_injected = false;
	teardown(s);
	if (!wants_restart(s, failure)) {
		set_state(s, SVC_STOPPED);
		printf("%s; stays stopped (restart = %s)\n", line,
		       manifest_restart_name(s->m.restart));
		return;
	}
	if (injected) {
		s->restarts++;
		printf("%s; injected: restart now\n", line);
		life_start(s);
		return;
	}
	after_end(s, now, ran, counts, line);
}

/* The loader first: every other service is started through it. */
void life_start_all(void)
{
	life_start(sup.loader);
	for (uint32_t i = 0; i < sup.count; i++) {
		struct service *s = &sup.services[i];
		if (s != sup.loader && s->m.autostart)
			life_start(s);
	}
}

void life_stop(struct service *s)
{
	bool was = s->state != SVC_STOPPED;

	teardown(s);
	set_state(s, SVC_STOPPED);
	sup.timers_dirty = true;
	if (was)
		printf("svc: stopped %s\n", s->m.name);
}

void life_restart(struct service *s)
{
	bool running = s->process != HANDLE_INVALID;

	teardown(s);
	if (running)
		s->restarts++;
	else
		forget_failures(s);
	life_start(s);
}

void life_boot_done(struct service *s)
{
	if (s->state == SVC_STARTING)
		set_state(s, SVC_RUNNING);
}

void life_timer(void)
{
	uint64_t now = sys_clock();

	for (uint32_t i = 0; i < sup.count; i++) {
		struct service *s = &sup.services[i];
		if (s->state == SVC_BACKOFF && s->restart_at <= now)
			life_start(s);
	}
	sup.timers_dirty = true;
}

/* Arm the one timer for the earliest back-off deadline (or disarm it). */
void life_arm_timer(void)
{
	uint64_t first = 0;

	sup.timers_dirty = false;
	for (uint32_t i = 0; i < sup.count; i++) {
		const struct service *s = &sup.services[i];
		if (s->state == SVC_BACKOFF && (first == 0 || s->restart_at < first))
			first = s->restart_at;
	}
	sys_ntfn_timer(sup.timer, first, first ? TIMER_BIT : 0);
}
