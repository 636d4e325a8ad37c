/* SPDX-License-Identifier: MIT */
/*
 * Argument values by kind. Each kind is mostly valid or nearly so (a real
 * handle of the expected type, a pointer into the thread's scratch buffer,
 * an address in the fuzz arena, a short timeout), and otherwise wrong in
 * the ways that matter: handles that are stale, of another type, from
 * another table or made up; pointers that are unmapped, in the kernel,
 * non-canonical, misaligned, read-only or straddling the end of user space;
 * lengths and sizes at and past every limit. The few values that would end
 * the child at once (killing itself, unmapping its own code) are rare.
 */
#include "fuzz.h"
#include "sys/device.h"
#include "sys/process.h"
#include "sys/start.h"

#define USER_END       0x00007ffffffff000ull /* the kernel's USER_SPACE_END */
#define IMAGE_VA       0x400000ull
#define KERNEL_TEXT    0xffffffff80200000ull
#define DIRECT_MAP     0xffff800000000000ull
#define NONCANON       0x0000800000000000ull
#define MOBJ_MAX_BYTES (1ull << 40)

static const uint64_t edge_values[] = {
	0,
	1,
	2,
	0xFFFF,
	0x10000,
	0x7FFFFFFF,
	0x80000000,
	0xFFFFFFFF,
	0x100000000ull,
	NONCANON,
	USER_END,
	0x8000000000000000ull,
	UINT64_MAX,
	UINT64_MAX - 1,
};

static uint64_t any_value(struct fz_thread *t)
{
	return fz_percent(&t->rng, 50) ? FZ_PICK(&t->rng, edge_values) : fz_next(&t->rng);
}

/* A handle of kind k most of the time, else one of another kind or a bogus one. */
static uint64_t typed_handle(struct fz_thread *t, enum fz_kind k)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 75)
		return fz_pool_get(t, k);
	if (roll < 85)
		return fz_pool_any(t);
	if (roll < 97)
		return fz_pool_bogus(t);
	return any_value(t); /* high bits set past the 32 a handle has */
}

static uint64_t process_handle(struct fz_thread *t, unsigned self_percent)
{
	if (fz_percent(&t->rng, self_percent))
		return HANDLE_SELF;
	return typed_handle(t, FK_PROC);
}

/* A process to kill: very rarely ourselves (that ends this child). */
static uint64_t kill_target(struct fz_thread *t)
{
	if (fz_one_in(&t->rng, 400))
		return HANDLE_SELF;
	if (fz_percent(&t->rng, 85))
		return fz_pool_get(t, FK_PROC);
	return (handle_t)fz_next(&t->rng);
}

static uint64_t rights(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;

	switch (fz_below(r, 6)) {
	case 0:
		return R_ALL;
	case 1:
		return 0;
	case 2:
		return 1ull << fz_below(r, 12);
	case 3:
		return fz_next(r);
	default:
		return fz_next(r) & R_ALL;
	}
}

static uint64_t bits(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;

	switch (fz_below(r, 5)) {
	case 0:
		return 0;
	case 1:
		return 1ull << 63; /* past the 63 bits a notification has */
	case 2:
		return fz_next(r);
	default:
		return 1ull << fz_below(r, 63);
	}
}

/* Mostly short; rarely never, which only another thread or the end can undo. */
uint64_t fz_timeout(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 1000);

	if (roll < 350)
		return 0;
	if (roll < 650)
		return fz_range(&t->rng, 1000, 100000);
	if (roll < 900)
		return fz_range(&t->rng, 100000, 2 * MS);
	if (roll < 997)
		return fz_range(&t->rng, 2 * MS, 20 * MS);
	if (roll < 999)
		return TIMEOUT_NEVER;
	return fz_next(&t->rng);
}

static uint64_t sleep_ns(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 1000);

	if (roll < 200)
		return 0;
	if (roll < 960)
		return fz_range(&t->rng, 1, MS);
	if (roll < 998)
		return 10 * MS;
	return fz_next(&t->rng); /* for ever, in practice */
}

static uint64_t deadline(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 5)) {
	case 0:
		return 0; /* cancel */
	case 1:
		return 1; /* long past */
	case 2:
		return fz_percent(&t->rng, 50) ? UINT64_MAX : fz_next(&t->rng);
	default:
		return sys_clock() + fz_below(&t->rng, 5 * MS);
	}
}

static uint64_t priority(struct fz_thread *t, bool max)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (max && roll < 30)
		return PROCESS_PRIORITY_INHERIT;
	if (roll < 80)
		return fz_below(&t->rng, 13);
	if (roll < 95)
		return fz_range(&t->rng, 13, 40);
	return any_value(t);
}

static uint64_t quota(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 5)) {
	case 0:
		return QUOTA_UNLIMITED;
	case 1:
		return fz_below(&t->rng, 4);
	case 2:
		return any_value(t);
	default:
		return fz_range(&t->rng, 4, 256);
	}
}

static uint64_t mobj_size(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 60)
		return fz_range(&t->rng, 1, 4) * PAGE;
	if (roll < 75)
		return fz_range(&t->rng, 1, 32) * PAGE;
	if (roll < 85)
		return fz_range(&t->rng, 1, 5 * PAGE);
	if (roll < 90)
		return MOBJ_MAX_BYTES + fz_below(&t->rng, 2) * PAGE;
	if (roll < 93)
		return 16 << 20; /* past the loader's quota */
	return any_value(t);
}

/* Places the child itself depends on: unmapping one usually ends it. */
static uint64_t critical_va(struct fz_thread *t)
{
	/* Not the shared page: as an IPC buffer it would garble the counts. */
	static const uint64_t places[] = {
		IMAGE_VA,	  USER_HEAP_BASE,     USER_STACK_TOP - PAGE,
		USER_IPCBUF_BASE, USER_THREAD_STACKS, FZ_CODE_VA,
		FZ_EDGE_VA,
	};
	return FZ_PICK(&t->rng, places);
}

static uint64_t address(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	unsigned roll = (unsigned)fz_below(r, 1000);

	if (roll < 700)
		return FZ_ARENA_VA + fz_below(r, FZ_ARENA_PAGES) * PAGE;
	if (roll < 750)
		return FZ_ARENA_VA + fz_below(r, FZ_ARENA_PAGES * PAGE);
	if (roll < 800)
		return fz_below(r, 0x20) * PAGE; /* page 0 and the never-mapped low pages */
	if (roll < 880)
		return USER_END - fz_below(r, 4) * PAGE;
	if (roll < 940)
		return FZ_PICK(r, edge_values);
	if (roll < 997)
		return fz_next(r) & ~(PAGE - 1);
	return critical_va(t);
}

static uint64_t map_size(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	unsigned roll = (unsigned)fz_below(r, 100);

	if (roll < 60)
		return fz_range(r, 1, 4) * PAGE;
	if (roll < 80)
		return fz_range(r, 1, FZ_ARENA_PAGES) * PAGE;
	if (roll < 85)
		return 0;
	if (roll < 90)
		return fz_range(r, 1, 3 * PAGE);
	return any_value(t);
}

static uint64_t offset(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 60)
		return 0;
	if (roll < 85)
		return fz_range(&t->rng, 1, 4) * PAGE;
	return any_value(t);
}

uint64_t fz_bad_pointer(struct fz_thread *t)
{
	static const uint64_t bad[] = {
		0,
		0x1000,
		FZ_ARENA_VA + 5 * PAGE,
		FZ_EDGE_VA + PAGE - 4, /* runs off the end of a mapping */
		KERNEL_TEXT,
		DIRECT_MAP,
		DIRECT_MAP + 0x100000,
		NONCANON,
		NONCANON - 8,
		0x8000000000000000ull,
		USER_END - 8,
		USER_END,
		UINT64_MAX - 7,
		IMAGE_VA, /* read-only code: fine to read, a fault to write */
	};
	return FZ_PICK(&t->rng, bad);
}

static uint64_t pointer(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 60)
		return (uintptr_t)t->scratch;
	if (roll < 70)
		return (uintptr_t)t->scratch + fz_range(&t->rng, 1, 7);
	if (roll < 75)
		return (uintptr_t)ipc_buffer();
	return fz_bad_pointer(t);
}

static uint64_t length(struct fz_thread *t)
{
	static const uint64_t lens[] = {0, 1, 8, 31, 32, 33, 64, 1024, 1025, 4096, 1u << 20};

	return fz_percent(&t->rng, 80) ? FZ_PICK(&t->rng, lens) : any_value(t);
}

static uint64_t entry(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 10)) {
	case 0:
		return address(t);
	case 1:
		return USER_END - fz_range(&t->rng, 1, 2); /* the last bytes of user space */
	case 2:
		return any_value(t);
	default:
		return FZ_CODE_VA;
	}
}

static uint64_t thread_arg(struct fz_thread *t)
{
	switch (fz_below(&t->rng, 5)) {
	case 0:
	case 1:
		return fz_pool_get(t, FK_EP);
	case 2:
	case 3:
		return fz_pool_bogus(t);
	default:
		return any_value(t);
	}
}

static uint64_t device_arg(struct fz_thread *t, enum fz_arg a)
{
	static const uint64_t gsis[] = {0, 1, 4, 9, 10, 11, 23, 24, 255};
	static const uint64_t ports[] = {0x3F8, 0xF4, 0x70, 0xCF8, 0x60, 0xFFFF, 0x10000};
	static const uint64_t phys[] = {0, 0x1000, 0xB8000, 0xFEE00000, 0xFD000000, 0xE0000000};

	switch (a) {
	case A_GSI:
		return fz_percent(&t->rng, 80) ? FZ_PICK(&t->rng, gsis) : any_value(t);
	case A_IRQ_FLAGS:
		return fz_percent(&t->rng, 80) ? fz_below(&t->rng, 16) : any_value(t);
	case A_PORT:
		return fz_percent(&t->rng, 80) ? FZ_PICK(&t->rng, ports) : any_value(t);
	case A_PHYS:
		return fz_percent(&t->rng, 80) ? FZ_PICK(&t->rng, phys) : any_value(t);
	default:
		return fz_percent(&t->rng, 50) ? fz_below(&t->rng, 4) : any_value(t);
	}
}

static uint64_t handle_arg(struct fz_thread *t, enum fz_arg a)
{
	switch (a) {
	case A_HANDLE:
		return fz_percent(&t->rng, 80) ? fz_pool_any(t) : fz_pool_bogus(t);
	case A_EP:
		return typed_handle(t, FK_EP);
	case A_NTFN:
		return typed_handle(t, FK_NTFN);
	case A_MOBJ:
		return typed_handle(t, FK_MOBJ);
	case A_THREAD:
		return typed_handle(t, FK_THREAD);
	case A_PROC:
		return process_handle(t, 30);
	case A_CHARGED:
		return fz_percent(&t->rng, 20) ? HANDLE_INVALID : process_handle(t, 50);
	default:
		return kill_target(t);
	}
}

static uint64_t memory_arg(struct fz_thread *t, enum fz_arg a)
{
	switch (a) {
	case A_SIZE:
		return mobj_size(t);
	case A_MOBJ_FLAGS:
		return fz_percent(&t->rng, 85) ? 0 : fz_below(&t->rng, 4);
	case A_VA:
		return address(t);
	case A_MAPSIZE:
		return map_size(t);
	case A_OFFSET:
		return offset(t);
	case A_PTR_IN:
	case A_PTR_OUT:
		return pointer(t);
	case A_LEN:
		return length(t);
	case A_ENTRY:
		return entry(t);
	default: /* A_STACK */
		return fz_percent(&t->rng, 50) ? 0 : address(t);
	}
}

static uint64_t number_arg(struct fz_thread *t, enum fz_arg a)
{
	switch (a) {
	case A_RIGHTS:
		return rights(t);
	case A_BADGE:
		return fz_percent(&t->rng, 30) ? 0 : fz_next(&t->rng);
	case A_BITS:
		return bits(t);
	case A_TIMEOUT:
		return fz_timeout(t);
	case A_SLEEP:
		return sleep_ns(t);
	case A_DEADLINE:
		return deadline(t);
	case A_PRIO:
		return priority(t, false);
	case A_MAXPRIO:
		return priority(t, true);
	case A_QUOTA:
		return quota(t);
	case A_THREAD_ARG:
		return thread_arg(t);
	default: /* A_EXIT_CODE */
		return fz_next(&t->rng);
	}
}

uint64_t fz_arg(struct fz_thread *t, enum fz_arg a)
{
	if (a == A_ZERO)
		return 0;
	if (a == A_ANY)
		return any_value(t);
	if (a <= A_CHARGED) /* the kinds are grouped in fuzz.h: handles, numbers, memory, devices */
		return handle_arg(t, a);
	if (a >= A_SIZE && a <= A_STACK)
		return memory_arg(t, a);
	if (a >= A_GSI)
		return device_arg(t, a);
	return number_arg(t, a);
}
