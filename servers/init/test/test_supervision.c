/* SPDX-License-Identifier: MIT */
/*
 * Host test of supervision as init does it, driven by the events its
 * server receives (kernel notices, the back-off timer, the heartbeat
 * thread's reports) on a fake kernel and clock (fake_sys.h): restarts
 * after a back-off of 10 ms doubling to 1 s, and the rule for giving up
 * (docs/ARCHITECTURE.md, "Supervision"): 5 faults, hangs or failed starts
 * within 10 s give a service up (a start refused E_BUSY, for a device
 * another service holds, does not); exits of a running instance never do,
 * whatever their code and however many, so no client that can make a
 * server exit can take it down for good. Also: stale notices are dropped,
 * an injected fault restarts at once without counting, `svc start` takes
 * a given-up service back, and a clean exit follows the restart policy.
 */
#include "check.h"
#include "fake_sys.h"

#define VECTOR_PF 14

static struct service *echo;

static void boot_system(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	CHECK_EQ(fixture_start(), E_OK);
	echo = service_by_name("echo");
}

/* Let the back-off pass: the timer was armed for it, and a new instance runs. */
static void come_back(struct service *s)
{
	CHECK_EQ(s->state, SVC_BACKOFF);
	CHECK_EQ(fake_sys.timer, s->restart_at);
	fixture_timer(s->restart_at);
	CHECK_EQ(s->state, SVC_STARTING);
	CHECK_EQ(fixture_boot(s), E_OK);
	CHECK_EQ(s->state, SVC_RUNNING);
}

static uint32_t failures(const struct service *s)
{
	return service_failures_in_window(s, fake_sys.now);
}

static void test_faults_give_up(void)
{
	static const uint64_t delays_ms[] = {10, 20, 40, 80};

	boot_system();
	for (int i = 0; i < 4; i++) {
		handle_t old = echo->process;
		fixture_notice(echo, IPC_LABEL_FAULT, VECTOR_PF);
		CHECK(fake_object(old)->killed && !fake_object(old)->open);
		CHECK_EQ(echo->restart_at - fake_sys.now, delays_ms[i] * MS);
		come_back(echo);
	}
	CHECK_EQ(failures(echo), 4);
	fixture_notice(echo, IPC_LABEL_FAULT, VECTOR_PF);
	CHECK_EQ(echo->state, SVC_FAILED);
	CHECK_EQ(echo->process, HANDLE_INVALID);
	CHECK_EQ(fake_sys.timer, 0); /* nothing left to wait for */
	CHECK_EQ(svc_control(fixture_ctl(), SVC_START, "echo"), E_OK);
	CHECK_EQ(echo->state, SVC_STARTING); /* taken back, its failures forgotten */
	CHECK_EQ(failures(echo), 0);
}

/* Twelve exits of a running instance, non-zero codes: restarted every time. */
static void test_exits_never_give_up(void)
{
	boot_system();
	for (int i = 0; i < 12; i++) {
		fixture_notice(echo, IPC_LABEL_EXIT, i % 2 ? 1 : (uint64_t)E_INVAL);
		CHECK(echo->state != SVC_FAILED);
		come_back(echo);
	}
	CHECK_EQ(failures(echo), 0);
	CHECK_EQ(echo->restarts, 12);
	CHECK_EQ(echo->backoff_ns, INIT_BACKOFF_MAX); /* but the back-off still slows them */
}

/* An instance that ends before it has its handles could not start: that counts. */
static void test_exits_at_start_count(void)
{
	boot_system();
	CHECK_EQ(svc_control(fixture_ctl(), SVC_RESTART, "echo"), E_OK);
	for (int i = 0; i < 5; i++) {
		if (i)
			fixture_timer(echo->restart_at);
		CHECK_EQ(echo->state, SVC_STARTING);
		fixture_notice(echo, IPC_LABEL_EXIT, 1);
	}
	CHECK_EQ(echo->state, SVC_FAILED);
	boot_system();
	fake_sys.spawn_error = E_NOMEM; /* a start that fails counts too */
	CHECK_EQ(svc_control(fixture_ctl(), SVC_RESTART, "echo"), E_OK);
	for (int i = 0; i < 4 && echo->state == SVC_BACKOFF; i++)
		fixture_timer(echo->restart_at);
	CHECK_EQ(echo->state, SVC_FAILED);
	boot_system();
	fake_sys.spawn_error = E_BUSY; /* a device held by another service: it waits, for ever */
	CHECK_EQ(svc_control(fixture_ctl(), SVC_RESTART, "echo"), E_OK);
	for (int i = 0; i < 20; i++) {
		CHECK_EQ(echo->state, SVC_BACKOFF);
		fixture_timer(echo->restart_at);
	}
	CHECK_EQ(failures(echo), 0);
	CHECK_EQ(echo->backoff_ns, INIT_BACKOFF_MAX);
	fake_sys.spawn_error = E_OK; /* the holder let go */
	fixture_timer(echo->restart_at);
	CHECK_EQ(echo->state, SVC_STARTING);
	CHECK_EQ(fixture_boot(echo), E_OK);
	CHECK_EQ(echo->state, SVC_RUNNING);
}

/* Missed heartbeats count; a report about an older instance is dropped. */
static void test_hangs_give_up(void)
{
	boot_system();
	handle_t heartbeat = fixture_caller(BADGE(BADGE_HEARTBEAT, 0, 0));
	struct ipc_msg m = {.tag = IPC_TAG(INIT_HUNG, 2, 0, 0), .w = {echo->index, 0}};

	CHECK_EQ(ipc_call(heartbeat, &m, TIMEOUT_NEVER), E_OK); /* generation 0: stale */
	CHECK_EQ(echo->state, SVC_RUNNING);
	m = (struct ipc_msg){.tag = IPC_TAG(INIT_HUNG, 1, 0, 0), .w = {echo->index}};
	CHECK_EQ(ipc_call(heartbeat, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* a word short */
	m = (struct ipc_msg){.tag = IPC_TAG(INIT_HUNG, 2, 0, 0), .w = {echo->index, 1}};
	CHECK_EQ(ipc_call(fixture_ctl(), &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_RIGHTS); /* only the heartbeat thread */
	for (int i = 0; i < 5; i++) {
		if (i)
			come_back(echo);
		m = (struct ipc_msg){.tag = IPC_TAG(INIT_HUNG, 2, 0, 0),
				     .w = {echo->index, echo->generation}};
		CHECK_EQ(ipc_call(heartbeat, &m, TIMEOUT_NEVER), E_OK);
	}
	CHECK_EQ(echo->state, SVC_FAILED);
}

static void test_stale_and_injected(void)
{
	boot_system();
	uint64_t old = BADGE(BADGE_NOTICE, echo->generation, echo->index);
	struct ipc_msg exit = {.tag = IPC_TAG(IPC_LABEL_EXIT, 2, 0, 0), .w = {1, echo->pid}};
	CHECK_EQ(svc_control(fixture_ctl(), SVC_RESTART, "echo"), E_OK);
	CHECK_EQ(fixture_boot(echo), E_OK);
	handle_t running = echo->process;
	fixture_event(old, &exit); /* the old instance's end, reported late */
	CHECK_EQ(echo->state, SVC_RUNNING);
	CHECK(!fake_object(running)->killed);
	CHECK_EQ(svc_fault(fixture_ctl(), "echo", SVC_FAULT_CRASH, 0, 0), E_OK);
	fixture_notice(echo, IPC_LABEL_FAULT, VECTOR_PF);
	CHECK_EQ(echo->state, SVC_STARTING); /* at once, no back-off */
	CHECK_EQ(echo->restarts, 2);
	CHECK_EQ(failures(echo), 0);
}

/* restart = on-failure: a clean exit stays stopped, a failed one restarts. */
static void test_clean_exit(void)
{
	boot_system();
	struct service *lazy = service_by_name("lazy");
	CHECK_EQ(svc_control(fixture_ctl(), SVC_START, "lazy"), E_OK);
	CHECK_EQ(fixture_boot(lazy), E_OK);
	fixture_notice(lazy, IPC_LABEL_EXIT, 3);
	come_back(lazy);
	fixture_notice(lazy, IPC_LABEL_EXIT, 0);
	CHECK_EQ(lazy->state, SVC_STOPPED);
	CHECK_EQ(failures(lazy), 0);
	fixture_notice(echo, IPC_LABEL_EXIT, 0); /* always: back after the back-off */
	come_back(echo);
}

int main(void)
{
	test_faults_give_up();
	test_exits_never_give_up();
	test_exits_at_start_count();
	test_hangs_give_up();
	test_stale_and_injected();
	test_clean_exit();
	return check_summary("init_supervision");
}
