/* SPDX-License-Identifier: MIT */
/*
 * What init gives the programs `run=` names, checked from inside one
 * (stest is one): a "parent" handle to the loader with a badge of its own,
 * so the loader's server loop refuses fault injection from it (only badge
 * 0, init's own handle, may inject), and a memory quota of
 * SVC_RUN_QUOTA_PAGES (64 MiB) that refuses more with E_QUOTA while the
 * services carry on. Both are failures the supervisor must contain, so
 * they run with the failure suite.
 */
#include "proto/echo.h"
#include "stest.h"
#include "sys/process.h"
#include "sys/start.h"
#include "sys/units.h"

#define MIB	  (1024u * 1024u)
#define PAGE	  4096u
#define HOLD_MAX  80 /* 1 MiB objects: more than the quota allows */
#define CALL_WAIT (1000 * MS)

TEST(failure, run_fi_refused, "a run= program's fault injection into the loader gets E_RIGHTS")
{
	static const uint16_t faults[] = {SVC_FI_CRASH, SVC_FI_HANG, SVC_FI_LEAK};
	struct svc_entry before, after;
	struct handle_info info;
	handle_t parent = start_handle("parent", NULL);

	T_ASSERT(parent != HANDLE_INVALID);
	T_OK(sys_handle_info(parent, &info));
	T_ASSERT(info.badge != 0); /* not init's own handle */
	T_ASSERT(st_status(t, "loader", &before) && before.state == SVC_RUNNING);
	for (size_t i = 0; i < ARRAY_SIZE(faults); i++) {
		struct ipc_msg m = {.tag = IPC_TAG(faults[i], 2, 0, 0),
				    .w = {SVC_CRASH_NULL_WRITE, 0}};
		T_OK(ipc_call(parent, &m, CALL_WAIT));
		T_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_RIGHTS);
	}
	T_EQ(svc_ping(parent, CALL_WAIT), E_OK); /* it answers, as before */
	T_ASSERT(st_status(t, "loader", &after));
	T_EQ(after.pid, before.pid);
	T_EQ(after.restarts, before.restarts);
}

/* 1 MiB objects until one is refused; how many were made, the refusal in *err. */
static int take_memory(handle_t held[HOLD_MAX], long *err)
{
	int n = 0;

	*err = E_OK;
	while (n < HOLD_MAX) {
		*err = sys_mobj_create(MIB, 0);
		if (*err < 0)
			break;
		held[n++] = (handle_t)*err;
	}
	return n;
}

/* While this program holds all its quota, the services answer. */
static void check_others(struct test_ctx *t)
{
	struct echo_request rq = {{1, 2, 3, 4, 5}};
	struct echo_reply rp;
	struct svc_entry e;
	handle_t echo = st_lookup(t, "echo");

	T_RETURN_IF_FAILED();
	T_OK(echo_echo(echo, &rq, 0, &rp, CALL_WAIT));
	T_EQ(rp.w[0], 2);
	T_ASSERT(st_status(t, "loader", &e) && e.state == SVC_RUNNING);
	sys_handle_close(echo);
}

/*
 * Everything is checked after the memory is given back: a failed check
 * ends the test, and the tests after it need memory too.
 */
TEST(failure, run_quota, "a run= program has a 64 MiB quota: beyond it E_QUOTA; the rest runs on")
{
	static handle_t held[HOLD_MAX];
	struct process_info info, full;
	long err;

	T_OK(sys_process_info(HANDLE_SELF, &info));
	T_EQ(info.pages_quota, SVC_RUN_QUOTA_PAGES);
	int n = take_memory(held, &err);
	long got = sys_process_info(HANDLE_SELF, &full);
	check_others(t);
	for (int i = 0; i < n; i++)
		sys_handle_close(held[i]);
	T_RETURN_IF_FAILED();
	T_EQ(err, E_QUOTA);
	T_OK(got);
	T_ASSERT(full.pages_used <= SVC_RUN_QUOTA_PAGES);
	T_ASSERT(full.pages_used + MIB / PAGE > SVC_RUN_QUOTA_PAGES); /* it was full */
	test_note("run_quota_taken", (uint64_t)n, "MiB");
	T_HANDLE(again, sys_mobj_create(MIB, 0)); /* given back, it can be had again */
	T_OK(sys_handle_close(again));
}
