/* SPDX-License-Identifier: MIT */
/*
 * The parent: `fuzz [N] [SEED]` runs children one after another through the
 * loader until N calls are made. Child i gets the seed fz_child_seed(SEED,
 * i), a budget of calls and the shared page, where it counts its calls.
 * A child that ends by itself, faults or is killed is normal; one whose
 * count stops moving for WATCHDOG_NS is killed here and counted. After each
 * child the object counters must come back (which child leaked is printed);
 * at the end every counter must, within a settle time. Prints a progress
 * line every so often and a summary; exits 0 only if all of it held.
 */
#include <string.h>

#include "fuzz.h"
#include "kinfo.h"
#include "proto/loader.h"
#include "sys/exit.h"
#include "sys/fmt.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "sys/stdio.h"

#define WATCHDOG_NS	  (2000 * MS)
#define POLL_NS		  (20 * MS)
#define CHILD_MIN_CALLS	  2000
#define CHILD_MAX_CALLS	  20000
#define SPAWN_TRIES	  200
#define CHILD_SETTLE_MS	  1000
#define FINAL_SETTLE_MS	  3000
#define IDLE_CHILDREN_MAX 50
/* The baseline waits (at most this) for services still starting to stop adding objects: a
 * thread one spawned after it was taken read once as a child's leak (threads 40->41 mobjs
 * 186->188, on a loaded host). */
#define QUIET_MS	  3000

enum end { END_DONE, END_STALLED, END_FAULTED, END_KILLED, END_EXITED, END_SETUP, END_COUNT };

struct run {
	uint64_t target, seed, step, next_progress, start_ns;
	uint64_t calls, children, watchdog_kills, spawn_errors;
	unsigned idle_children; /* in a row that made no call at all */
	uint64_t ends[END_COUNT];
	uint64_t issued[FZ_NR_SLOTS], succeeded[FZ_NR_SLOTS];
	handle_t loader, mobj;
	struct fz_shared *shared;
	struct fz_baseline base;
	bool leaked, broken;
};

static const char *const syscall_names[SYS_COUNT] = {
#define SYSCALL_NAME(name, nr, nargs, sig) [nr] = #name,
	SYSCALL_LIST(SYSCALL_NAME)
#undef SYSCALL_NAME
};

static long run_init(struct run *r, uint64_t target, uint64_t seed)
{
	memset(r, 0, sizeof(*r));
	r->target = target;
	r->seed = seed;
	r->step = target >= 1000000 ? 100000 : (target / 10 > 1000 ? target / 10 : 1000);
	r->next_progress = r->step;
	r->loader = start_handle("parent", NULL);
	long m = sys_mobj_create(PAGE, 0);
	if (r->loader == HANDLE_INVALID || m < 0)
		return E_NOENT;
	r->mobj = (handle_t)m;
	long err = sys_mobj_map(HANDLE_SELF, r->mobj, FZ_SHARED_VA, 0, PAGE, R_READ | R_WRITE);
	r->shared = (struct fz_shared *)FZ_SHARED_VA;
	if (err < 0 || (err = fz_kinfo_quiet(&r->base.before, QUIET_MS)) < 0)
		return err;
	r->base.warm = r->base.before; /* until the first child has run */
	return E_OK;
}

static long spawn_once(struct run *r, uint64_t index, uint64_t budget)
{
	char seed[24], num[24];
	const char *argv[3] = {"child", seed, num};

	snprintf(seed, sizeof(seed), "0x%lx", (unsigned long)fz_child_seed(r->seed, index));
	snprintf(num, sizeof(num), "%lu", (unsigned long)index);
	memset(r->shared, 0, sizeof(*r->shared));
	r->shared->magic = FZ_MAGIC;
	r->shared->budget = budget;
	return loader_spawn(r->loader, "fuzz", 3, argv, SPAWN_DEFAULT_PRIORITY, r->mobj, NULL);
}

/* The loader may refuse for a moment (E_QUOTA) while the last child's raw processes end. */
static long spawn(struct run *r, uint64_t index, uint64_t budget)
{
	long p = E_INVAL;

	for (int i = 0; i < SPAWN_TRIES; i++) {
		p = spawn_once(r, index, budget);
		if (p >= 0)
			return p;
		r->spawn_errors++;
		sys_sleep(10 * MS);
	}
	printf("fuzz: cannot start child %lu: %s\n", (unsigned long)index, sys_error_name(p));
	return p;
}

/* A progress line each time the count passes a multiple of the step. */
static void progress(struct run *r, bool child_running)
{
	uint64_t now = r->calls;

	if (child_running) {
		uint64_t c = __atomic_load_n(&r->shared->calls, __ATOMIC_RELAXED);
		now += c < r->shared->budget ? c : r->shared->budget;
	}
	if (now < r->next_progress)
		return;
	printf("fuzz: %lu calls, %lu children, seed %lu\n", (unsigned long)now,
	       (unsigned long)r->children, (unsigned long)r->seed);
	while (r->next_progress <= now)
		r->next_progress += r->step;
}

/* Each worker's last call, so a hang can be followed up. */
static void print_stuck(struct run *r, uint64_t index, uint64_t calls)
{
	printf("fuzz: child %lu (seed 0x%lx) stuck after %lu calls; killed\n", (unsigned long)index,
	       (unsigned long)fz_child_seed(r->seed, index), (unsigned long)calls);
	for (int w = 0; w < FZ_WORKERS; w++) {
		const uint64_t *l = r->shared->last[w];
		printf("fuzz:   worker %d last: nr %lu (0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx)\n", w,
		       (unsigned long)l[0], (unsigned long)l[1], (unsigned long)l[2],
		       (unsigned long)l[3], (unsigned long)l[4], (unsigned long)l[5],
		       (unsigned long)l[6]);
	}
}

/* Wait for the child, killing it if its count stops moving; its exit code. */
static int64_t watch(struct run *r, handle_t p, uint64_t index)
{
	uint64_t last = 0, still = 0;
	int64_t code = 0;

	while (sys_process_wait(p, POLL_NS, &code) == E_TIMEOUT) {
		progress(r, true);
		uint64_t now = __atomic_load_n(&r->shared->calls, __ATOMIC_RELAXED);
		still = now == last ? still + POLL_NS : 0;
		last = now;
		if (still < WATCHDOG_NS)
			continue;
		print_stuck(r, index, now);
		r->watchdog_kills++;
		sys_process_kill(p);
		sys_process_wait(p, TIMEOUT_NEVER, &code);
		break;
	}
	return code;
}

static enum end classify(int64_t code)
{
	if (code == FZ_EXIT_DONE)
		return END_DONE;
	if (code == FZ_EXIT_STALLED)
		return END_STALLED;
	if (code == FZ_EXIT_SETUP)
		return END_SETUP;
	if (code == EXIT_KILLED)
		return END_KILLED;
	if (code <= EXIT_FAULTED && code > EXIT_FAULTED - 256)
		return END_FAULTED;
	return END_EXITED;
}

static void account(struct run *r, int64_t code)
{
	struct fz_shared *s = r->shared;
	uint64_t calls = s->calls < s->budget ? s->calls : s->budget;

	r->children++;
	r->calls += calls;
	r->ends[classify(code)]++;
	for (int i = 0; i < FZ_NR_SLOTS; i++) {
		r->issued[i] += s->issued[i];
		r->succeeded[i] += s->succeeded[i];
	}
}

/* After each child: the object counts are back (which child leaked, printed once). */
static void check_child(struct run *r, uint64_t index)
{
	struct kinfo now;
	char diff[200];

	if (r->leaked || fz_kinfo_settle(&r->base, true, CHILD_SETTLE_MS, &now, diff, sizeof(diff)))
		return;
	r->leaked = true;
	printf("fuzz: child %lu (seed 0x%lx) left kernel objects behind:%s\n", (unsigned long)index,
	       (unsigned long)fz_child_seed(r->seed, index), diff);
}

static bool run_child(struct run *r, uint64_t index, uint64_t budget)
{
	long p = spawn(r, index, budget);

	if (p < 0)
		return false;
	int64_t code = watch(r, (handle_t)p, index);
	sys_handle_close((handle_t)p);
	r->idle_children = r->shared->calls ? 0 : r->idle_children + 1;
	account(r, code);
	if (classify(code) == END_SETUP)
		printf("fuzz: child %lu could not set up\n", (unsigned long)index);
	if (r->idle_children >= IDLE_CHILDREN_MAX) {
		printf("fuzz: %u children in a row made no call\n", IDLE_CHILDREN_MAX);
		return false;
	}
	check_child(r, index);
	progress(r, false);
	return true;
}

/* From the child's seed alone, so `fuzz N SEED FIRST` gives child FIRST the same budget. */
static uint64_t next_budget(struct run *r, uint64_t index)
{
	uint64_t left = r->target - r->calls;
	uint64_t span = CHILD_MAX_CALLS - CHILD_MIN_CALLS + 1;
	uint64_t b = CHILD_MIN_CALLS + fz_child_seed(r->seed, index) % span;

	return b < left ? b : left;
}

/* Names of the syscalls for which `pred` fails, appended to out. */
static unsigned list_missing(struct run *r, bool (*pred)(struct run *, unsigned), char *out,
			     size_t size)
{
	unsigned missing = 0;
	size_t used = 0;

	out[0] = '\0';
	for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
		if (pred(r, nr))
			continue;
		missing++;
		if (used < size)
			used += (size_t)snprintf(out + used, size - used, " %s", syscall_names[nr]);
	}
	return missing;
}

static bool was_issued(struct run *r, unsigned nr)
{
	return r->issued[nr] > 0;
}

/* The exits never return: issuing them is all they can show. */
static bool did_succeed(struct run *r, unsigned nr)
{
	bool no_return = nr == SYS_PROCESS_EXIT || nr == SYS_THREAD_EXIT;
	return no_return ? r->issued[nr] > 0 : r->succeeded[nr] > 0;
}

/* succeeded/issued for each syscall, four to a line. */
static void print_counts(struct run *r)
{
	char line[200];
	size_t used = 0;

	for (unsigned nr = 0; nr <= SYS_COUNT; nr++) {
		bool past = nr == SYS_COUNT;
		unsigned slot = past ? FZ_NR_SLOTS - 1 : nr;
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %lu/%lu",
					 past ? "(past the table)" : syscall_names[nr] + 4,
					 (unsigned long)r->succeeded[slot],
					 (unsigned long)r->issued[slot]);
		if (nr % 4 == 3 || past) {
			printf("fuzz:  %s\n", line);
			used = 0;
		}
	}
}

static void print_coverage(struct run *r)
{
	char list[400];
	unsigned n = list_missing(r, was_issued, list, sizeof(list));

	printf("fuzz: succeeded/issued per syscall:\n");
	print_counts(r);
	printf("fuzz: every syscall issued: %s%s; %lu calls past the table\n",
	       n ? "no, not:" : "yes", list, (unsigned long)r->issued[FZ_NR_SLOTS - 1]);
	n = list_missing(r, did_succeed, list, sizeof(list));
	printf("fuzz: %u of %u syscalls succeeded at least once; never:%s\n",
	       (unsigned)SYS_COUNT - n, (unsigned)SYS_COUNT, n ? list : " none");
}

static bool final_check(struct run *r)
{
	struct kinfo now;
	char diff[300];
	bool back = fz_kinfo_settle(&r->base, false, FINAL_SETTLE_MS, &now, diff, sizeof(diff));

	if (!back)
		printf("fuzz: kinfo moved:%s (heap pages %lu->%lu)\n", diff,
		       (unsigned long)r->base.warm.heap_pages, (unsigned long)now.heap_pages);
	return back;
}

static int summary(struct run *r)
{
	bool back = final_check(r);
	uint64_t ms = (sys_clock() - r->start_ns) / MS;
	uint64_t *e = r->ends;

	print_coverage(r);
	printf("fuzz: children: %lu completed, %lu stalled, %lu faulted, %lu killed themselves, "
	       "%lu exited, %lu failed to set up; %lu spawn retries\n",
	       (unsigned long)e[END_DONE], (unsigned long)e[END_STALLED],
	       (unsigned long)e[END_FAULTED], (unsigned long)(e[END_KILLED] - r->watchdog_kills),
	       (unsigned long)e[END_EXITED], (unsigned long)e[END_SETUP],
	       (unsigned long)r->spawn_errors);
	printf("fuzz: %lu calls, seed %lu, %lu children, %lu killed; kinfo back: %s; %lu ms\n",
	       (unsigned long)r->calls, (unsigned long)r->seed, (unsigned long)r->children,
	       (unsigned long)r->watchdog_kills, back && !r->leaked ? "yes" : "no",
	       (unsigned long)ms);
	return back && !r->leaked && !r->broken ? 0 : 1;
}

int fz_driver_main(uint64_t calls, uint64_t seed, uint64_t first)
{
	static struct run r;

	if (run_init(&r, calls, seed) < 0) {
		printf("fuzz: cannot set up (no loader handle or no memory)\n");
		return 1;
	}
	printf("fuzz: %lu calls from seed %lu, first child %lu\n", (unsigned long)calls,
	       (unsigned long)seed, (unsigned long)first);
	r.start_ns = sys_clock();
	for (uint64_t i = first; r.calls < r.target && !r.broken; i++) {
		r.broken = !run_child(&r, i, next_budget(&r, i));
		if (i == first) /* run_child let the object counts settle */
			sys_kinfo(&r.base.warm);
	}
	return summary(&r);
}
