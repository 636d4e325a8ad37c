/* SPDX-License-Identifier: MIT */
/*
 * Tests of processes and threads: argument checks of create, wait, kill and
 * thread_create; exit codes (chosen, killed, faulted); a process built by
 * hand from a page of code; and threads that are made but never started.
 */
#include <string.h>

#include "sys/thread.h"
#include "utest.h"

#define CHILD_CODE_VA 0x0000000000400000ull

static const char long_name[] = "a-process-name-far-longer-than-the-kernel-keeps-for-it-"
				"so-it-must-be-cut-rather-than-overflow";

TEST(process, process_create_args, "process_create copies its name safely or gives E_FAULT")
{
	struct kinfo before, after;

	for (int round = 0; round < 2; round++) { /* the first may fill allocator caches */
		T_OK(test_kinfo(&before));
		T_EQ(sys_process_create(NULL, 5), E_FAULT);
		T_EQ(sys_process_create((const char *)UT_DIRECT_MAP, 5), E_FAULT);
		T_EQ(sys_process_create((const char *)UT_KERNEL_TEXT, 5), E_FAULT);
		T_EQ(sys_process_create((const char *)0xfffffffffffffff0ull, 31), E_FAULT);
		T_HANDLE(empty, sys_process_create("", 0));
		T_HANDLE(longer, sys_process_create(long_name, sizeof(long_name)));
		T_HANDLE(huge_len, sys_process_create(long_name, ~0ul)); /* reads what fits */
		T_OK(sys_handle_close(empty));
		T_OK(sys_handle_close(longer));
		T_OK(sys_handle_close(huge_len));
		T_OK(test_kinfo(&after));
	}
	T_KINFO_SAME(&before, &after);
}

TEST(process, process_wait_and_kill,
     "wait times out, kill ends a process once, its exit code stays readable")
{
	T_HANDLE(p, sys_process_create("victim", 6));

	T_EQ(sys_process_wait(HANDLE_SELF, 0, NULL), E_INVAL);
	T_EQ(ut_wait(p, 0), UT_WAIT_ERROR(E_TIMEOUT));
	uint64_t start = sys_clock();
	T_EQ(ut_wait(p, 5 * MS), UT_WAIT_ERROR(E_TIMEOUT));
	T_ASSERT(ut_elapsed(start) >= 5 * MS);
	T_OK(sys_process_kill(p));
	T_EQ(ut_wait(p, 0), EXIT_KILLED);
	T_EQ(ut_wait(p, TIMEOUT_NEVER), EXIT_KILLED);
	T_OK(sys_process_kill(p)); /* killing the dead changes nothing */
	T_EQ(ut_wait(p, 0), EXIT_KILLED);
	T_HANDLE(m, sys_mobj_create(PAGE, 0));
	T_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1), E_CLOSED);
	T_EQ(sys_mobj_map(p, m, CHILD_CODE_VA, 0, PAGE, R_READ), E_CLOSED);
	T_OK(sys_handle_close(m));
	T_OK(sys_handle_close(p));
}

TEST(process, thread_create_args, "thread_create checks the priority, entry and stack")
{
	T_HANDLE(p, sys_process_create("threads", 7));

	T_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 32), E_RANGE);
	T_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1000), E_RANGE);
	T_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, ~0u), E_RANGE);
	T_EQ(sys_thread_create(p, UT_KERNEL_TEXT, CHILD_CODE_VA, 0, 1), E_INVAL);
	T_EQ(sys_thread_create(p, UT_USER_SPACE_END, CHILD_CODE_VA, 0, 1), E_INVAL);
	T_EQ(sys_thread_create(p, CHILD_CODE_VA, UT_DIRECT_MAP, 0, 1), E_INVAL);
	T_EQ(sys_thread_create(p, CHILD_CODE_VA, ~0ul, 0, 1), E_INVAL);
	T_EQ(thread_spawn(ut_serve_thread, NULL, 32, NULL), E_RANGE);
	T_OK(sys_process_kill(p));
	T_OK(sys_handle_close(p));
}

static volatile int raw_ran;
static uint8_t raw_stack[8192] __attribute__((aligned(16)));

static void raw_entry(uint64_t arg)
{
	raw_ran = (int)arg;
	sys_thread_exit();
}

TEST(process, thread_raw_start_once,
     "a raw thread runs from its entry with its argument; start works once")
{
	uintptr_t sp = (uintptr_t)(raw_stack + sizeof(raw_stack)) - 8; /* as if called */
	T_HANDLE(th, sys_thread_create(HANDLE_SELF, (uintptr_t)raw_entry, sp, 77, UT_PRIO_HIGH));
	T_HANDLE(th_nomanage, sys_handle_dup(th, R_DUP));

	raw_ran = 0;
	T_EQ(sys_thread_start(th_nomanage), E_RIGHTS);
	T_OK(sys_thread_start(th)); /* higher priority: it has run when we get back */
	T_EQ(raw_ran, 77);
	T_EQ(sys_thread_start(th), E_BUSY);
	T_OK(sys_handle_close(th_nomanage));
	T_OK(sys_handle_close(th));
}

TEST(process, thread_never_started_freed,
     "a thread made but never started goes when its handles do")
{
	struct kinfo before, after;

	for (int round = 0; round < 2; round++) {
		T_OK(test_kinfo(&before));
		T_HANDLE(p, sys_process_create("unstarted", 9));
		T_HANDLE(th, sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1));
		T_HANDLE(own, sys_thread_create(HANDLE_SELF, (uintptr_t)raw_entry, 0, 0, 1));
		T_OK(sys_handle_close(th));
		T_OK(sys_handle_close(p));
		T_OK(sys_handle_close(own));
		T_OK(test_kinfo(&after));
	}
	T_KINFO_SAME(&before, &after);
}

/* x86-64 code for "exit(code)": mov edi, code; mov eax, SYS_PROCESS_EXIT; syscall; ud2 */
static size_t exit_code_bytes(uint8_t *p, uint32_t code)
{
	uint32_t nr = SYS_PROCESS_EXIT;
	size_t n = 0;

	p[n++] = 0xBF;
	memcpy(p + n, &code, 4);
	n += 4;
	p[n++] = 0xB8;
	memcpy(p + n, &nr, 4);
	n += 4;
	p[n++] = 0x0F;
	p[n++] = 0x05;
	p[n++] = 0x0F;
	p[n++] = 0x0B;
	return n;
}

/* A process with one page of `code` at CHILD_CODE_VA, run from `entry`; its exit code. */
static int64_t run_handmade(struct test_ctx *t, const uint8_t *code, size_t n, uintptr_t entry)
{
	handle_t m;
	int64_t code_ret = UT_WAIT_ERROR(E_INVAL);

	if (ut_map_new(UT_SCRATCH_VA, 1, &m) < 0) {
		T_FAIL("cannot make the code page");
		return UT_WAIT_ERROR(E_INVAL);
	}
	memcpy((void *)UT_SCRATCH_VA, code, n);
	sys_unmap(HANDLE_SELF, UT_SCRATCH_VA, PAGE);
	long p = sys_process_create("handmade", 8);
	long th = E_INVAL;
	if (p > 0 && sys_mobj_map((handle_t)p, m, CHILD_CODE_VA, 0, PAGE, R_READ | R_EXEC) == 0)
		th = sys_thread_create((handle_t)p, entry, 0, 0, UT_PRIO);
	if (th > 0 && sys_thread_start((handle_t)th) == 0)
		code_ret = ut_wait((handle_t)p, 1000 * MS);
	else
		T_FAIL("cannot build the process: %ld %ld", p, th);
	if (th > 0)
		sys_handle_close((handle_t)th);
	if (p > 0) {
		sys_process_kill((handle_t)p);
		sys_handle_close((handle_t)p);
	}
	sys_handle_close(m);
	return code_ret;
}

TEST(process, process_handmade,
     "a process built from a page of code runs it and exits with its code")
{
	uint8_t code[64];
	size_t n = exit_code_bytes(code, 42);

	T_EQ(run_handmade(t, code, n, CHILD_CODE_VA), 42);
	/* entry on the page after it: nothing mapped there, so a page fault */
	T_EQ(run_handmade(t, code, n, CHILD_CODE_VA + PAGE), EXIT_FAULT_CODE(14));
	/* an undefined instruction: #UD, vector 6 */
	T_EQ(run_handmade(t, code, n, CHILD_CODE_VA + n - 2), EXIT_FAULT_CODE(6));
}

TEST(process, process_exit_code, "a spawned child's exit code reaches the parent through wait")
{
	T_HANDLE(child, ut_spawn("exit", "2a", HANDLE_INVALID, UT_PRIO));
	T_EQ(ut_reap(child, 5000 * MS), 42);
	T_HANDLE(zero, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
	T_EQ(ut_reap(zero, 5000 * MS), 0);
}

TEST(process, process_kill_running, "a running child can be waited for with a timeout and killed")
{
	T_HANDLE(child, ut_spawn("sleep", NULL, HANDLE_INVALID, UT_PRIO));
	uint64_t start = sys_clock();

	T_EQ(ut_wait(child, 5 * MS), UT_WAIT_ERROR(E_TIMEOUT));
	T_ASSERT(ut_elapsed(start) >= 5 * MS);
	T_OK(sys_process_kill(child));
	T_EQ(ut_reap(child, 1000 * MS), EXIT_KILLED);
}

struct buffer_probe {
	struct ipc_buffer *seen;
	volatile int done;
	volatile int *release;
};

static void probe_buffer(void *arg)
{
	struct buffer_probe *p = arg;

	p->seen = ipc_buffer();
	if (p->seen)
		memset(p->seen->data, 0xEE, IPC_BUF_BYTES); /* it must be ours to write */
	p->done = 1;
	ut_wait_flag(p->release, 5000); /* stay alive until all have looked */
}

static bool distinct_buffers(const struct buffer_probe *p, int n)
{
	for (int i = 0; i < n; i++) {
		if (!p[i].seen || ((uintptr_t)p[i].seen & (PAGE - 1)) || p[i].seen == ipc_buffer())
			return false;
		for (int j = 0; j < i; j++)
			if (p[i].seen == p[j].seen)
				return false;
	}
	return true;
}

TEST(process, thread_spawn_buffers,
     "each spawned thread has its own IPC buffer; all of it goes at exit")
{
	struct buffer_probe probes[4];
	struct kinfo before, after;
	volatile int release;

	for (int round = 0; round < 2; round++) { /* the first round may grow our heap */
		T_OK(test_kinfo(&before));
		release = 0;
		for (int i = 0; i < 4; i++) {
			probes[i] = (struct buffer_probe){NULL, 0, &release};
			T_OK(thread_spawn(probe_buffer, &probes[i], UT_PRIO, NULL));
		}
		for (int i = 0; i < 4; i++)
			T_ASSERT(ut_wait_flag(&probes[i].done, 1000));
		bool distinct = distinct_buffers(probes, 4);
		release = 1;
		T_ASSERT(distinct);
		T_ASSERT(ut_wait_threads(before.threads, 1000));
		T_OK(test_kinfo(&after));
	}
	T_KINFO_SAME(&before, &after);
}
