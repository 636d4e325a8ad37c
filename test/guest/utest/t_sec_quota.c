/* SPDX-License-Identifier: MIT */
/*
 * Tests of what an unprivileged program cannot do to the rest of the
 * system: spend memory through a child without paying for it, exhaust the
 * kernel heap with kernel objects, raise its threads above its maximum
 * priority, keep a process alive through its own handle table, or leave
 * kernel page tables behind after a burst of threads.
 */
#include <string.h>

#include "sys/process.h"
#include "utest.h"

#define CODE_VA	      0x0000000000400000ull
#define FLOOD_QUOTA   64 /* pages */
#define BURST_THREADS 512
#define BURST_ROUNDS  4
#define BIG_PAGES     1024 /* 4 MiB */

static uint64_t pages_used(handle_t p)
{
	struct process_info info = {0};

	sys_process_info(p, &info);
	return info.pages_used;
}

TEST(sec_quota, quota_child_charged_to_creator,
     "memory charged to a child shows in its creator's account and obeys the creator's quota")
{
	T_HANDLE(child, sys_process_create("spender", 7));
	uint64_t before = pages_used(HANDLE_SELF);
	T_HANDLE(m, sys_mobj_create_for(child, BIG_PAGES * PAGE, 0));
	T_ASSERT(pages_used(HANDLE_SELF) >= before + BIG_PAGES);
	T_ASSERT(pages_used(child) >= BIG_PAGES);
	T_OK(sys_handle_close(m));
	T_EQ(pages_used(HANDLE_SELF), before);
	/* a child with a quota of its own cannot take more, whatever ours is */
	T_HANDLE(small, sys_process_create_ex("small", 5, 16, PROCESS_PRIORITY_INHERIT));
	T_EQ(sys_mobj_create_for(small, 17 * PAGE, 0), E_QUOTA);
	T_OK(sys_handle_close(small));
	T_OK(sys_handle_close(child));
}

TEST(sec_quota, quota_only_what_one_pays_for,
     "memory cannot be charged to a process one manages but does not pay for")
{
	T_HANDLE(gate, sys_ntfn_create());
	T_HANDLE(other, ut_spawn("gated-exit", "0", gate, UT_PRIO)); /* the loader pays */

	T_EQ(sys_mobj_create_for(other, PAGE, 0), E_RIGHTS);
	T_EQ(sys_thread_create(other, CODE_VA, CODE_VA, 0, UT_PRIO), E_RIGHTS);
	T_OK(sys_process_set_quota(other, 100000)); /* lowering it is allowed */
	T_EQ(sys_process_set_quota(other, 200000), E_RIGHTS);
	T_OK(sys_ntfn_signal(gate, 1));
	T_EQ(ut_reap(other, 5000 * MS), 0);
	T_OK(sys_handle_close(gate));
}

/*
 * x86-64 code: create endpoints until one fails; exit with how many were
 * made if it failed with E_QUOTA, else with the error.
 *   xor ebx,ebx; l: mov eax,SYS_EP_CREATE; syscall; test rax,rax; jle d;
 *   inc rbx; jmp l; d: mov rdi,rax; cmp rax,E_QUOTA; jne x; mov rdi,rbx;
 *   x: mov eax,SYS_PROCESS_EXIT; syscall
 */
static const uint8_t ep_flood_code[] = {
	0x31,
	0xDB,
	0xB8,
	SYS_EP_CREATE,
	0,
	0,
	0,
	0x0F,
	0x05,
	0x48,
	0x85,
	0xC0,
	0x7E,
	0x05,
	0x48,
	0xFF,
	0xC3,
	0xEB,
	0xEF,
	0x48,
	0x89,
	0xC7,
	0x48,
	0x83,
	0xF8,
	(uint8_t)E_QUOTA,
	0x75,
	0x03,
	0x48,
	0x89,
	0xDF,
	0xB8,
	SYS_PROCESS_EXIT,
	0,
	0,
	0,
	0x0F,
	0x05,
};

/* Run ep_flood_code in a child with a quota of FLOOD_QUOTA pages; its exit code. */
static int64_t run_flood(handle_t code)
{
	long p = sys_process_create_ex("flood", 5, FLOOD_QUOTA, UT_PRIO);
	int64_t result = UT_WAIT_ERROR(E_INVAL);

	if (p <= 0)
		return UT_WAIT_ERROR(p);
	long th = sys_mobj_map((handle_t)p, code, CODE_VA, 0, PAGE, R_READ | R_EXEC);

	if (th == E_OK)
		th = sys_thread_create((handle_t)p, CODE_VA, 0, 0, UT_PRIO);
	if (th > 0 && sys_thread_start((handle_t)th) == E_OK)
		result = ut_wait((handle_t)p, 5000 * MS);
	if (th > 0)
		sys_handle_close((handle_t)th);
	sys_handle_close((handle_t)p);
	return result;
}

TEST(sec_quota, quota_kernel_objects,
     "an endpoint loop stops at the quota with E_QUOTA and everything comes back")
{
	struct kinfo before, after;
	handle_t code;
	int64_t made = 0;

	T_OK(ut_map_new(UT_SCRATCH_VA, 1, &code));
	memcpy((void *)UT_SCRATCH_VA, ep_flood_code, sizeof(ep_flood_code));
	T_OK(sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE));
	for (int round = 0; round < 2; round++) { /* the first may fill allocator caches */
		T_OK(test_kinfo(&before));
		made = run_flood(code);
		T_OK(test_kinfo(&after));
		if (made <= 0)
			T_FAIL("the loop ended with %ld, not E_QUOTA", (long)made);
		T_RETURN_IF_FAILED();
	}
	test_note("quota_endpoints_made_under_64_pages", (uint64_t)made, "endpoints");
	T_ASSERT(made > 100 && made < (int64_t)(FLOOD_QUOTA * PAGE / 32));
	T_OK(sys_handle_close(code));
	T_KINFO_SAME(&before, &after);
}

TEST(sec_quota, priority_capped_at_process_max,
     "threads and children never go above the process's maximum priority")
{
	T_EQ(sys_thread_create(HANDLE_SELF, CODE_VA, 0, 0, 31), E_RANGE);
	T_EQ(sys_process_create_ex("high", 4, QUOTA_UNLIMITED, 31), E_RANGE);
	T_EQ(sys_process_create_ex("high", 4, QUOTA_UNLIMITED, 32), E_RANGE);
	T_HANDLE(own, sys_thread_create(HANDLE_SELF, CODE_VA, 0, 0, UT_PRIO_HIGH));
	T_HANDLE(same, sys_process_create_ex("same", 4, QUOTA_UNLIMITED, UT_PRIO_HIGH));
	T_HANDLE(low, sys_process_create_ex("low", 3, QUOTA_UNLIMITED, 5));
	T_EQ(sys_thread_create(low, CODE_VA, 0, 0, 6), E_RANGE);
	T_HANDLE(ok, sys_thread_create(low, CODE_VA, 0, 0, 5));
	T_OK(sys_handle_close(ok));
	T_OK(sys_handle_close(low));
	T_OK(sys_handle_close(same));
	T_OK(sys_handle_close(own));
}

/* A process holding a handle to itself, with 4 MiB mapped, closed before it ran. */
static void self_holder_once(struct test_ctx *t)
{
	T_HANDLE(p, sys_process_create("selfish", 7));
	T_HANDLE(m, sys_mobj_create_for(p, BIG_PAGES * PAGE, 0));
	T_OK(sys_mobj_map(p, m, UT_SCRATCH_VA, 0, BIG_PAGES * PAGE, R_READ | R_WRITE));
	T_OK(sys_handle_grant(p, p, R_ALL));
	T_OK(sys_handle_close(m));
	T_OK(sys_handle_close(p));
}

TEST(sec_quota, self_handle_not_kept_alive,
     "a process whose table names itself goes with its last handle")
{
	struct kinfo before, after;

	self_holder_once(t);
	T_OK(test_kinfo(&before));
	for (int i = 0; i < 8 && !t->failed; i++)
		self_holder_once(t);
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
}

static void thread_burst(struct test_ctx *t, int n)
{
	static handle_t ths[BURST_THREADS];
	int made = 0;

	for (; made < n; made++) {
		long h = sys_thread_create(HANDLE_SELF, CODE_VA, 0, 0, UT_PRIO);
		if (h <= 0) {
			T_FAIL("thread %d of %d: %ld", made, n, h);
			break;
		}
		ths[made] = (handle_t)h;
	}
	while (made > 0)
		sys_handle_close(ths[--made]);
}

/* Grow our handle table for a burst first (it never shrinks), with cheap handles. */
static void grow_handle_table(struct test_ctx *t)
{
	static handle_t dups[BURST_THREADS + 8];
	T_HANDLE(n, sys_ntfn_create());

	for (int i = 0; i < BURST_THREADS + 8; i++)
		dups[i] = (handle_t)sys_handle_dup(n, R_ALL);
	for (int i = 0; i < BURST_THREADS + 8; i++)
		sys_handle_close(dups[i]);
	T_OK(sys_handle_close(n));
}

TEST(sec_quota, thread_burst_tables_back,
     "bursts of 512 threads made and freed give every frame and page table back")
{
	struct kinfo before, after;

	grow_handle_table(t);
	thread_burst(t, 64);
	T_OK(test_kinfo(&before));
	for (int round = 0; round < BURST_ROUNDS && !t->failed; round++) {
		thread_burst(t, BURST_THREADS);
		T_RETURN_IF_FAILED();
		T_OK(test_kinfo(&after));
		T_KINFO_SAME(&before, &after);
	}
}
