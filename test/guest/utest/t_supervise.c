/* SPDX-License-Identifier: MIT */
/*
 * Supervision and accounting: fault and exit notices reach the supervising
 * endpoint with the right contents, a faulting supervised process stays
 * suspended until killed, SYS_PROCESS_SUPERVISE checks its arguments, and
 * memory quotas refuse what would pass them and give back what is freed.
 */
#include <stdio.h>
#include <string.h>

#include "sys/fmt.h"
#include "sys/process.h"
#include "utest.h"

#define BADGE	 0x55
#define FAULT_VA 0xdead0000ull

/* A child in a gated role, supervised on `ep` before it is let go. */
static long gated_child(struct test_ctx *t, const char *role, uint64_t arg, handle_t ep,
			handle_t *gate)
{
	char hex[24];
	long n = sys_ntfn_create();

	if (n < 0)
		return n;
	*gate = (handle_t)n;
	snprintf(hex, sizeof(hex), "%lx", (unsigned long)arg);
	long child = ut_spawn(role, hex, *gate, UT_PRIO);
	if (child < 0)
		return child;
	long err = sys_process_supervise((handle_t)child, ep, BADGE);
	if (err < 0)
		T_FAIL("supervise: %s", sys_error_name(err));
	sys_ntfn_signal(*gate, 1);
	return child;
}

TEST(supervise, supervise_fault_notice,
     "a fault reaches the supervisor with its registers; the process waits")
{
	struct ipc_msg m = {0};
	struct process_info info;
	handle_t gate;

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(child, gated_child(t, "gated-read", FAULT_VA, ep, &gate));
	T_OK(ipc_recv(ep, &m, 2000 * MS));
	T_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_FAULT);
	T_EQ(m.badge, BADGE);
	T_EQ(m.w[0], 14);
	T_EQ(m.w[2], FAULT_VA);
	T_EQ(IPC_TAG_BYTES(m.tag), sizeof(struct fault_regs));
	const struct fault_regs *r = (const struct fault_regs *)ipc_buffer()->data;
	T_EQ(r->rip, m.w[3]);
	T_EQ(r->vector, 14);
	T_EQ(r->cs & 3, 3);
	T_OK(sys_process_info(child, &info));
	T_EQ(info.state, PROCESS_FAULTED);
	T_EQ(ut_wait(child, 20 * MS), UT_WAIT_ERROR(E_TIMEOUT)); /* suspended, not ended */
	T_OK(sys_process_kill(child));
	T_OK(ipc_recv(ep, &m, 2000 * MS));
	T_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_EXIT);
	T_EQ((int64_t)m.w[0], EXIT_KILLED);
	T_EQ(m.w[1], info.pid);
	T_EQ(ut_wait(child, 0), EXIT_KILLED);
	T_OK(sys_handle_close(child));
	T_OK(sys_handle_close(gate));
	T_OK(sys_handle_close(ep));
}

TEST(supervise, supervise_exit_notice,
     "an ordinary exit reaches the supervisor with its code, once")
{
	struct ipc_msg m = {0};
	handle_t gate;

	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(child, gated_child(t, "gated-exit", 7, ep, &gate));
	T_OK(ipc_recv(ep, &m, 2000 * MS));
	T_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_EXIT);
	T_EQ(m.w[0], 7);
	T_EQ(ipc_recv(ep, &m, 20 * MS), E_TIMEOUT); /* nothing more */
	T_EQ(ut_wait(child, 0), 7);
	T_OK(sys_handle_close(child));
	T_OK(sys_handle_close(gate));
	T_OK(sys_handle_close(ep));
}

TEST(supervise, supervise_arguments,
     "supervising needs R_MANAGE and a sendable endpoint, not oneself")
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(recv_only, sys_handle_dup(ep, R_RECV | R_DUP));
	T_HANDLE(p, sys_process_create("ward", 4));
	T_HANDLE(weak, sys_handle_dup(p, R_DUP));

	T_EQ(sys_process_supervise(HANDLE_SELF, ep, 1), E_INVAL);
	T_EQ(sys_process_supervise(p, recv_only, 1), E_RIGHTS);
	T_EQ(sys_process_supervise(weak, ep, 1), E_RIGHTS);
	T_EQ(sys_process_supervise(p, p, 1), E_TYPE);
	T_OK(sys_process_supervise(p, ep, 1));
	T_OK(sys_process_kill(p));
	T_EQ(sys_process_supervise(p, ep, 1), E_CLOSED);
	T_OK(sys_handle_close(weak));
	T_OK(sys_handle_close(p));
	T_OK(sys_handle_close(recv_only));
	T_OK(sys_handle_close(ep));
}

TEST(supervise, quota_limits_charges,
     "a quota refuses what would pass it and frees what is given back")
{
	struct process_info info;

	T_HANDLE(p, sys_process_create("budget", 6));
	T_EQ(sys_process_set_quota(HANDLE_SELF, 100), E_INVAL);
	T_OK(sys_process_set_quota(p, 10));
	T_HANDLE(a, sys_mobj_create_for(p, 8 * PAGE, 0));
	T_EQ(sys_mobj_create_for(p, 4 * PAGE, 0), E_QUOTA);
	T_EQ(sys_thread_create(p, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, 1), E_QUOTA); /* 4 pages */
	T_OK(sys_process_info(p, &info));
	T_EQ(info.pages_used, 8);
	T_EQ(info.pages_quota, 10);
	T_EQ(info.state, PROCESS_RUNNING);
	T_ASSERT(strcmp(info.name, "budget") == 0);
	T_OK(sys_handle_close(a)); /* the object goes, and its charge with it */
	T_OK(sys_process_info(p, &info));
	T_EQ(info.pages_used, 0);
	T_HANDLE(b, sys_mobj_create_for(p, 10 * PAGE, 0));
	T_OK(sys_handle_close(b));
	T_OK(sys_handle_close(p));
}
