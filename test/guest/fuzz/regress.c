/* SPDX-License-Identifier: MIT */
/*
 * Focused cases for the kernel bugs the fuzzer found, run before the random
 * calls so each stays fixed. Each prints `fuzz: regression <name> ok`; a
 * case that finds its bug again either takes the kernel down (the QEMU test
 * sees PANIC and a failed exit status) or reports the counters that moved.
 */
#include "fuzz.h"
#include "kinfo.h"
#include "proto/loader.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"

#define RFLAGS_NT      0x4000ull
#define CHAIN_LENGTH   400
#define SETTLE_MS      500
#define STUB_ROUNDS_NS (20 * MS) /* the stub's four rounds of 1 ms timeouts, with room */

struct regress {
	const char *name;
	bool (*fn)(void);
};

/*
 * NT set by POPF in ring 3 survived SYSCALL (the flag mask left it) and,
 * since RFLAGS is not switched with the kernel stack, reached the next
 * thread to run, whose IRETQ then raised #GP in ring 0. Sleeping and
 * yielding with NT set makes the idle thread and others resume in between.
 */
static bool nt_across_switch(void)
{
	for (int i = 0; i < 100; i++) {
		struct fz_regs r = {.rax = i % 4 ? SYS_SLEEP : SYS_YIELD,
				    .rdi = (uint64_t)(i % 10 + 1) * 100000,
				    .rflags = 0x202 | RFLAGS_NT};
		fz_trap(&r);
		if ((long)r.rax != E_OK)
			return false;
	}
	return true;
}

/* The object counts are back to `before` within SETTLE_MS; else print what moved. */
static bool objects_back(const struct kinfo *before, const char *what)
{
	struct fz_baseline b = {.before = *before, .warm = *before};
	struct kinfo now;
	char diff[200];

	if (fz_kinfo_settle(&b, true, SETTLE_MS, &now, diff, sizeof(diff)))
		return true;
	printf("fuzz: regression: %s left:%s\n", what, diff);
	return false;
}

/*
 * Processes that never ran, each holding a handle to the next: closing the
 * head freed the chain recursively, one kernel stack frame set per process,
 * and 400 of them overflowed the kernel stack (a double fault).
 */
static bool process_chain(void)
{
	static long chain[CHAIN_LENGTH];
	struct kinfo before;
	int n = 0;

	sys_kinfo(&before);
	while (n < CHAIN_LENGTH && (chain[n] = sys_process_create("chain", 5)) >= 0)
		n++;
	for (int i = 0; i + 1 < n; i++)
		sys_handle_grant((handle_t)chain[i], (handle_t)chain[i + 1], R_ALL);
	for (int i = 1; i < n; i++)
		sys_handle_close((handle_t)chain[i]);
	if (n > 0)
		sys_handle_close((handle_t)chain[0]);
	return n == CHAIN_LENGTH && objects_back(&before, "a chain of processes");
}

/* A raw process running the stub once, with `extra`, an unstarted thread, in its own table. */
static long stub_process_with_idle_thread(handle_t code)
{
	long p = sys_process_create("ran", 3);

	if (p < 0)
		return p;
	long err = sys_mobj_map((handle_t)p, code, FZ_CODE_VA, 0, PAGE, R_READ | R_EXEC);
	long idle = err < 0 ? err : sys_thread_create((handle_t)p, FZ_CODE_VA, 0, 0, 5);
	long run = idle < 0 ? idle : sys_thread_create((handle_t)p, FZ_CODE_VA, 0, 0, 5);
	if (run >= 0 && sys_handle_grant((handle_t)p, (handle_t)idle, R_ALL) >= 0)
		err = sys_thread_start((handle_t)run);
	else
		err = run < 0 ? run : E_INVAL;
	sys_handle_close((handle_t)idle);
	sys_handle_close((handle_t)run);
	if (err < 0) {
		sys_handle_close((handle_t)p);
		return err;
	}
	return p;
}

/*
 * A process whose one started thread has ended, holding a handle to its own
 * unstarted thread: the unstarted thread counted as alive, so the process
 * never ended, and the thread and the process kept each other for ever.
 */
static bool idle_thread_in_own_table(void)
{
	struct kinfo before;
	handle_t code;
	int64_t status = 1;

	sys_kinfo(&before);
	if (fz_stub_object(&code) < 0)
		return false;
	long p = stub_process_with_idle_thread(code);
	sys_handle_close(code);
	if (p < 0)
		return false;
	long err = sys_process_wait((handle_t)p, STUB_ROUNDS_NS, &status);
	sys_handle_close((handle_t)p);
	if (err < 0 || status != 0)
		printf("fuzz: regression: the process did not end: %s\n", sys_error_name(err));
	return err == E_OK && status == 0 && objects_back(&before, "an idle thread in its table");
}

/* In a child: the cycles that only the creator's end can break, then exit. */
int fz_regress_cycles_child(void)
{
	long a = sys_process_create("cycle-a", 7), b = sys_process_create("cycle-b", 7);
	long c = sys_process_create("self", 4);
	long t = c < 0 ? c : sys_thread_create((handle_t)c, FZ_CODE_VA, 0, 0, 5);

	if (a < 0 || b < 0 || t < 0)
		return 1;
	sys_handle_grant((handle_t)a, (handle_t)b, R_ALL);
	sys_handle_grant((handle_t)b, (handle_t)a, R_ALL);
	sys_handle_grant((handle_t)c, (handle_t)t, R_ALL);
	return 0; /* the handles close with us */
}

/*
 * Processes that never ran and hold each other (two that hold each other's
 * handles; one that holds its own unstarted thread) outlived the process
 * that made them, charged to its payer for ever.
 */
static bool cycles_end_with_creator(void)
{
	const char *argv[1] = {"cycles"};
	struct kinfo before;
	int64_t code = -1;

	sys_kinfo(&before);
	long p = loader_spawn(start_handle("parent", NULL), "fuzz", 1, argv, SPAWN_DEFAULT_PRIORITY,
			      HANDLE_INVALID, NULL);
	if (p < 0)
		return false;
	sys_process_wait((handle_t)p, TIMEOUT_NEVER, &code);
	sys_handle_close((handle_t)p);
	return code == 0 && objects_back(&before, "processes that never ran");
}

/* A raw process supervised by an endpoint it holds itself, with a thread that faults at once. */
static long self_supervised(unsigned prio, handle_t *ep_out)
{
	long p = sys_process_create("selfsup", 7), ep = sys_ep_create();

	if (p < 0 || ep < 0)
		return E_NOMEM;
	*ep_out = (handle_t)ep;
	sys_process_supervise((handle_t)p, (handle_t)ep, 1);
	sys_handle_grant((handle_t)p, (handle_t)ep, R_ALL);
	long t = sys_thread_create((handle_t)p, FZ_CODE_VA, 0, 0, prio); /* nothing mapped there */
	if (t < 0)
		return t;
	sys_thread_start((handle_t)t);
	sys_handle_close((handle_t)t);
	return p;
}

/*
 * A supervised process whose only thread is suspended on a fault, holding
 * the last handle to its own supervisor endpoint: nobody could hear the
 * fault, the endpoint never went, and the process waited for ever. Once no
 * thread of it can run, its handles are closed. Once with the fault before
 * our handles go (a thread above us), once after (a thread below us).
 */
static bool supervised_by_own_table(void)
{
	struct kinfo before;
	const unsigned prio[2] = {12, 1};

	sys_kinfo(&before);
	for (int i = 0; i < 2; i++) {
		handle_t ep = HANDLE_INVALID;
		long p = self_supervised(prio[i], &ep);
		sys_handle_close(ep);
		if (p < 0)
			return false;
		sys_handle_close((handle_t)p);
		sys_sleep(MS);
	}
	return objects_back(&before, "processes supervised through their own tables");
}

/*
 * The same cycle made after the fault: the supervisor endpoint granted
 * into the process once its thread was suspended. A stopped process takes
 * no new handles.
 */
static bool grant_into_stopped(void)
{
	struct kinfo before;
	handle_t ep = HANDLE_INVALID;

	sys_kinfo(&before);
	long p = self_supervised(12, &ep); /* above us: it has faulted when we are back */
	long g = p < 0 ? p : sys_handle_grant((handle_t)p, ep, R_ALL);
	sys_handle_close(ep);
	sys_handle_close((handle_t)p);
	if (g != E_CLOSED)
		printf("fuzz: regression: grant into a stopped process: %ld\n", g);
	return g == E_CLOSED && objects_back(&before, "a grant into a stopped process");
}

static const struct regress cases[] = {
	{"nt_across_switch", nt_across_switch},
	{"process_chain", process_chain},
	{"idle_thread_in_own_table", idle_thread_in_own_table},
	{"cycles_end_with_creator", cycles_end_with_creator},
	{"supervised_by_own_table", supervised_by_own_table},
	{"grant_into_stopped", grant_into_stopped},
};

int fz_regress_all(void)
{
	int failed = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool ok = cases[i].fn();
		printf("fuzz: regression %s %s\n", cases[i].name, ok ? "ok" : "FAILED");
		failed += !ok;
	}
	return failed;
}
