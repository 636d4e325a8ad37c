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
static long gated_child(struct ut_ctx *t, const char *role, uint64_t arg, handle_t ep,
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
		UT_FAIL("supervise: %s", sys_error_name(err));
	sys_ntfn_signal(*gate, 1);
	return child;
}

UTEST(supervise_fault_notice,
      "a fault reaches the supervisor with its registers; the process waits")
{
	struct ipc_msg m;
	struct process_info info;
	handle_t gate;

	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(child, gated_child(t, "gated-read", FAULT_VA, ep, &gate));
	UT_OK(ipc_recv(ep, &m, 2000 * MS));
	UT_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_FAULT);
	UT_EQ(m.badge, BADGE);
	UT_EQ(m.w[0], 14);
	UT_EQ(m.w[2], FAULT_VA);
	UT_EQ(IPC_TAG_BYTES(m.tag), sizeof(struct fault_regs));
	const struct fault_regs *r = (const struct fault_regs *)ipc_buffer()->data;
	UT_EQ(r->rip, m.w[3]);
	UT_EQ(r->vector, 14);
	UT_EQ(r->cs & 3, 3);
	UT_OK(sys_process_info(child, &info));
	UT_EQ(info.state, PROCESS_FAULTED);
	UT_EQ(ut_wait(child, 20 * MS), UT_WAIT_ERROR(E_TIMEOUT)); /* suspended, not ended */
	UT_OK(sys_process_kill(child));
	UT_OK(ipc_recv(ep, &m, 2000 * MS));
	UT_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_EXIT);
	UT_EQ((int64_t)m.w[0], EXIT_KILLED);
	UT_EQ(m.w[1], info.pid);
	UT_EQ(ut_wait(child, 0), EXIT_KILLED);
	UT_OK(sys_handle_close(child));
	UT_OK(sys_handle_close(gate));
	UT_OK(sys_handle_close(ep));
}

UTEST(supervise_exit_notice, "an ordinary exit reaches the supervisor with its code, once")
{
	struct ipc_msg m;
	handle_t gate;

	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(child, gated_child(t, "gated-exit", 7, ep, &gate));
	UT_OK(ipc_recv(ep, &m, 2000 * MS));
	UT_EQ(IPC_TAG_LABEL(m.tag), IPC_LABEL_EXIT);
	UT_EQ(m.w[0], 7);
	UT_EQ(ipc_recv(ep, &m, 20 * MS), E_TIMEOUT); /* nothing more */
	UT_EQ(ut_wait(child, 0), 7);
	UT_OK(sys_handle_close(child));
	UT_OK(sys_handle_close(gate));
	UT_OK(sys_handle_close(ep));
}

UTEST(supervise_arguments, "supervising needs R_MANAGE and a sendable endpoint, not oneself")
{
	UT_HANDLE(ep, sys_ep_create());
	UT_HANDLE(recv_only, sys_handle_dup(ep, R_RECV | R_DUP));
	UT_HANDLE(p, sys_process_create("ward", 4));
	UT_HANDLE(weak, sys_handle_dup(p, R_DUP));

	UT_EQ(sys_process_supervise(HANDLE_SELF, ep, 1), E_INVAL);
	UT_EQ(sys_process_supervise(p, recv_only, 1), E_RIGHTS);
	UT_EQ(sys_process_supervise(weak, ep, 1), E_RIGHTS);
	UT_EQ(sys_process_supervise(p, p, 1), E_TYPE);
	UT_OK(sys_process_supervise(p, ep, 1));
	UT_OK(sys_process_kill(p));
	UT_EQ(sys_process_supervise(p, ep, 1), E_CLOSED);
	UT_OK(sys_handle_close(weak));
	UT_OK(sys_handle_close(p));
	UT_OK(sys_handle_close(recv_only));
	UT_OK(sys_handle_close(ep));
}

UTEST(quota_limits_charges, "a quota refuses what would pass it and frees what is given back")
{
	struct process_info info;

	UT_HANDLE(p, sys_process_create("budget", 6));
	UT_EQ(sys_process_set_quota(HANDLE_SELF, 100), E_INVAL);
	UT_OK(sys_process_set_quota(p, 10));
	UT_HANDLE(a, sys_mobj_create_for(p, 8 * PAGE, 0));
	UT_EQ(sys_mobj_create_for(p, 4 * PAGE, 0), E_QUOTA);
	UT_EQ(sys_thread_create(p, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, 1), E_QUOTA); /* 4 pages */
	UT_OK(sys_process_info(p, &info));
	UT_EQ(info.pages_used, 8);
	UT_EQ(info.pages_quota, 10);
	UT_EQ(info.state, PROCESS_RUNNING);
	UT_ASSERT(strcmp(info.name, "budget") == 0);
	UT_OK(sys_handle_close(a)); /* the object goes, and its charge with it */
	UT_OK(sys_process_info(p, &info));
	UT_EQ(info.pages_used, 0);
	UT_HANDLE(b, sys_mobj_create_for(p, 10 * PAGE, 0));
	UT_OK(sys_handle_close(b));
	UT_OK(sys_handle_close(p));
}
