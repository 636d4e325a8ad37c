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

UTEST(process_create_args, "process_create copies its name safely or gives E_FAULT")
{
	struct kinfo before, after;

	for (int round = 0; round < 2; round++) { /* the first may fill allocator caches */
		UT_OK(ut_kinfo(&before));
		UT_EQ(sys_process_create(NULL, 5), E_FAULT);
		UT_EQ(sys_process_create((const char *)UT_DIRECT_MAP, 5), E_FAULT);
		UT_EQ(sys_process_create((const char *)UT_KERNEL_TEXT, 5), E_FAULT);
		UT_EQ(sys_process_create((const char *)0xfffffffffffffff0ull, 31), E_FAULT);
		UT_HANDLE(empty, sys_process_create("", 0));
		UT_HANDLE(longer, sys_process_create(long_name, sizeof(long_name)));
		UT_HANDLE(huge_len, sys_process_create(long_name, ~0ul)); /* reads what fits */
		UT_OK(sys_handle_close(empty));
		UT_OK(sys_handle_close(longer));
		UT_OK(sys_handle_close(huge_len));
		UT_OK(ut_kinfo(&after));
	}
	UT_KINFO_SAME(&before, &after);
}

UTEST(process_wait_and_kill,
      "wait times out, kill ends a process once, its exit code stays readable")
{
	UT_HANDLE(p, sys_process_create("victim", 6));

	UT_EQ(sys_process_wait(HANDLE_SELF, 0, NULL), E_INVAL);
	UT_EQ(ut_wait(p, 0), UT_WAIT_ERROR(E_TIMEOUT));
	uint64_t start = sys_clock();
	UT_EQ(ut_wait(p, 5 * MS), UT_WAIT_ERROR(E_TIMEOUT));
	UT_ASSERT(ut_elapsed(start) >= 5 * MS);
	UT_OK(sys_process_kill(p));
	UT_EQ(ut_wait(p, 0), EXIT_KILLED);
	UT_EQ(ut_wait(p, TIMEOUT_NEVER), EXIT_KILLED);
	UT_OK(sys_process_kill(p)); /* killing the dead changes nothing */
	UT_EQ(ut_wait(p, 0), EXIT_KILLED);
	UT_HANDLE(m, sys_mobj_create(PAGE, 0));
	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1), E_CLOSED);
	UT_EQ(sys_mobj_map(p, m, CHILD_CODE_VA, 0, PAGE, R_READ), E_CLOSED);
	UT_OK(sys_handle_close(m));
	UT_OK(sys_handle_close(p));
}

UTEST(thread_create_args, "thread_create checks the priority, entry and stack")
{
	UT_HANDLE(p, sys_process_create("threads", 7));

	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 32), E_RANGE);
	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1000), E_RANGE);
	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, ~0u), E_RANGE);
	UT_EQ(sys_thread_create(p, UT_KERNEL_TEXT, CHILD_CODE_VA, 0, 1), E_INVAL);
	UT_EQ(sys_thread_create(p, UT_USER_SPACE_END, CHILD_CODE_VA, 0, 1), E_INVAL);
	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, UT_DIRECT_MAP, 0, 1), E_INVAL);
	UT_EQ(sys_thread_create(p, CHILD_CODE_VA, ~0ul, 0, 1), E_INVAL);
	UT_EQ(thread_spawn(ut_serve_thread, NULL, 32, NULL), E_RANGE);
	UT_OK(sys_process_kill(p));
	UT_OK(sys_handle_close(p));
}

static volatile int raw_ran;
static uint8_t raw_stack[8192] __attribute__((aligned(16)));

static void raw_entry(uint64_t arg)
{
	raw_ran = (int)arg;
	sys_thread_exit();
}

UTEST(thread_raw_start_once, "a raw thread runs from its entry with its argument; start works once")
{
	uintptr_t sp = (uintptr_t)(raw_stack + sizeof(raw_stack)) - 8; /* as if called */
	UT_HANDLE(th, sys_thread_create(HANDLE_SELF, (uintptr_t)raw_entry, sp, 77, UT_PRIO_HIGH));
	UT_HANDLE(th_nomanage, sys_handle_dup(th, R_DUP));

	raw_ran = 0;
	UT_EQ(sys_thread_start(th_nomanage), E_RIGHTS);
	UT_OK(sys_thread_start(th)); /* higher priority: it has run when we get back */
	UT_EQ(raw_ran, 77);
	UT_EQ(sys_thread_start(th), E_BUSY);
	UT_OK(sys_handle_close(th_nomanage));
	UT_OK(sys_handle_close(th));
}

UTEST(thread_never_started_freed, "a thread made but never started goes when its handles do")
{
	struct kinfo before, after;

	for (int round = 0; round < 2; round++) {
		UT_OK(ut_kinfo(&before));
		UT_HANDLE(p, sys_process_create("unstarted", 9));
		UT_HANDLE(th, sys_thread_create(p, CHILD_CODE_VA, CHILD_CODE_VA, 0, 1));
		UT_HANDLE(own, sys_thread_create(HANDLE_SELF, (uintptr_t)raw_entry, 0, 0, 1));
		UT_OK(sys_handle_close(th));
		UT_OK(sys_handle_close(p));
		UT_OK(sys_handle_close(own));
		UT_OK(ut_kinfo(&after));
	}
	UT_KINFO_SAME(&before, &after);
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
static int64_t run_handmade(struct ut_ctx *t, const uint8_t *code, size_t n, uintptr_t entry)
{
	handle_t m;
	int64_t code_ret = UT_WAIT_ERROR(E_INVAL);

	if (ut_map_new(UT_SCRATCH_VA, 1, &m) < 0) {
		UT_FAIL("cannot make the code page");
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
		UT_FAIL("cannot build the process: %ld %ld", p, th);
	if (th > 0)
		sys_handle_close((handle_t)th);
	if (p > 0) {
		sys_process_kill((handle_t)p);
		sys_handle_close((handle_t)p);
	}
	sys_handle_close(m);
	return code_ret;
}

UTEST(process_handmade, "a process built from a page of code runs it and exits with its code")
{
	uint8_t code[64];
	size_t n = exit_code_bytes(code, 42);

	UT_EQ(run_handmade(t, code, n, CHILD_CODE_VA), 42);
	/* entry on the page after it: nothing mapped there, so a page fault */
	UT_EQ(run_handmade(t, code, n, CHILD_CODE_VA + PAGE), EXIT_FAULT_CODE(14));
	/* an undefined instruction: #UD, vector 6 */
	UT_EQ(run_handmade(t, code, n, CHILD_CODE_VA + n - 2), EXIT_FAULT_CODE(6));
}

UTEST(process_exit_code, "a spawned child's exit code reaches the parent through wait")
{
	UT_HANDLE(child, ut_spawn("exit", "2a", HANDLE_INVALID, UT_PRIO));
	UT_EQ(ut_reap(child, 5000 * MS), 42);
	UT_HANDLE(zero, ut_spawn("exit", "0", HANDLE_INVALID, UT_PRIO));
	UT_EQ(ut_reap(zero, 5000 * MS), 0);
}

UTEST(process_kill_running, "a running child can be waited for with a timeout and killed")
{
	UT_HANDLE(child, ut_spawn("sleep", NULL, HANDLE_INVALID, UT_PRIO));
	uint64_t start = sys_clock();

	UT_EQ(ut_wait(child, 5 * MS), UT_WAIT_ERROR(E_TIMEOUT));
	UT_ASSERT(ut_elapsed(start) >= 5 * MS);
	UT_OK(sys_process_kill(child));
	UT_EQ(ut_reap(child, 1000 * MS), EXIT_KILLED);
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

UTEST(thread_spawn_buffers, "each spawned thread has its own IPC buffer; all of it goes at exit")
{
	struct buffer_probe probes[4];
	struct kinfo before, after;
	volatile int release;

	for (int round = 0; round < 2; round++) { /* the first round may grow our heap */
		UT_OK(ut_kinfo(&before));
		release = 0;
		for (int i = 0; i < 4; i++) {
			probes[i] = (struct buffer_probe){NULL, 0, &release};
			UT_OK(thread_spawn(probe_buffer, &probes[i], UT_PRIO, NULL));
		}
		for (int i = 0; i < 4; i++)
			UT_ASSERT(ut_wait_flag(&probes[i].done, 1000));
		bool distinct = distinct_buffers(probes, 4);
		release = 1;
		UT_ASSERT(distinct);
		UT_ASSERT(ut_wait_threads(before.threads, 1000));
		UT_OK(ut_kinfo(&after));
	}
	UT_KINFO_SAME(&before, &after);
}
