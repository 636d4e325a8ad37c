/* SPDX-License-Identifier: MIT */
/*
 * Tests of the syscalls that touch no object: the null call, unknown
 * numbers, debug output and its pointer checks, the clock and sleep, the
 * kernel counters, and the thread-local pointer.
 */
#include "sys/thread.h"
#include "sys/units.h"
#include "utest.h"

/* User pointers the kernel must refuse with E_FAULT (or not read past). */
static const uintptr_t bad_pointers[] = {
	0,		       /* NULL */
	UT_DIRECT_MAP,	       /* kernel: the direct map */
	UT_KERNEL_TEXT,	       /* kernel: its image */
	0x0000600000000000ull, /* user, nothing mapped */
	UT_USER_SPACE_END - 4, /* runs off the end of user space */
	0xfffffffffffffff0ull, /* wraps past the top */
	0x0000800000000000ull, /* the first non-canonical address */
};

TEST(basic, sys_null, "SYS_NULL returns 0 whatever its arguments")
{
	T_EQ(sys_null(), E_OK);
	T_EQ(sys_call6(SYS_NULL, -1, -1, -1, -1, -1, -1), E_OK);
}

TEST(basic, sys_unknown_number, "unknown syscall numbers give E_NOSYS and nothing else happens")
{
	T_EQ(sys_call6(999, 1, 2, 3, 4, 5, 6), E_NOSYS);
	T_EQ(sys_call6(SYS_COUNT, 0, 0, 0, 0, 0, 0), E_NOSYS);
	T_EQ(sys_call6(-1, 0, 0, 0, 0, 0, 0), E_NOSYS);
	T_EQ(sys_call6(1l << 32, 0, 0, 0, 0, 0, 0), E_NOSYS);
	T_EQ(sys_call6((long)(1ul << 63), 0, 0, 0, 0, 0, 0), E_NOSYS);
	T_EQ(sys_null(), E_OK);
}

TEST(basic, debug_write_pointers,
     "debug_write copies only valid user memory: bad pointers give E_FAULT")
{
	static const char line[] = "utest: debug_write reaches the console\n";
	handle_t m;

	T_EQ(sys_debug_write(line, sizeof(line) - 1), (long)sizeof(line) - 1);
	T_EQ(sys_debug_write(line, 0), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad_pointers); i++)
		T_EQ(sys_debug_write((const char *)bad_pointers[i], 16), E_FAULT);
	/* 16 bytes that start in a mapped page and run into an unmapped one */
	T_OK(ut_map_new(UT_SCRATCH_VA, 1, &m));
	long straddle = sys_debug_write((const char *)(UT_SCRATCH_VA + PAGE - 8), 16);
	sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE);
	sys_handle_close(m);
	T_EQ(straddle, E_FAULT);
}

TEST(basic, debug_write_length, "debug_write refuses more than its limit with E_RANGE")
{
	static const char text[2048] = "x";

	T_EQ(sys_debug_write(text, 1025), E_RANGE);
	T_EQ(sys_debug_write(text, ~0ul), E_RANGE);
	T_EQ(sys_debug_write(NULL, ~0ul), E_RANGE);
}

TEST(basic, clock_and_sleep, "the clock never goes back and a sleep lasts at least as asked")
{
	uint64_t prev = sys_clock();

	for (int i = 0; i < 1000; i++) {
		uint64_t now = sys_clock();
		T_ASSERT(now >= prev);
		prev = now;
	}
	uint64_t start = sys_clock();
	T_EQ(sys_sleep(3 * MS), E_OK);
	uint64_t slept = ut_elapsed(start);
	T_ASSERT(slept >= 3 * MS);
	T_ASSERT(slept < 1000 * MS);
	T_EQ(sys_sleep(0), E_OK);
}

TEST(basic, kinfo_counters, "SYS_KINFO fills in plausible counters and checks its pointer")
{
	struct kinfo a, b;
	handle_t m;

	T_EQ(sys_kinfo(NULL), E_FAULT);
	T_EQ(sys_kinfo((struct kinfo *)UT_DIRECT_MAP), E_FAULT);
	T_EQ(sys_kinfo((struct kinfo *)UT_KERNEL_TEXT), E_FAULT);
	T_OK(test_kinfo(&a));
	T_ASSERT(a.frames_total > 0 && a.frames_free <= a.frames_total);
	T_ASSERT(a.processes >= 3); /* init, the loader and us */
	T_ASSERT(a.threads >= 3);
	T_ASSERT(a.endpoints >= 1 && a.mobjs >= 1 && a.page_tables >= 1);
	T_EQ(sys_sleep(25 * MS), E_OK);
	T_OK(test_kinfo(&b));
	T_ASSERT(b.ticks > a.ticks);
	/* a read-only page: the kernel must not write through it */
	T_OK(ut_map_new(UT_SCRATCH_VA, 1, &m));
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE));
	T_OK(sys_mobj_map(HANDLE_SELF, m, UT_SCRATCH_VA, 0, PAGE, R_READ));
	long ro = sys_kinfo((struct kinfo *)UT_SCRATCH_VA);
	bool untouched = ((volatile uint8_t *)UT_SCRATCH_VA)[0] == 0;
	sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE);
	sys_handle_close(m);
	T_EQ(ro, E_FAULT);
	T_ASSERT(untouched);
}

TEST(basic, tls_pointer_range, "SYS_THREAD_SET_TLS refuses addresses outside user space")
{
	struct ipc_buffer *mine = ipc_buffer();

	T_ASSERT(mine != NULL);
	T_EQ(sys_call6(SYS_THREAD_SET_TLS, (long)UT_DIRECT_MAP, 0, 0, 0, 0, 0), E_RANGE);
	T_EQ(sys_call6(SYS_THREAD_SET_TLS, (long)UT_USER_SPACE_END, 0, 0, 0, 0, 0), E_RANGE);
	T_EQ(sys_call6(SYS_THREAD_SET_TLS, -1, 0, 0, 0, 0, 0), E_RANGE);
	T_ASSERT(ipc_buffer() == mine); /* the refused calls changed nothing */
}
