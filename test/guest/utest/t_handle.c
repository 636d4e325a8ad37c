/* SPDX-License-Identifier: MIT */
/*
 * Tests of handles: bad values (0, made up, closed, stale generation) give
 * E_BADHANDLE in every syscall that takes one, the wrong kind of object
 * gives E_TYPE, a reduced-rights duplicate gives E_RIGHTS, and dup, info
 * and grant do what they say.
 */
#include "sys/units.h"
#include "utest.h"

#define EP_RIGHTS   (R_SEND | R_RECV | R_GRANT | R_DUP | R_TRANSFER)
#define NTFN_RIGHTS (R_SIGNAL | R_WAIT | R_DUP | R_TRANSFER)
#define MOBJ_RIGHTS (R_READ | R_WRITE | R_EXEC | R_DUP | R_TRANSFER)

/* Every syscall that takes a handle, given `h`, must answer `want`. */
static void all_refuse(struct test_ctx *t, handle_t h, long want)
{
	struct handle_info info;
	struct ipc_msg m = {0};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());

	long got[] = {
		sys_handle_close(h),
		sys_handle_dup(h, R_ALL),
		sys_handle_info(h, &info),
		sys_ep_mint(h, 1, R_ALL),
		sys_ep_bind(h, n),
		sys_ep_bind(ep, h),
		sys_ntfn_signal(h, 1),
		sys_ntfn_wait(h, 0),
		sys_process_wait(h, 0, NULL),
		sys_process_kill(h),
		sys_thread_create(h, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, 1),
		sys_thread_start(h),
		sys_mobj_map(HANDLE_SELF, h, UT_SCRATCH_VA, 0, PAGE, R_READ),
		sys_mobj_map(h, h, UT_SCRATCH_VA, 0, PAGE, R_READ),
		sys_unmap(h, UT_SCRATCH_VA, PAGE),
		sys_handle_grant(h, ep, R_ALL),
		sys_handle_grant(HANDLE_SELF, h, R_ALL),
		ipc_call(h, &m, 0),
		ipc_send(h, &m, 0),
		ipc_recv(h, &m, 0),
		ipc_reply_recv(h, &m, 0),
		h ? ipc_reply(h, &m) : want, /* reply to handle 0 means "the caller" */
	};
	sys_handle_close(ep);
	sys_handle_close(n);
	for (size_t i = 0; i < ARRAY_SIZE(got); i++)
		if (got[i] != want)
			T_FAIL("handle 0x%x, call #%zu: got %s, want %s", h, i,
			       sys_error_name(got[i]), sys_error_name(want));
}

TEST(handle, handle_bad_values,
     "0, made-up, out-of-table and closed handles give E_BADHANDLE everywhere")
{
	static const handle_t bad[] = {0,	   0x12345678, 0x0001FFFF,
				       0x00010000, 0x7FFFFFFF, 0xFFFFFFFE};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		all_refuse(t, bad[i], E_BADHANDLE);
		T_RETURN_IF_FAILED();
	}
	T_HANDLE(ep, sys_ep_create());
	T_OK(sys_handle_close(ep));
	all_refuse(t, ep, E_BADHANDLE);
	T_RETURN_IF_FAILED();
	T_EQ(sys_handle_close(ep), E_BADHANDLE); /* closing twice */
}

TEST(handle, handle_stale_generation, "a closed handle stays dead when its slot is reused")
{
	struct handle_info info;
	T_HANDLE(old, sys_ep_create());
	T_OK(sys_handle_close(old));
	T_HANDLE(reused, sys_ntfn_create());

	T_EQ(reused & 0xFFFF, old & 0xFFFF); /* the same slot, so only the generation differs */
	T_ASSERT(reused != old);
	T_EQ(sys_handle_info(old, &info), E_BADHANDLE);
	T_EQ(sys_ntfn_signal(old, 1), E_BADHANDLE);
	T_EQ(sys_handle_close(old), E_BADHANDLE);
	T_OK(sys_handle_info(reused, &info)); /* and the new one is unharmed */
	T_EQ(info.type, KOBJ_NOTIFICATION);
	T_OK(sys_handle_close(reused));
}

static void expect_info(struct test_ctx *t, handle_t h, uint32_t type, uint32_t rights,
			uint64_t badge, uint64_t size)
{
	struct handle_info info = {0, 0, 99, 99};

	T_OK(sys_handle_info(h, &info));
	T_EQ(info.type, type);
	T_EQ(info.rights, rights);
	T_EQ(info.badge, badge);
	T_EQ(info.size, size);
}

TEST(handle, handle_info_types,
     "handle_info names each object type with the rights it was made with, and a memory "
     "object's size in whole pages")
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(m, sys_mobj_create(PAGE, 0));
	T_HANDLE(big, sys_mobj_create(3 * PAGE + 1, 0));
	T_HANDLE(p, sys_process_create("info", 4));

	expect_info(t, ep, KOBJ_ENDPOINT, EP_RIGHTS, 0, 0);
	expect_info(t, n, KOBJ_NOTIFICATION, NTFN_RIGHTS, 0, 0);
	expect_info(t, m, KOBJ_MOBJ, MOBJ_RIGHTS, 0, PAGE);
	expect_info(t, big, KOBJ_MOBJ, MOBJ_RIGHTS, 0, 4 * PAGE);
	expect_info(t, p, KOBJ_PROCESS, R_ALL, 0, 0);
	sys_handle_close(big);
	T_RETURN_IF_FAILED();
	T_EQ(sys_handle_info(ep, NULL), E_FAULT);
	T_EQ(sys_handle_info(ep, (struct handle_info *)UT_DIRECT_MAP), E_FAULT);
	T_EQ(sys_handle_info(ep, (struct handle_info *)UT_KERNEL_TEXT), E_FAULT);
	sys_handle_close(ep);
	sys_handle_close(n);
	sys_handle_close(m);
	sys_handle_close(p);
}

TEST(handle, handle_dup_rights, "dup keeps the object and badge, masks rights, and needs R_DUP")
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(send_only, sys_handle_dup(ep, R_SEND));
	T_HANDLE(send_dup, sys_handle_dup(ep, R_SEND | R_DUP));
	T_HANDLE(badged, sys_ep_mint(ep, 0xBADBADull, EP_RIGHTS));
	T_HANDLE(regrown, sys_handle_dup(send_dup, R_ALL));
	T_HANDLE(badged_copy, sys_handle_dup(badged, R_SEND | R_DUP));

	expect_info(t, send_only, KOBJ_ENDPOINT, R_SEND, 0, 0);
	expect_info(t, regrown, KOBJ_ENDPOINT, R_SEND | R_DUP, 0, 0); /* rights never grow */
	expect_info(t, badged_copy, KOBJ_ENDPOINT, R_SEND | R_DUP, 0xBADBAD, 0);
	T_RETURN_IF_FAILED();
	T_EQ(sys_handle_dup(send_only, R_SEND), E_RIGHTS);
	T_HANDLE(none, sys_handle_dup(ep, 0));
	expect_info(t, none, KOBJ_ENDPOINT, 0, 0, 0);
	T_RETURN_IF_FAILED();
	T_OK(sys_handle_close(ep)); /* the copies keep the endpoint alive */
	expect_info(t, send_only, KOBJ_ENDPOINT, R_SEND, 0, 0);
	T_RETURN_IF_FAILED();
	handle_t all[] = {send_only, send_dup, badged, regrown, badged_copy, none};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		T_OK(sys_handle_close(all[i]));
}

TEST(handle, handle_wrong_type, "a handle to the wrong kind of object gives E_TYPE")
{
	struct ipc_msg msg = {0};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(m, sys_mobj_create(PAGE, 0));

	T_EQ(sys_ntfn_signal(ep, 1), E_TYPE);
	T_EQ(sys_ntfn_wait(m, 0), E_TYPE);
	T_EQ(ipc_call(n, &msg, 0), E_TYPE);
	T_EQ(ipc_send(m, &msg, 0), E_TYPE);
	T_EQ(ipc_recv(n, &msg, 0), E_TYPE);
	T_EQ(ipc_reply_recv(m, &msg, 0), E_TYPE);
	T_EQ(ipc_reply(ep, &msg), E_TYPE);
	T_EQ(sys_ep_mint(n, 1, R_ALL), E_TYPE);
	T_EQ(sys_ep_bind(n, n), E_TYPE);
	T_EQ(sys_ep_bind(ep, ep), E_TYPE);
	T_EQ(sys_mobj_map(HANDLE_SELF, ep, UT_SCRATCH_VA, 0, PAGE, R_READ), E_TYPE);
	T_EQ(sys_mobj_map(m, m, UT_SCRATCH_VA, 0, PAGE, R_READ), E_TYPE);
	T_EQ(sys_unmap(ep, UT_SCRATCH_VA, PAGE), E_TYPE);
	T_EQ(sys_thread_start(ep), E_TYPE);
	T_EQ(sys_thread_create(n, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, 1), E_TYPE);
	T_EQ(sys_process_wait(ep, 0, NULL), E_TYPE);
	T_EQ(sys_process_kill(m), E_TYPE);
	T_EQ(sys_handle_grant(n, ep, R_ALL), E_TYPE);
	sys_handle_close(ep);
	sys_handle_close(n);
	sys_handle_close(m);
}

TEST(handle, handle_wrong_rights, "a duplicate without the needed right gives E_RIGHTS")
{
	struct ipc_msg msg = {0};
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(m, sys_mobj_create(PAGE, 0));
	T_HANDLE(p, sys_process_create("rights", 6));
	T_HANDLE(ep_send, sys_handle_dup(ep, R_SEND));
	T_HANDLE(ep_recv, sys_handle_dup(ep, R_RECV));
	T_HANDLE(n_signal, sys_handle_dup(n, R_SIGNAL));
	T_HANDLE(n_wait, sys_handle_dup(n, R_WAIT));
	T_HANDLE(m_read, sys_handle_dup(m, R_READ));
	T_HANDLE(p_wait, sys_handle_dup(p, 0));

	T_EQ(ipc_recv(ep_send, &msg, 0), E_RIGHTS);
	T_EQ(sys_ep_bind(ep_send, n), E_RIGHTS);
	T_EQ(ipc_call(ep_recv, &msg, 0), E_RIGHTS);
	T_EQ(ipc_send(ep_recv, &msg, 0), E_RIGHTS);
	T_EQ(sys_ep_mint(ep_send, 5, R_SEND), E_RIGHTS);
	T_EQ(sys_ntfn_wait(n_signal, 0), E_RIGHTS);
	T_EQ(sys_ntfn_signal(n_wait, 1), E_RIGHTS);
	T_EQ(sys_ep_bind(ep, n_signal), E_RIGHTS);
	T_EQ(sys_mobj_map(HANDLE_SELF, m_read, UT_SCRATCH_VA, 0, PAGE, R_READ | R_WRITE), E_RIGHTS);
	T_EQ(sys_mobj_map(HANDLE_SELF, m_read, UT_SCRATCH_VA, 0, PAGE, R_READ | R_EXEC), E_RIGHTS);
	T_EQ(sys_handle_grant(HANDLE_SELF, m_read, R_READ), E_RIGHTS); /* no R_TRANSFER */
	T_EQ(sys_process_kill(p_wait), E_RIGHTS);
	T_EQ(sys_thread_create(p_wait, UT_SCRATCH_VA, UT_SCRATCH_VA, 0, 1), E_RIGHTS);
	T_EQ(sys_mobj_map(p_wait, m, UT_SCRATCH_VA, 0, PAGE, R_READ), E_RIGHTS);
	T_EQ(sys_unmap(p_wait, UT_SCRATCH_VA, PAGE), E_RIGHTS);
	T_EQ(sys_handle_grant(p_wait, ep, R_SEND), E_RIGHTS);
	T_EQ(ut_wait(p_wait, 0), UT_WAIT_ERROR(E_TIMEOUT)); /* waiting needs no right */
	/* the read-only copy still maps read-only */
	T_OK(sys_mobj_map(HANDLE_SELF, m_read, UT_SCRATCH_VA, 0, PAGE, R_READ));
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE));
	handle_t all[] = {ep, n, m, p, ep_send, ep_recv, n_signal, n_wait, m_read, p_wait};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		T_OK(sys_handle_close(all[i]));
}

TEST(handle, handle_grant, "grant copies a handle into a process with masked rights")
{
	T_HANDLE(ep, sys_ep_create());
	T_HANDLE(p, sys_process_create("grant", 5));
	T_HANDLE(mine, sys_handle_grant(HANDLE_SELF, ep, R_SEND | R_TRANSFER));

	expect_info(t, mine, KOBJ_ENDPOINT, R_SEND | R_TRANSFER, 0, 0);
	T_RETURN_IF_FAILED();
	T_ASSERT(mine != ep);
	T_OK(sys_handle_grant(p, ep, R_SEND)); /* a handle number in p, meaningless here */
	T_OK(sys_process_kill(p));
	T_EQ(sys_handle_grant(p, ep, R_SEND), E_CLOSED);
	T_OK(sys_handle_close(mine));
	T_OK(sys_handle_close(p));
	T_OK(sys_handle_close(ep));
}
