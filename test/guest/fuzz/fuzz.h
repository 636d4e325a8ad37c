/* SPDX-License-Identifier: MIT */
/*
 * fuzz: an in-guest syscall fuzzer for an unprivileged program. Layers,
 * bottom up:
 *
 *   rng.c     the seeded generator (splitmix64 seeds, xorshift64* streams)
 *   trap.c    the raw SYSCALL with every register and RFLAGS chosen by the
 *             caller, and the thread stub that runs in raw processes
 *   pool.c    the handles the child made, by object type, shared by its threads
 *   args.c    argument values by kind: real handles and bogus ones, good and
 *             bad pointers, lengths, rights, timeouts, addresses
 *   calls.c   the syscall table (every number in SYSCALL_LIST plus numbers
 *             past it) and one random call; ipc.c builds the IPC ones
 *   child.c   a fuzzing child: objects to start from, worker threads, a budget
 *   driver.c  the parent: runs children one after another, kills a stuck one,
 *             checks that the SYS_KINFO counters come back (kinfo.c)
 *   regress.c focused cases for the kernel bugs the fuzzer found
 *
 * Everything a child does follows from its seed, which the parent derives
 * from the run's seed and the child's number, so a failure reproduces.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/sys.h"
#include "sys/units.h"

#define PAGE 4096ull

/* Fixed places in a child's address space (clear of libsys's layout, sys/start.h). */
#define FZ_SHARED_VA   0x300000000000ull /* the page the parent reads progress from */
#define FZ_CODE_VA     0x300000010000ull /* the thread stub, also in every raw process */
#define FZ_EDGE_VA     0x300000020000ull /* a mapped page with nothing mapped after it */
#define FZ_STAGING_VA  0x300000030000ull /* where the stub is copied into its object */
#define FZ_ARENA_VA    0x200000000000ull /* where random mappings go */
#define FZ_ARENA_PAGES 64

#define FZ_WORKERS  4
#define FZ_NR_SLOTS 64 /* per-syscall statistics: numbers 0..62, 63 = out of range */
#define FZ_MAGIC    0x5A5A46555A5A0001ull

/* The page a child shares with its parent: progress and per-syscall results. */
struct fz_shared {
	uint64_t magic;
	uint64_t budget;
	uint64_t calls; /* made so far, by all workers */
	uint64_t stage; /* enum fz_stage */
	uint64_t issued[FZ_NR_SLOTS];
	uint64_t succeeded[FZ_NR_SLOTS];
	uint64_t last[FZ_WORKERS][8]; /* each worker's last call: number, arguments, result */
};
_Static_assert(sizeof(struct fz_shared) <= PAGE, "one page");

enum fz_stage { FZ_STAGE_START = 1, FZ_STAGE_RUNNING, FZ_STAGE_DONE };

/* Exit codes of a child (any other code came from a fuzzed SYS_PROCESS_EXIT). */
#define FZ_EXIT_DONE	0
#define FZ_EXIT_STALLED 0x5741 /* every worker blocked: nothing moved for a while */
#define FZ_EXIT_SETUP	0x5742 /* the shared page or the first objects failed */

/* rng.c: deterministic streams. */
struct fz_rng {
	uint64_t s;
};
uint64_t fz_splitmix(uint64_t *state);
void fz_rng_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_next(struct fz_rng *r);
uint64_t fz_below(struct fz_rng *r, uint64_t n);
uint64_t fz_range(struct fz_rng *r, uint64_t lo, uint64_t hi);
bool fz_percent(struct fz_rng *r, unsigned percent);
bool fz_one_in(struct fz_rng *r, unsigned n);
uint64_t fz_pick(struct fz_rng *r, const uint64_t *v, size_t n);
#define FZ_PICK(r, arr) fz_pick((r), (arr), ARRAY_SIZE(arr))
/* The seed of child `index` of a run with `seed`. */
uint64_t fz_child_seed(uint64_t seed, uint64_t index);

/* One fuzzing thread's state. */
struct fz_thread {
	struct fz_rng rng;
	int index;
	uint64_t tls;	  /* FS base to put back after a fuzzed SYS_THREAD_SET_TLS */
	uint8_t *scratch; /* FZ_SCRATCH bytes the kernel may read and write */
	struct fz_shared *shared;
};
#define FZ_SCRATCH 512

/* trap.c: a SYSCALL with every register chosen, RFLAGS loaded just before it. */
struct fz_regs {
	uint64_t rax, rdi, rsi, rdx, r10, r8, r9, r12, r13, r14, r15;
	uint64_t rflags;
};
_Static_assert(sizeof(struct fz_regs) == 12 * 8, "trap.c's offsets");
void fz_trap(struct fz_regs *r);
/* User RFLAGS for the next call: mostly clean, sometimes DF, AC, NT, rarely TF. */
uint64_t fz_rflags(struct fz_thread *t);
extern const char fz_stub_start[], fz_stub_end[];

/* pool.c */
enum fz_kind { FK_EP, FK_NTFN, FK_MOBJ, FK_PROC, FK_THREAD, FK_REPLY, FK_OTHER, FK_COUNT };
void fz_pool_put(struct fz_thread *t, enum fz_kind k, handle_t h);
handle_t fz_pool_get(struct fz_thread *t, enum fz_kind k);
handle_t fz_pool_any(struct fz_thread *t);
void fz_pool_foreign(handle_t h);
handle_t fz_pool_bogus(struct fz_thread *t);
/* Put a handle whose type is not known (a dup, a received capability) where it belongs. */
void fz_pool_classify(struct fz_thread *t, handle_t h);

/* args.c: kinds of argument, in groups (args.c relies on the order) */
enum fz_arg {
	A_ZERO,
	A_ANY,
	A_HANDLE,
	A_EP,
	A_NTFN,
	A_MOBJ,
	A_PROC,
	A_KILL,
	A_THREAD,
	A_CHARGED,
	A_RIGHTS,
	A_BADGE,
	A_BITS,
	A_TIMEOUT,
	A_SLEEP,
	A_DEADLINE,
	A_PRIO,
	A_MAXPRIO,
	A_QUOTA,
	A_SIZE,
	A_MOBJ_FLAGS,
	A_VA,
	A_MAPSIZE,
	A_OFFSET,
	A_PTR_IN,
	A_PTR_OUT,
	A_LEN,
	A_ENTRY,
	A_STACK,
	A_THREAD_ARG,
	A_EXIT_CODE,
	A_GSI,
	A_IRQ_FLAGS,
	A_PORT,
	A_PHYS,
	A_INDEX,
};
uint64_t fz_arg(struct fz_thread *t, enum fz_arg a);
uint64_t fz_timeout(struct fz_thread *t);
uint64_t fz_bad_pointer(struct fz_thread *t);

/* calls.c and ipc.c */
void fz_one_call(struct fz_thread *t);
void fz_ipc(struct fz_thread *t, struct fz_regs *r);
void fz_ipc_after(struct fz_thread *t, uint64_t nr, const struct fz_regs *r);
void fz_count_issue(struct fz_thread *t, uint64_t nr);
void fz_count_result(struct fz_thread *t, uint64_t nr, long result);

/* child.c, driver.c, regress.c */
int fz_child_main(int argc, char **argv);
/* A new memory object holding the thread stub (to map at FZ_CODE_VA). */
long fz_stub_object(handle_t *out);
int fz_regress_cycles_child(void);
int fz_driver_main(uint64_t calls, uint64_t seed, uint64_t first);
int fz_regress_all(void);
