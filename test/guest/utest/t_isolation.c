/* SPDX-License-Identifier: MIT */
/*
 * Tests of isolation between processes: a child that reads kernel memory,
 * touches memory only its parent mapped, writes its own code or runs its
 * data is ended with the kernel's fault code, and its parent learns that
 * code and carries on untouched; a handle number the child was never given
 * names nothing in it.
 */
#include "sys/fmt.h"
#include "utest.h"

#define PF EXIT_FAULT_CODE(14)
#define UD EXIT_FAULT_CODE(6)

/* Run a utest child in `role` with a hex argument; its exit code. */
static long child_exit_code(const char *role, uint64_t arg)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "%lx", (unsigned long)arg);
	long c = ut_spawn(role, hex, HANDLE_INVALID, UT_PRIO);
	return c < 0 ? UT_WAIT_ERROR(c) : ut_reap((handle_t)c, 5000 * MS);
}

TEST(isolation, isolation_kernel_memory,
     "a child reading or writing kernel memory is ended with #PF")
{
	T_EQ(child_exit_code("read", UT_KERNEL_TEXT), PF);
	T_EQ(child_exit_code("write", UT_KERNEL_TEXT), PF);
	T_EQ(child_exit_code("read", UT_DIRECT_MAP), PF);
	T_EQ(child_exit_code("read", UT_DIRECT_MAP + 0x200000), PF);
}

TEST(isolation, isolation_parent_memory, "memory the parent mapped does not exist in its child")
{
	handle_t m;

	T_OK(ut_map_new(UT_SCRATCH_VA, 1, &m));
	ut_fill((void *)UT_SCRATCH_VA, PAGE, 31);
	T_EQ(child_exit_code("write", UT_SCRATCH_VA + 16), PF);
	T_EQ(child_exit_code("read", UT_SCRATCH_VA), PF);
	T_ASSERT(ut_check((void *)UT_SCRATCH_VA, PAGE, 31)); /* and ours is untouched */
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE));
	T_OK(sys_handle_close(m));
}

TEST(isolation, isolation_wx, "a child cannot write its own code or run its data (W^X)")
{
	T_EQ(child_exit_code("write-text", 0), PF);
	T_EQ(child_exit_code("exec-data", 0), PF);
	T_EQ(child_exit_code("read", 0), PF); /* NULL */
	T_EQ(child_exit_code("trap", 0), UD);
}

TEST(isolation, isolation_no_capability,
     "a handle number the child was never given is E_BADHANDLE there")
{
	char hex[24];
	T_HANDLE(given, sys_ep_create());
	T_HANDLE(ep, sys_ep_create());

	/* the child holds one handle (`given`, as "parent"); it tries our number for ep
	 * with handle_info and a call: 100 - the call's error is its exit code */
	snprintf(hex, sizeof(hex), "%x", ep);
	T_HANDLE(child, ut_spawn("call", hex, given, UT_PRIO));
	T_EQ(ut_reap(child, 5000 * MS), 100 - E_BADHANDLE);
	/* with no handle given: it holds only the loader's "ns", in slot 1 */
	T_EQ(child_exit_code("call", 0x00010007), 100 - E_BADHANDLE);
	T_OK(sys_handle_close(ep));
	T_OK(sys_handle_close(given));
}

TEST(isolation, isolation_faults_leave_nothing,
     "faulting children leave no kernel objects or memory behind")
{
	struct kinfo before, after;

	T_EQ(child_exit_code("read", UT_KERNEL_TEXT), PF); /* the loader's first-use costs */
	T_OK(test_kinfo(&before));
	for (int i = 0; i < 10; i++)
		T_EQ(child_exit_code(i & 1 ? "trap" : "write", UT_KERNEL_TEXT), i & 1 ? UD : PF);
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}
