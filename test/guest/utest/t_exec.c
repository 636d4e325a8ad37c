/* SPDX-License-Identifier: MIT */
/*
 * Starting programs from memory objects (proto/loader.h, suite exec): the
 * loader starts utest from a copy of its boot module in a memory object of
 * ours, with two named handles, and reads that copy (a broken one is
 * refused); every refused begin, handle and start leaves the kernel's
 * counters where they were; a client that opens a session and exits, or is
 * killed, leaves nothing with the loader (its client-death notice ends the
 * session); and spawning directly passes exactly the most handles a
 * start_info holds and refuses one more.
 */
#include <string.h>

#include "proto/loader.h"
#include "sys/elf.h"
#include "sys/fmt.h"
#include "sys/process.h"
#include "sys/spawn.h"
#include "sys/start.h"
#include "utest.h"

#define EXEC_WAIT  (5000 * MS)
#define SRC_VA	   UT_SCRATCH_VA
#define DST_VA	   (UT_SCRATCH_VA + 0x10000000ull)
#define NAME_BYTES 8

/* The counters must come back to `before` (another process frees what it held). */
#define KINFO_BACK(before)                                                                         \
	do {                                                                                       \
		if (!T_KINFO_BACK((before), 2000))                                                 \
			return;                                                                    \
	} while (0)

static handle_t loader(void)
{
	return start_handle("parent", NULL);
}

/* A fresh memory object holding a copy of the boot module `name`. */
static long copy_module(const char *name, handle_t *copy, uint64_t *size)
{
	long module = loader_image(loader(), name, size);

	if (module < 0)
		return module;
	uint64_t bytes = (*size + PAGE - 1) & ~(PAGE - 1);
	long m = sys_mobj_create(*size, 0);
	long err =
		m < 0 ? m : sys_mobj_map(HANDLE_SELF, (handle_t)module, SRC_VA, 0, bytes, R_READ);
	if (err >= 0)
		err = sys_mobj_map(HANDLE_SELF, (handle_t)m, DST_VA, 0, bytes, R_READ | R_WRITE);
	if (err >= 0)
		memcpy((void *)DST_VA, (const void *)SRC_VA, *size);
	sys_unmap(HANDLE_SELF, SRC_VA, bytes);
	sys_unmap(HANDLE_SELF, DST_VA, bytes);
	sys_handle_close((handle_t)module);
	if (err < 0 && m >= 0)
		sys_handle_close((handle_t)m);
	*copy = (handle_t)m;
	return err < 0 ? err : E_OK;
}

static struct loader_exec_args exec_args(handle_t image, uint64_t size, const char *const *argv)
{
	return (struct loader_exec_args){.image = image,
					 .size = size,
					 .program = "utest-copy",
					 .argc = 1,
					 .argv = argv,
					 .priority = UT_PRIO,
					 .timeout = EXEC_WAIT};
}

/* Exec utest's copy in role "handles" with "first" and "second"; the child's exit code. */
static void exec_two_handles(struct test_ctx *t, handle_t image, uint64_t size)
{
	static const char *const argv[] = {"handles"};
	struct process_info info;

	T_HANDLE(first, sys_ntfn_create());
	T_HANDLE(second, sys_ep_create());
	const struct loader_exec_handle hs[] = {{"first", first}, {"second", second}};
	struct loader_exec_args a = exec_args(image, size, argv);
	a.handles = hs, a.handle_count = 2;
	T_HANDLE(child, loader_exec(loader(), &a, NULL));
	T_OK(sys_process_info(child, &info));
	T_ASSERT(strcmp(info.name, "utest-copy") == 0);
	T_EQ(sys_ntfn_wait(first, EXEC_WAIT), 1); /* the child signalled what we gave it */
	T_EQ(ut_reap(child, EXEC_WAIT), 0);
	T_OK(sys_handle_close(second));
	T_OK(sys_handle_close(first));
}

TEST(exec, exec_from_memory,
     "the loader starts utest from a copy in our own memory object with two named handles; "
     "nothing stays behind")
{
	struct kinfo before;
	handle_t image;
	uint64_t size;

	T_OK(copy_module("utest", &image, &size));
	exec_two_handles(t, image, size); /* the loader's first exec may grow its tables */
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	exec_two_handles(t, image, size);
	T_RETURN_IF_FAILED();
	KINFO_BACK(&before);
	T_OK(sys_handle_close(image));
}

TEST(exec, exec_reads_the_object,
     "a copy whose ELF magic we broke is refused with the validator's reason")
{
	static const char *const argv[] = {"handles"};
	handle_t image;
	uint64_t size;
	int elf_err = 0;

	T_OK(copy_module("utest", &image, &size));
	T_OK(sys_mobj_map(HANDLE_SELF, image, DST_VA, 0, PAGE, R_READ | R_WRITE));
	*(volatile uint8_t *)DST_VA = 0; /* not "\x7fELF" any more */
	T_OK(sys_unmap(HANDLE_SELF, DST_VA, PAGE));
	struct loader_exec_args a = exec_args(image, size, argv);
	T_EQ(loader_exec(loader(), &a, &elf_err), E_INVAL);
	T_EQ(elf_err, ELF_ERR_MAGIC);
	T_OK(sys_handle_close(image));
}

/* Every way a begin is refused; the image always stays ours alone. */
static void begins_refused(struct test_ctx *t, handle_t image, uint64_t size)
{
	static const char *const argv[] = {"handles"};
	struct loader_exec_args a = exec_args(image, size + 2 * PAGE, argv);

	T_EQ(loader_exec_begin(loader(), &a), E_RANGE); /* beyond the object */
	a.size = 0;
	T_EQ(loader_exec_begin(loader(), &a), E_INVAL);
	a.size = size;
	T_HANDLE(n, sys_ntfn_create());
	a.image = n;
	T_EQ(loader_exec_begin(loader(), &a), E_TYPE);
	T_HANDLE(unreadable, sys_handle_dup(image, R_TRANSFER));
	a.image = unreadable;
	T_EQ(loader_exec_begin(loader(), &a), E_RIGHTS);
	T_OK(sys_handle_close(unreadable));
	T_OK(sys_handle_close(n));
}

/* A session filled to its limit, refusals on the way, then cancelled. */
static void session_refused(struct test_ctx *t, handle_t image, uint64_t size)
{
	static const char *const argv[] = {"handles"};
	struct loader_exec_args a = exec_args(image, size, argv);
	char name[NAME_BYTES];

	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(session, loader_exec_begin(loader(), &a));
	for (int i = 0; i <= LOADER_EXEC_MAX_HANDLES; i++) {
		snprintf(name, sizeof(name), "h%d", i);
		T_EQ(loader_exec_handle(loader(), session, name, n, EXEC_WAIT),
		     i < LOADER_EXEC_MAX_HANDLES ? E_OK : E_NOSPACE);
	}
	T_EQ(loader_exec_handle(loader(), session, "h0", n, EXEC_WAIT), E_EXISTS);
	T_EQ(loader_exec_handle(loader(), session + 1, "x", n, EXEC_WAIT), E_NOENT);
	T_EQ(loader_exec_start(loader(), session + 1, NULL, EXEC_WAIT), E_NOENT);
	T_OK(loader_exec_cancel(loader(), session, EXEC_WAIT));
	T_EQ(loader_exec_cancel(loader(), session, EXEC_WAIT), E_NOENT);
	T_OK(sys_handle_close(n));
}

TEST(exec, exec_refused_cleanly,
     "refused begins, handles and starts, and a cancelled session, leave the kernel's counters "
     "where they were")
{
	struct kinfo before;
	handle_t image;
	uint64_t size;

	T_OK(copy_module("utest", &image, &size));
	session_refused(t, image, size); /* the loader's handle table may grow once */
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	begins_refused(t, image, size);
	T_RETURN_IF_FAILED();
	session_refused(t, image, size);
	T_RETURN_IF_FAILED();
	KINFO_BACK(&before);
	T_OK(sys_handle_close(image));
}

/* A child that leaves an exec session behind (exits, or is killed once it has one). */
static void abandon(struct test_ctx *t, bool killed)
{
	T_HANDLE(gate, sys_ntfn_create());
	T_HANDLE(child, ut_spawn("exec-abandon", killed ? "wait" : "exit", gate, UT_PRIO));
	T_EQ(sys_ntfn_wait(gate, EXEC_WAIT), 1);
	if (killed)
		T_OK(sys_process_kill(child));
	T_EQ(ut_reap(child, EXEC_WAIT), killed ? EXIT_KILLED : 0);
	T_OK(sys_handle_close(gate));
}

TEST(exec, exec_client_gone,
     "a client that opens a session with a handle in it and exits, or is killed, leaves nothing "
     "with the loader")
{
	struct kinfo before;

	abandon(t, false); /* tables that grow once (init's for the lookup, the loader's) */
	T_RETURN_IF_FAILED();
	T_OK(test_kinfo(&before));
	abandon(t, false);
	T_RETURN_IF_FAILED();
	KINFO_BACK(&before);
	abandon(t, true);
	T_RETURN_IF_FAILED();
	KINFO_BACK(&before);
}

static struct spawn_handle many[START_MAX_HANDLES + 1];
static char many_names[START_MAX_HANDLES + 1][NAME_BYTES];

TEST(exec, spawn_start_handle_limit,
     "spawning passes exactly START_MAX_HANDLES handles and refuses one more, or one argument "
     "too many, before making anything")
{
	static const char *argv[START_MAX_ARGS + 1] = {"count-handles"};
	struct kinfo before, after;
	uint64_t size;

	T_HANDLE(n, sys_ntfn_create());
	T_HANDLE(image, loader_image(loader(), "utest", &size));
	for (int i = 0; i <= START_MAX_HANDLES; i++) {
		snprintf(many_names[i], NAME_BYTES, "h%d", i);
		many[i] = (struct spawn_handle){many_names[i], n, R_SIGNAL | R_TRANSFER, 0};
	}
	struct spawn_args a = {"many", 1, argv, START_MAX_HANDLES, many, UT_PRIO, UT_PRIO};
	T_HANDLE(child, spawn_module(image, (uint32_t)size, &a, NULL));
	T_EQ(ut_reap(child, EXEC_WAIT), START_MAX_HANDLES);
	T_OK(test_kinfo(&before));
	a.handle_count = START_MAX_HANDLES + 1;
	T_EQ(spawn_module(image, (uint32_t)size, &a, NULL), E_NOSPACE);
	a.handle_count = 0, a.argc = START_MAX_ARGS + 1;
	for (int i = 1; i <= START_MAX_ARGS; i++)
		argv[i] = "x";
	T_EQ(spawn_module(image, (uint32_t)size, &a, NULL), E_RANGE);
	T_OK(test_kinfo(&after));
	T_KINFO_SAME(&before, &after);
	T_OK(sys_handle_close(image));
	T_OK(sys_handle_close(n));
}
