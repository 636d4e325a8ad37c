/* SPDX-License-Identifier: MIT */
/*
 * Host test of the svc protocol (proto/svc.h) as init serves it: the
 * client stubs and raw requests go through the fake transport into init's
 * real server (sup_server: badge kinds, the svc library's decode, init's
 * control and start-up ops, its service table and life cycle) on a fake
 * kernel (fake_sys.h). Checks list paging, status, stop/start/restart and
 * what they do to instances, fault injection passed on to the server, a
 * shutdown, bad names and malformed requests, control requests from badges
 * of other kinds (E_RIGHTS), and SVC_BOOT handing an instance its handles.
 */
#include <string.h>

#include "check.h"
#include "fake_sys.h"
#include "sys/units.h"

static handle_t ctl;

/* A fresh system with its services running. */
static void boot_system(void)
{
	CHECK_EQ(fixture_setup(fixture_bundle), E_OK);
	CHECK_EQ(fixture_start(), E_OK);
	ctl = fixture_ctl();
}

/* A raw request: label, words, name bytes; the reply's status. */
static long raw(handle_t ep, uint16_t label, uint32_t words, const char *name, uint32_t n)
{
	struct ipc_msg m = {.tag = IPC_TAG(label, words, 0, n), .w = {0, 0, 0}};

	memcpy(ipc_buffer()->data, name, n);
	long err = ipc_call(ep, &m, TIMEOUT_NEVER);
	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m.tag);
}

static void test_list_paging(void)
{
	struct svc_entry e[SVC_LIST_MAX];
	uint32_t total = 0;

	boot_system();
	CHECK_EQ(svc_list(ctl, 0, e, SVC_LIST_MAX, &total), 4);
	CHECK_EQ(total, 4);
	CHECK(strcmp(e[0].name, "loader") == 0 && strcmp(e[3].name, "lazy") == 0);
	CHECK_EQ(e[1].state, SVC_RUNNING);
	CHECK_EQ(e[1].pid, sup.services[1].process);
	CHECK_EQ(e[1].pages_used, 5);
	CHECK_EQ(e[1].pages_quota, 512);
	CHECK_EQ(e[2].recovery, MANIFEST_RECOVERY_MEMORY);
	CHECK_EQ(e[3].state, SVC_STOPPED);
	CHECK_EQ(e[3].pid, 0);
	CHECK_EQ(svc_list(ctl, 1, e, 2, &total), 2); /* a page of two from the second */
	CHECK(strcmp(e[0].name, "echo") == 0 && strcmp(e[1].name, "counter") == 0);
	CHECK_EQ(svc_list(ctl, 3, e, SVC_LIST_MAX, NULL), 1);
	CHECK(strcmp(e[0].name, "lazy") == 0);
	CHECK_EQ(svc_list(ctl, 4, e, SVC_LIST_MAX, NULL), 0);
	struct ipc_msg m = {.tag = IPC_TAG(SVC_LIST, 1, 0, 0), .w = {1ull << 40}};
	CHECK_EQ(ipc_call(ctl, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(m.tag), 0);
	CHECK_EQ(m.w[0], 0); /* far past the end: nothing */
	CHECK_EQ(m.w[1], 4);
	CHECK_EQ(raw(ctl, SVC_LIST, 0, "", 0), E_INVAL); /* no first index */
}

static void test_status_and_names(void)
{
	struct svc_entry e;

	boot_system();
	CHECK_EQ(svc_status(ctl, "counter", &e), E_OK);
	CHECK(strcmp(e.name, "counter") == 0);
	CHECK_EQ(e.state, SVC_RUNNING);
	CHECK_EQ(e.restarts, 0);
	CHECK_EQ(svc_status(ctl, "nosuch", &e), E_NOENT);
	CHECK_EQ(svc_status(ctl, "", &e), E_INVAL); /* the stub's check */
	CHECK_EQ(raw(ctl, SVC_STATUS, 0, "echo", 4), E_INVAL);
	CHECK_EQ(raw(ctl, SVC_STOP, 0, "echo\0", 6), E_INVAL);
	CHECK_EQ(raw(ctl, SVC_RESTART, 0, "sixteen-chars-xx", 17), E_INVAL);
	CHECK_EQ(raw(ctl, SVC_START, 0, "", 0), E_INVAL);
	CHECK_EQ(svc_control(ctl, SVC_STOP, "nosuch"), E_NOENT);
	CHECK_EQ(svc_control(ctl, SVC_RESTART, "nosuch"), E_NOENT);
	CHECK_EQ(raw(ctl, SVC_PROTOCOL_BASE + 0x30, 0, "", 0), E_NOSYS);
	CHECK_EQ(sup.services[1].state, SVC_RUNNING); /* none of it touched echo */
}

static void test_stop_start_restart(void)
{
	struct service *echo;
	handle_t first;

	boot_system();
	echo = service_by_name("echo");
	first = echo->process;
	CHECK_EQ(svc_control(ctl, SVC_STOP, "echo"), E_OK);
	CHECK_EQ(echo->state, SVC_STOPPED);
	CHECK(fake_object(first)->killed && !fake_object(first)->open);
	CHECK_EQ(svc_control(ctl, SVC_STOP, "echo"), E_OK); /* idempotent */
	uint32_t spawns = fake_sys.spawns;
	CHECK_EQ(svc_control(ctl, SVC_START, "echo"), E_OK);
	CHECK_EQ(echo->state, SVC_STARTING);
	CHECK_EQ(fake_sys.spawns, spawns + 1);
	CHECK_EQ(fixture_boot(echo), E_OK);
	CHECK_EQ(echo->state, SVC_RUNNING);
	CHECK_EQ(svc_control(ctl, SVC_START, "echo"), E_OK); /* running: nothing to do */
	CHECK_EQ(fake_sys.spawns, spawns + 1);
	handle_t second = echo->process;
	CHECK_EQ(svc_control(ctl, SVC_RESTART, "echo"), E_OK);
	CHECK(fake_object(second)->killed);
	CHECK(echo->process != second && echo->process != HANDLE_INVALID);
	CHECK_EQ(echo->restarts, 1);
	CHECK_EQ(svc_control(ctl, SVC_START, "lazy"), E_OK); /* never started before */
	CHECK_EQ(service_by_name("lazy")->state, SVC_STARTING);
}

static void test_fault_injection(void)
{
	struct service *echo;

	boot_system();
	echo = service_by_name("echo");
	CHECK_EQ(svc_fault(ctl, "echo", SVC_FAULT_CRASH, SVC_CRASH_DIVIDE, 3), E_OK);
	CHECK_EQ(fake_ipc_sent.count, 1);
	CHECK_EQ(fake_ipc_sent.ep, echo->eps[0]); /* init's own handle: badge 0 */
	CHECK_EQ(IPC_TAG_LABEL(fake_ipc_sent.msg.tag), SVC_FI_CRASH);
	CHECK_EQ(IPC_TAG_WORDS(fake_ipc_sent.msg.tag), 2);
	CHECK_EQ(fake_ipc_sent.msg.w[0], SVC_CRASH_DIVIDE);
	CHECK_EQ(fake_ipc_sent.msg.w[1], 3);
	CHECK(echo->fault_injected);
	CHECK_EQ(svc_fault(ctl, "counter", SVC_FAULT_HANG, 0, 0), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(fake_ipc_sent.msg.tag), SVC_FI_HANG);
	CHECK_EQ(svc_fault(ctl, "counter", SVC_FAULT_LEAK, 0, 0), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(fake_ipc_sent.msg.tag), SVC_FI_LEAK);
	echo->fault_injected = false;
	CHECK_EQ(svc_fault(ctl, "echo", SVC_FAULT_CORRUPT, 0, 1234), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(fake_ipc_sent.msg.tag), SVC_FI_CORRUPT);
	CHECK_EQ(fake_ipc_sent.msg.w[1], 1234); /* the random number that picks the word */
	CHECK(!echo->fault_injected);		/* it may carry on: its end would not be ours */
	CHECK_EQ(svc_fault(ctl, "echo", SVC_FAULT_FLIP, 0, 99), E_OK);
	CHECK_EQ(IPC_TAG_LABEL(fake_ipc_sent.msg.tag), SVC_FI_FLIP);
	CHECK(!echo->fault_injected);
	CHECK_EQ(svc_fault(ctl, "echo", (enum svc_fault)SVC_FAULTS, 0, 0), E_INVAL);
	CHECK_EQ(svc_fault(ctl, "echo", SVC_FAULT_CRASH, SVC_CRASH_KINDS, 0), E_INVAL);
	CHECK_EQ(svc_fault(ctl, "lazy", SVC_FAULT_CRASH, 0, 0), E_CLOSED); /* not running */
	CHECK_EQ(svc_fault(ctl, "nosuch", SVC_FAULT_CRASH, 0, 0), E_NOENT);
	CHECK_EQ(raw(ctl, SVC_FI, 2, "echo", 5), E_INVAL); /* a word short */
	CHECK_EQ(fake_ipc_sent.count, 5);		   /* none of the bad ones was sent */
	struct service *counter = service_by_name("counter");
	counter->fault_injected = false;
	fake_ipc_sent.fail = E_TIMEOUT;
	CHECK_EQ(svc_fault(ctl, "counter", SVC_FAULT_CRASH, 0, 0), E_TIMEOUT);
	CHECK(!counter->fault_injected); /* not sent: its end would not be ours */
}

/* Control requests with any other kind of badge are refused, and change nothing. */
static void test_rights(void)
{
	static const uint64_t others[] = {
		BADGE(BADGE_NS, 0, BADGE_ANYONE),
		BADGE(BADGE_BOOT, 1, 1),
		BADGE(BADGE_HEARTBEAT, 0, 0),
		BADGE(BADGE_NOTICE, 1, 1),
		0,
	};
	struct svc_entry e;

	boot_system();
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		handle_t h = fixture_caller(others[i]);
		CHECK_EQ(svc_list(h, 0, &e, 1, NULL), E_RIGHTS);
		CHECK_EQ(svc_status(h, "echo", &e), E_RIGHTS);
		CHECK_EQ(svc_control(h, SVC_STOP, "echo"), E_RIGHTS);
		CHECK_EQ(svc_fault(h, "echo", SVC_FAULT_CRASH, 0, 0), E_RIGHTS);
		CHECK_EQ(svc_shutdown(h), E_RIGHTS); /* and init did not exit */
	}
	CHECK_EQ(service_by_name("echo")->state, SVC_RUNNING);
	CHECK_EQ(fake_ipc_sent.count, 0);
}

static void test_shutdown(void)
{
	jmp_buf exited;
	volatile int code = 0;

	boot_system();
	fake_sys.exit_jump = &exited;
	code = setjmp(exited);
	if (code == 0) {
		svc_shutdown(ctl);
		CHECK(0); /* init must have exited */
	}
	CHECK_EQ(code, 1); /* sys_process_exit(0) */
	fake_sys.exit_jump = NULL;
	fake_ipc_reset(); /* the exit left the transport mid-call */
}

/* One SVC_BOOT: the status, and the grant's name and handle. */
static long boot_one(handle_t boot, uint64_t index, char name[START_NAME_MAX], handle_t *h)
{
	struct ipc_msg m = {.tag = IPC_TAG(SVC_BOOT, 1, 0, 0), .w = {index}};
	long err = ipc_call(boot, &m, TIMEOUT_NEVER);

	if (err < 0)
		return err;
	memcpy(name, ipc_buffer()->data, START_NAME_MAX);
	*h = IPC_TAG_CAP(m.tag) ? m.cap : HANDLE_INVALID;
	return (int16_t)IPC_TAG_LABEL(m.tag);
}

static void test_boot(void)
{
	static const char *const names[] = {"counter", "echo", "svc", "ns", "state"};
	struct service *counter;
	char name[START_NAME_MAX];
	handle_t h, hs[5];

	boot_system();
	counter = service_by_name("counter");
	life_restart(counter);
	uint64_t badge = BADGE(BADGE_BOOT, counter->generation, counter->index);
	handle_t boot = fixture_caller(badge);
	CHECK_EQ(boot_one(fixture_ctl(), 0, name, &h), E_RIGHTS); /* only a boot badge */
	for (uint32_t i = 0; i < 5; i++) {
		CHECK_EQ(boot_one(boot, i, name, &hs[i]), E_OK);
		CHECK(strcmp(name, names[i]) == 0);
		CHECK(fake_object(hs[i]) != NULL && fake_ipc_closed(hs[i]));
	}
	CHECK_EQ(fake_object(hs[0])->of, counter->eps[0]); /* its own, to receive on */
	CHECK_EQ(fake_object(hs[0])->rights, R_SEND | R_RECV | R_TRANSFER);
	CHECK_EQ(fake_object(hs[1])->of, service_by_name("echo")->eps[0]);
	CHECK_EQ(fake_object(hs[2])->badge, BADGE(BADGE_CONTROL, 0, counter->index));
	CHECK_EQ(fake_object(hs[3])->badge, BADGE(BADGE_NS, 0, counter->index));
	CHECK_EQ(fake_object(hs[4])->of, counter->state_mobj);
	CHECK_EQ(fake_object(counter->process)->supervise_badge,
		 BADGE(BADGE_NOTICE, counter->generation, counter->index));
	CHECK_EQ(counter->state, SVC_STARTING);
	CHECK_EQ(boot_one(boot, 5, name, &h), E_NOENT); /* the last: it runs */
	CHECK_EQ(counter->state, SVC_RUNNING);
	CHECK_EQ(boot_one(boot, 0, name, &h), E_CLOSED); /* started: no more */
	CHECK_EQ(boot_one(fixture_caller(badge - 0x100), 0, name, &h), E_CLOSED); /* older */
	CHECK_EQ(raw(boot, SVC_BOOT, 0, "", 0), E_INVAL);
}

int main(void)
{
	test_list_paging();
	test_status_and_names();
	test_stop_start_restart();
	test_fault_injection();
	test_rights();
	test_shutdown();
	test_boot();
	return check_summary("init_svc");
}
