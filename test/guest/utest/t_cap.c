/* SPDX-License-Identifier: MIT */
/*
 * Tests of capability transfer and of servers in other processes: a handle
 * travels with its rights (and only with R_TRANSFER over an endpoint handle
 * with R_GRANT), shared memory sent as a handle is seen both ways, a reply
 * can carry a handle back, a server that dies with a call in flight gives
 * the caller E_RESTARTED, and an endpoint outlives the server behind it.
 */
#include "sys/units.h"
#include "utest.h"

#define SHM_PAGES 4
#define SHM_BYTES (SHM_PAGES * PAGE)

/* Send `cap` with UT_CAPINFO; the server reports what it received. */
static long cap_info(handle_t ep, handle_t cap, struct handle_info *out)
{
	struct ipc_msg m = {.tag = IPC_TAG(UT_CAPINFO, 0, 1, 0), .cap = cap};
	long err = ipc_call(ep, &m, TIMEOUT_NEVER);

	if (err < 0)
		return err;
	out->type = (uint32_t)m.w[0];
	out->rights = (uint32_t)m.w[1];
	return ut_status(m.tag);
}

static void transfer_rules(struct test_ctx *t, handle_t ep)
{
	struct handle_info info;
	T_HANDLE(m, sys_mobj_create(PAGE, 0));
	T_HANDLE(m_ro, sys_handle_dup(m, R_READ | R_TRANSFER));
	T_HANDLE(m_stuck, sys_handle_dup(m, R_READ | R_WRITE));
	T_HANDLE(ep_nogrant, sys_handle_dup(ep, R_SEND));

	T_OK(cap_info(ep, m, &info));
	T_EQ(info.type, KOBJ_MOBJ);
	T_EQ(info.rights, R_READ | R_WRITE | R_EXEC | R_DUP | R_TRANSFER);
	T_OK(cap_info(ep, m_ro, &info));
	T_EQ(info.rights, R_READ | R_TRANSFER); /* no more than the sender had */
	T_EQ(cap_info(ep, m_stuck, &info), E_RIGHTS);
	T_EQ(cap_info(ep_nogrant, m, &info), E_RIGHTS);
	T_EQ(cap_info(ep, 0x7654321, &info), E_BADHANDLE);
	T_EQ(cap_info(ep, HANDLE_INVALID, &info), E_BADHANDLE);
	T_OK(sys_handle_info(m, &info)); /* the sender keeps its own handle */
	struct ipc_msg plain = {0};
	T_EQ(ut_call(ep_nogrant, UT_BADGE, 0, &plain), E_OK); /* R_GRANT is only for caps */
	handle_t all[] = {m, m_ro, m_stuck, ep_nogrant};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		T_OK(sys_handle_close(all[i]));
}

TEST(cap, cap_transfer_rules_thread,
     "a handle travels with its rights, only with R_TRANSFER and R_GRANT")
{
	handle_t ep;

	T_OK(ut_server_thread(&ep));
	transfer_rules(t, ep);
	T_OK(ut_server_stop(ep, HANDLE_INVALID));
}

TEST(cap, cap_transfer_rules_process, "the same rules hold between processes")
{
	handle_t ep, child;

	T_OK(ut_server_process(&ep, &child));
	transfer_rules(t, ep);
	T_OK(ut_server_stop(ep, child));
}

TEST(cap, cap_in_reply, "a reply carries a handle back to the caller")
{
	handle_t ep, child;
	struct handle_info info;
	struct ipc_msg m = {0};

	T_OK(ut_server_process(&ep, &child));
	T_OK(ut_call(ep, UT_GIVE, 0, &m));
	T_EQ(IPC_TAG_CAP(m.tag), 1);
	T_OK(sys_handle_info(m.cap, &info));
	T_EQ(info.type, KOBJ_NOTIFICATION);
	T_OK(sys_ntfn_signal(m.cap, 3)); /* a working handle, not just a number */
	T_EQ(sys_ntfn_wait(m.cap, 0), 3);
	T_OK(sys_handle_close(m.cap));
	T_OK(ut_server_stop(ep, child));
}

TEST(cap, shm_both_ways, "memory sent as a handle is shared: each side sees the other's writes")
{
	handle_t ep, child, m;
	uint8_t *shm = (uint8_t *)UT_SCRATCH_VA;
	struct ipc_msg msg = {0};

	T_OK(ut_server_process(&ep, &child));
	T_OK(ut_map_new(UT_SCRATCH_VA, SHM_PAGES, &m));
	ut_fill(shm, SHM_BYTES / 2, 21);
	msg = (struct ipc_msg){.tag = IPC_TAG(UT_SHM_MAP, 2, 1, 0), .w = {SHM_BYTES, 21}, .cap = m};
	T_OK(ipc_call(ep, &msg, TIMEOUT_NEVER));
	T_EQ(ut_status(msg.tag), E_OK);				    /* it saw our first half */
	T_ASSERT(ut_check(shm + SHM_BYTES / 2, SHM_BYTES / 2, 22)); /* we see its second half */
	ut_fill(shm, SHM_BYTES / 2, 23); /* written after the call: no message carries it */
	msg = (struct ipc_msg){.w = {23}};
	T_EQ(ut_call(ep, UT_SHM_CHECK, 1, &msg), E_OK);
	msg = (struct ipc_msg){.w = {24}};
	T_EQ(ut_call(ep, UT_SHM_CHECK, 1, &msg), E_INVAL); /* and it is really checking */
	T_OK(ut_server_stop(ep, child));
	T_ASSERT(ut_check(shm, SHM_BYTES / 2, 23)); /* its exit left our mapping alone */
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, SHM_BYTES));
	T_OK(sys_handle_close(m));
}

TEST(cap, server_exit_in_flight,
     "a server that exits with our call unanswered gives us E_RESTARTED")
{
	handle_t ep, child;
	struct ipc_msg m = {.w = {7}};

	T_OK(ut_server_process(&ep, &child));
	T_EQ(ut_call(ep, UT_EXIT, 1, &m), E_RESTARTED);
	T_EQ(ut_reap(child, 5000 * MS), 7);
	T_OK(sys_handle_close(ep));
}

TEST(cap, server_crash_in_flight,
     "a server that faults with our call unanswered gives us E_RESTARTED")
{
	handle_t ep, child;
	struct ipc_msg m = {0};

	T_OK(ut_server_process(&ep, &child));
	T_EQ(ut_call(ep, UT_CRASH, 0, &m), E_RESTARTED);
	T_EQ(ut_reap(child, 5000 * MS), EXIT_FAULT_CODE(14));
	T_OK(sys_handle_close(ep));
}

TEST(cap, endpoint_outlives_server,
     "a new server on the same endpoint serves the old client handles")
{
	handle_t ep, child;
	struct ipc_msg m = {0};

	T_OK(ut_server_process(&ep, &child));
	T_HANDLE(client, sys_ep_mint(ep, 0xC0FFEE, R_SEND));
	T_EQ(ut_call(client, UT_BADGE, 0, &m), E_OK);
	T_EQ(m.w[0], 0xC0FFEE);
	m.w[0] = 3;
	T_EQ(ut_call(ep, UT_EXIT, 1, &m), E_RESTARTED);
	T_EQ(ut_reap(child, 5000 * MS), 3);
	T_HANDLE(again, ut_spawn("server", NULL, ep, UT_PRIO));
	T_EQ(ut_call(client, UT_BADGE, 0, &m), E_OK);
	T_EQ(m.w[0], 0xC0FFEE);
	T_OK(sys_handle_close(client));
	T_OK(ut_server_stop(ep, again));
}
