/* SPDX-License-Identifier: MIT */
/*
 * The syscall table and one random call. Every number in SYSCALL_LIST has
 * an entry (a weight, the kind of each argument, what a result means; a
 * check generated from the list finds one missing) and numbers past the
 * list are drawn too. A call fills every register with junk first, then
 * the arguments the kernel reads, picks RFLAGS and traps; handles it gets
 * back go into the pool for later calls.
 */
#include "fuzz.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/thread.h"

enum fz_ret { RET_NONE, RET_HANDLE, RET_FOREIGN, RET_IPC };

struct fz_spec {
	uint16_t weight;
	uint16_t rare;	 /* made only one time in `rare` it is drawn (ends a thread or the child) */
	uint8_t ret;	 /* enum fz_ret: what a non-negative result is */
	uint8_t kind;	 /* enum fz_kind of a returned handle (FK_OTHER: ask the kernel) */
	uint8_t args[6]; /* enum fz_arg */
};

#define OUT_OF_RANGE_WEIGHT 15

static const struct fz_spec specs[SYS_COUNT] = {
	[SYS_NULL] = {5, 0, RET_NONE, 0, {A_ANY, A_ANY}},
	[SYS_DEBUG_WRITE] = {10, 0, RET_NONE, 0, {A_ZERO}}, /* debug_write_args */
	[SYS_CLOCK] = {5, 0, RET_NONE, 0, {A_ANY}},
	[SYS_YIELD] = {10, 0, RET_NONE, 0, {A_ANY}},
	[SYS_SLEEP] = {10, 0, RET_NONE, 0, {A_SLEEP}},
	[SYS_HANDLE_CLOSE] = {40, 0, RET_NONE, 0, {A_HANDLE}},
	[SYS_HANDLE_DUP] = {30, 0, RET_HANDLE, FK_OTHER, {A_HANDLE, A_RIGHTS}},
	[SYS_HANDLE_INFO] = {20, 0, RET_NONE, 0, {A_HANDLE, A_PTR_OUT}},
	[SYS_PROCESS_CREATE] = {15, 0, RET_HANDLE, FK_PROC, {A_PTR_IN, A_LEN, A_QUOTA, A_MAXPRIO}},
	[SYS_PROCESS_EXIT] = {1, 20, RET_NONE, 0, {A_EXIT_CODE}},
	[SYS_PROCESS_WAIT] = {15, 0, RET_NONE, 0, {A_PROC, A_TIMEOUT, A_PTR_OUT}},
	[SYS_PROCESS_KILL] = {10, 0, RET_NONE, 0, {A_KILL}},
	[SYS_THREAD_CREATE] =
		{25, 0, RET_HANDLE, FK_THREAD, {A_PROC, A_ENTRY, A_STACK, A_THREAD_ARG, A_PRIO}},
	[SYS_THREAD_START] = {20, 0, RET_NONE, 0, {A_THREAD}},
	[SYS_THREAD_EXIT] = {1, 20, RET_NONE, 0, {A_ANY}},
	[SYS_THREAD_SET_IPCBUF] = {15, 0, RET_NONE, 0, {A_VA}},
	[SYS_MOBJ_CREATE] = {30, 0, RET_HANDLE, FK_MOBJ, {A_SIZE, A_MOBJ_FLAGS, A_CHARGED}},
	[SYS_MOBJ_MAP] =
		{40, 0, RET_NONE, 0, {A_PROC, A_MOBJ, A_VA, A_OFFSET, A_MAPSIZE, A_RIGHTS}},
	[SYS_UNMAP] = {30, 0, RET_NONE, 0, {A_PROC, A_VA, A_MAPSIZE}},
	[SYS_EP_CREATE] = {20, 0, RET_HANDLE, FK_EP, {A_ANY}},
	[SYS_EP_MINT] = {20, 0, RET_HANDLE, FK_EP, {A_EP, A_BADGE, A_RIGHTS}},
	[SYS_EP_BIND] = {15, 0, RET_NONE, 0, {A_EP, A_NTFN}},
	[SYS_NTFN_CREATE] = {15, 0, RET_HANDLE, FK_NTFN, {A_ANY}},
	[SYS_NTFN_SIGNAL] = {25, 0, RET_NONE, 0, {A_NTFN, A_BITS}},
	[SYS_NTFN_WAIT] = {20, 0, RET_NONE, 0, {A_NTFN, A_TIMEOUT}},
	[SYS_CALL] = {60, 0, RET_IPC, 0, {A_ZERO}},
	[SYS_SEND] = {40, 0, RET_IPC, 0, {A_ZERO}},
	[SYS_RECV] = {60, 0, RET_IPC, 0, {A_ZERO}},
	[SYS_REPLY] = {30, 0, RET_IPC, 0, {A_ZERO}},
	[SYS_REPLY_RECV] = {40, 0, RET_IPC, 0, {A_ZERO}},
	[SYS_REPLY_SAVE] = {20, 0, RET_HANDLE, FK_REPLY, {A_ANY}},
	[SYS_KINFO] = {5, 0, RET_NONE, 0, {A_PTR_OUT}},
	[SYS_HANDLE_GRANT] = {30, 0, RET_FOREIGN, 0, {A_PROC, A_HANDLE, A_RIGHTS}},
	[SYS_THREAD_SET_TLS] = {10, 0, RET_NONE, 0, {A_VA}},
	[SYS_NTFN_TIMER] = {15, 0, RET_NONE, 0, {A_NTFN, A_DEADLINE, A_BITS}},
	[SYS_PROCESS_SUPERVISE] = {15, 0, RET_NONE, 0, {A_PROC, A_EP, A_BADGE}},
	[SYS_PROCESS_SET_QUOTA] = {15, 0, RET_NONE, 0, {A_PROC, A_QUOTA}},
	[SYS_PROCESS_INFO] = {10, 0, RET_NONE, 0, {A_PROC, A_PTR_OUT}},
	[SYS_IRQ_CREATE] = {5, 0, RET_HANDLE, FK_OTHER, {A_HANDLE, A_GSI, A_IRQ_FLAGS}},
	[SYS_IRQ_BIND] = {5, 0, RET_NONE, 0, {A_HANDLE, A_NTFN, A_BITS}},
	[SYS_IRQ_ACK] = {5, 0, RET_NONE, 0, {A_HANDLE, A_IRQ_FLAGS}},
	[SYS_IRQ_INFO] = {5, 0, RET_NONE, 0, {A_HANDLE, A_PTR_OUT}},
	[SYS_IOPORT_CREATE] = {5, 0, RET_HANDLE, FK_OTHER, {A_HANDLE, A_PORT, A_INDEX}},
	[SYS_IOPORT_ENABLE] = {5, 0, RET_NONE, 0, {A_HANDLE}},
	[SYS_DEVMEM_CREATE] = {5, 0, RET_HANDLE, FK_MOBJ, {A_HANDLE, A_PHYS, A_SIZE, A_ANY}},
	[SYS_MOBJ_PHYS] = {5, 0, RET_NONE, 0, {A_HANDLE, A_MOBJ, A_INDEX}},
	[SYS_MOBJ_PHYS_LIST] = {5, 0, RET_NONE, 0, {A_HANDLE, A_MOBJ, A_INDEX, A_PTR_OUT, A_LEN}},
	[SYS_IRQ_SET_MASK] = {5, 0, RET_NONE, 0, {A_HANDLE, A_MOBJ, A_OFFSET, A_INDEX}},
	[SYS_EP_WATCH] = {15, 0, RET_NONE, 0, {A_EP, A_BADGE, A_ANY}},
};

/* A check generated from the one list: every syscall has an entry. */
static void specs_check(void)
{
#define SPEC_CHECK(name, nr, nargs, sig)                                                           \
	if (!specs[nr].weight)                                                                     \
		printf("fuzz: no entry for %s in the call table\n", #name);
	SYSCALL_LIST(SPEC_CHECK)
#undef SPEC_CHECK
}

static uint64_t total_weight(void)
{
	static uint64_t total;

	if (!total) {
		specs_check();
		uint64_t sum = OUT_OF_RANGE_WEIGHT;
		for (unsigned i = 0; i < SYS_COUNT; i++)
			sum += specs[i].weight;
		total = sum;
	}
	return total;
}

static uint64_t out_of_range(struct fz_thread *t)
{
	static const uint64_t numbers[] = {
		SYS_COUNT,  SYS_COUNT + 1,  63,		64,	    255, 256, 0x7FFFFFFF,
		0x80000000, 0x100000000ull, 1ull << 63, UINT64_MAX,
	};
	return fz_percent(&t->rng, 70) ? FZ_PICK(&t->rng, numbers) : fz_next(&t->rng) | SYS_COUNT;
}

static uint64_t pick_number(struct fz_thread *t)
{
	for (;;) {
		uint64_t x = fz_below(&t->rng, total_weight());
		for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
			if (x >= specs[nr].weight) {
				x -= specs[nr].weight;
				continue;
			}
			if (!specs[nr].rare || fz_one_in(&t->rng, specs[nr].rare))
				return nr;
			break; /* drawn but not made this time: draw again */
		}
		if (x < OUT_OF_RANGE_WEIGHT)
			return out_of_range(t);
	}
}

/* Debug output must not flood the log: readable buffers get no printable length. */
static void debug_write_args(struct fz_thread *t, struct fz_regs *r)
{
	static const uint64_t unreadable[] = {
		0,
		0x1000,
		0xffffffff80200000ull,
		0xffff800000000000ull,
		0x0000800000000000ull,
		0x00007ffffffffff8ull,
		0x00007ffffffff000ull,
		UINT64_MAX - 7,
	};
	static const uint64_t long_lens[] = {0, 1025, 4096, 1ull << 63, UINT64_MAX};

	if (fz_percent(&t->rng, 50)) {
		r->rdi = FZ_PICK(&t->rng, unreadable);
		r->rsi = fz_range(&t->rng, 1, 1024);
	} else if (fz_percent(&t->rng, 20)) {
		r->rdi = FZ_EDGE_VA + PAGE - 4; /* 4 readable bytes, then nothing */
		r->rsi = fz_range(&t->rng, 5, 1024);
	} else {
		r->rdi = (uintptr_t)t->scratch;
		r->rsi = FZ_PICK(&t->rng, long_lens);
	}
}

/* Does [va, va + size) (to the end of the space if it wraps) reach what the child runs on? */
static bool covers_own(uint64_t va, uint64_t size)
{
	static const uint64_t own[][2] = {
		{0x400000, 0x4000000},				 /* the program image */
		{USER_HEAP_BASE, USER_HEAP_BASE + (1ull << 40)}, /* the heap */
		{USER_THREAD_STACKS, USER_IPCBUF_BASE + (1ull << 30)},
		{USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_TOP},
		{FZ_SHARED_VA, FZ_STAGING_VA},
	};
	uint64_t end = va + size < va ? UINT64_MAX : va + size;

	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (va < own[i][1] && own[i][0] < end)
			return true;
	return false;
}

/*
 * Half the time, nudge the memory calls towards success: a mapping needs a
 * free page, an offset and size inside the object and rights without W+X
 * all at once, which random arguments seldom give; unmaps and IPC buffers
 * then find something there.
 */
static void nudge_memory(struct fz_thread *t, struct fz_regs *r, uint64_t nr)
{
	static const uint64_t map_rights[] = {R_READ, R_READ | R_WRITE, R_READ | R_EXEC};
	uint64_t arena_page = FZ_ARENA_VA + fz_below(&t->rng, FZ_ARENA_PAGES) * PAGE;

	if (!fz_percent(&t->rng, 50))
		return;
	if (nr == SYS_MOBJ_MAP) {
		r->rdx = arena_page;
		r->r10 = 0;
		r->r8 = fz_range(&t->rng, 1, 2) * PAGE;
		r->r9 = FZ_PICK(&t->rng, map_rights);
	} else if (nr == SYS_UNMAP) {
		r->rsi = arena_page;
		r->rdx = fz_range(&t->rng, 1, 8) * PAGE;
	} else if (nr == SYS_THREAD_SET_IPCBUF) {
		r->rdi = arena_page;
	}
}

static void fill_args(struct fz_thread *t, struct fz_regs *r, uint64_t nr)
{
	uint64_t *regs[6] = {&r->rdi, &r->rsi, &r->rdx, &r->r10, &r->r8, &r->r9};
	const struct fz_spec *s = &specs[nr];

	if (s->ret == RET_IPC) {
		fz_ipc(t, r);
		return;
	}
	for (int i = 0; i < 6; i++)
		if (s->args[i] != A_ZERO)
			*regs[i] = fz_arg(t, (enum fz_arg)s->args[i]);
	if (nr == SYS_DEBUG_WRITE)
		debug_write_args(t, r);
	nudge_memory(t, r, nr);
	/* A thread of our own at a bad address ends the child: keep that rare. */
	if (nr == SYS_THREAD_CREATE && (handle_t)r->rdi == HANDLE_SELF && !fz_one_in(&t->rng, 1000))
		r->rsi = FZ_CODE_VA;
	/* So does unmapping our own code, stacks or the shared page. */
	if (nr == SYS_UNMAP && (handle_t)r->rdi == HANDLE_SELF && covers_own(r->rsi, r->rdx) &&
	    !fz_one_in(&t->rng, 100)) {
		r->rsi = FZ_ARENA_VA + fz_below(&t->rng, FZ_ARENA_PAGES) * PAGE;
		r->rdx = fz_range(&t->rng, 1, FZ_ARENA_PAGES) * PAGE;
	}
}

static void junk(struct fz_thread *t, struct fz_regs *r)
{
	uint64_t *w = &r->rdi;

	for (int i = 0; i < 10; i++)
		w[i] = fz_percent(&t->rng, 50) ? 0 : fz_next(&t->rng);
}

static void after(struct fz_thread *t, uint64_t nr, const struct fz_regs *r, long result)
{
	if (nr == SYS_THREAD_SET_TLS)
		sys_call6(SYS_THREAD_SET_TLS, (long)t->tls, 0, 0, 0, 0, 0); /* libsys needs it */
	if (nr >= SYS_COUNT || result < 0)
		return;
	const struct fz_spec *s = &specs[nr];
	if (s->ret == RET_IPC)
		fz_ipc_after(t, nr, r);
	else if (s->ret == RET_FOREIGN)
		fz_pool_foreign((handle_t)result);
	else if (s->ret == RET_HANDLE && s->kind == FK_OTHER)
		fz_pool_classify(t, (handle_t)result);
	else if (s->ret == RET_HANDLE)
		fz_pool_put(t, (enum fz_kind)s->kind, (handle_t)result);
	if (nr == SYS_THREAD_CREATE && fz_percent(&t->rng, 50))
		sys_thread_start((handle_t)result);
}

static unsigned slot_of(uint64_t nr)
{
	return nr < FZ_NR_SLOTS - 1 ? (unsigned)nr : FZ_NR_SLOTS - 1;
}

/* Counted before the trap: some calls never return. */
void fz_count_issue(struct fz_thread *t, uint64_t nr)
{
	__atomic_fetch_add(&t->shared->issued[slot_of(nr)], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&t->shared->calls, 1, __ATOMIC_RELAXED);
}

void fz_count_result(struct fz_thread *t, uint64_t nr, long result)
{
	if (result >= 0)
		__atomic_fetch_add(&t->shared->succeeded[slot_of(nr)], 1, __ATOMIC_RELAXED);
}

/* The last call of each worker, for the parent to print if the child hangs. */
static void record(struct fz_thread *t, uint64_t nr, const struct fz_regs *r)
{
	if (t->index >= FZ_WORKERS)
		return;
	uint64_t *l = t->shared->last[t->index];
	l[0] = nr;
	l[1] = r->rdi;
	l[2] = r->rsi;
	l[3] = r->rdx;
	l[4] = r->r10;
	l[5] = r->r8;
	l[6] = r->r9;
}

void fz_one_call(struct fz_thread *t)
{
	struct fz_regs r;
	uint64_t nr = pick_number(t);

	junk(t, &r);
	r.rax = nr;
	if (nr < SYS_COUNT)
		fill_args(t, &r, nr);
	r.rflags = fz_rflags(t);
	record(t, nr, &r);
	fz_count_issue(t, nr);
	fz_trap(&r);
	long result = (long)r.rax;
	after(t, nr, &r, result);
	fz_count_result(t, nr, result);
}
