/* SPDX-License-Identifier: MIT */
/*
 * Host test of the loader's process table (procs.c) through the protocol:
 * programs started by LOADER_SPAWN and by exec sessions are listed by
 * LOADER_LIST with their pid, name, state and the badge that asked, a
 * service (LOADER_F_BOOTSTRAP) is not; an exited program leaves the list
 * and its handle is closed once; LOADER_KILL ends a listed program and
 * refuses any other pid; the list pages past LOADER_LIST_MAX; a full table
 * still starts programs; malformed requests are refused. Runs over the
 * fake system of test_loader_fixture.h, whose processes have pids.
 */
#include "test_loader_fixture.h"

static handle_t fresh(uint64_t badge)
{
	fixture_reset();
	return fixture_client(badge);
}

static long start(handle_t ep, uint32_t flags)
{
	struct loader_spawn_args a = {"hello", 0, NULL, 12, HANDLE_INVALID, flags, TIMEOUT_NEVER};

	if (flags & LOADER_F_BOOTSTRAP)
		a.give = fake_ipc_handle();
	return loader_spawn_ex(ep, &a, NULL);
}

static uint32_t list_all(handle_t ep, struct loader_proc_entry *out, uint32_t max)
{
	uint32_t total = 0, got = 0;

	while (got < max) {
		long n = loader_list(ep, got, out + got, max - got, &total);
		CHECK(n >= 0);
		if (n <= 0)
			break;
		got += (uint32_t)n;
	}
	CHECK_EQ(got, total);
	return got;
}

/* The table's handle to the program with this pid (the dup it keeps), or HANDLE_INVALID. */
static handle_t kept_handle(uint64_t pid)
{
	for (uint32_t i = 0; i < LOADER_MAX_PROCS; i++)
		if (env.procs[i].process != HANDLE_INVALID && env.procs[i].pid == pid)
			return env.procs[i].process;
	return HANDLE_INVALID;
}

static void test_spawned_programs_listed(void)
{
	handle_t ep = fresh(3), other = fixture_client(9);
	struct loader_proc_entry e[8];

	CHECK(start(ep, 0) > 0);
	CHECK(start(other, 0) > 0);
	CHECK(start(ep, LOADER_F_BOOTSTRAP) > 0); /* a service: the supervisor's */
	CHECK_EQ(list_all(ep, e, 8), 2);
	CHECK_EQ(e[0].pid, 1);
	CHECK_EQ(e[0].badge, 3);
	CHECK_EQ(e[0].state, PROCESS_RUNNING);
	CHECK(strcmp(e[0].name, "hello") == 0);
	CHECK_EQ(e[1].pid, 2);
	CHECK_EQ(e[1].badge, 9);
}

static void test_exec_session_listed(void)
{
	handle_t ep = fresh(5), image = fake_obj(KOBJ_MOBJ, R_READ, GOOD_SIZE, good_elf);
	struct loader_exec_args x = {image, GOOD_SIZE, "/bin/tool",  0, NULL, 4,
				     0,	    NULL,      TIMEOUT_NEVER};
	struct loader_proc_entry e[4];

	CHECK(loader_exec(ep, &x, NULL) > 0);
	CHECK_EQ(list_all(ep, e, 4), 1);
	CHECK(strcmp(e[0].name, "tool") == 0);
	CHECK_EQ(e[0].badge, 5);
}

static void test_exited_program_leaves(void)
{
	handle_t ep = fresh(3);
	struct loader_proc_entry e[4];

	CHECK(start(ep, 0) > 0);
	CHECK(start(ep, 0) > 0);
	handle_t kept = kept_handle(1);
	CHECK(kept != HANDLE_INVALID);
	procs[1].state = PROCESS_EXITED;
	CHECK_EQ(list_all(ep, e, 4), 1);
	CHECK_EQ(e[0].pid, 2);
	CHECK_EQ(closes(kept), 1);
	CHECK_EQ(list_all(ep, e, 4), 1);
	CHECK_EQ(closes(kept), 1); /* once */
	kept = kept_handle(2);
	procs[2].state = PROCESS_EXITED;
	CHECK(start(ep, 0) > 0); /* the next start reaps it */
	CHECK_EQ(closes(kept), 1);
	CHECK(kept_handle(2) == HANDLE_INVALID);
}

static void test_kill(void)
{
	handle_t ep = fresh(3);
	struct loader_proc_entry e[4];

	CHECK(start(ep, 0) > 0);
	CHECK(start(ep, LOADER_F_BOOTSTRAP) > 0); /* pid 2, a service */
	handle_t kept = kept_handle(1);
	CHECK_EQ(loader_kill(ep, 2), E_NOENT);
	CHECK_EQ(procs[2].kills, 0);
	CHECK_EQ(loader_kill(ep, 77), E_NOENT);
	CHECK_EQ(loader_kill(ep, 1), E_OK);
	CHECK_EQ(procs[1].kills, 1);
	CHECK_EQ(closes(kept), 1);
	CHECK_EQ(loader_kill(ep, 1), E_NOENT);
	CHECK_EQ(procs[1].kills, 1);
	CHECK_EQ(list_all(ep, e, 4), 0);
}

static void test_kill_of_exited_program(void)
{
	handle_t ep = fresh(3);

	CHECK(start(ep, 0) > 0);
	procs[1].state = PROCESS_EXITED;
	CHECK_EQ(loader_kill(ep, 1), E_NOENT);
	CHECK_EQ(procs[1].kills, 0);
}

static void test_pages(void)
{
	handle_t ep = fresh(3);
	static struct loader_proc_entry e[64];
	uint32_t total = 0;

	for (int i = 0; i < 50; i++)
		CHECK(start(ep, 0) > 0);
	CHECK_EQ(loader_list(ep, 0, e, 64, &total), (long)LOADER_LIST_MAX);
	CHECK_EQ(total, 50);
	CHECK_EQ(loader_list(ep, LOADER_LIST_MAX, e, 64, &total), 50 - (long)LOADER_LIST_MAX);
	CHECK_EQ(loader_list(ep, 50, e, 64, &total), 0);
	CHECK_EQ(loader_list(ep, 0, e, 3, &total), 3); /* the caller's room */
	CHECK_EQ(list_all(ep, e, 64), 50);
	for (uint32_t i = 0; i < 50; i++)
		CHECK_EQ(e[i].pid, i + 1);
}

static void test_full_table(void)
{
	handle_t ep = fresh(3);
	static struct loader_proc_entry e[LOADER_MAX_PROCS + 8];

	for (int i = 0; i < LOADER_MAX_PROCS + 3; i++)
		CHECK(start(ep, 0) > 0); /* starting never fails for the table */
	CHECK_EQ(list_all(ep, e, LOADER_MAX_PROCS + 8), LOADER_MAX_PROCS);
	procs[4].state = PROCESS_EXITED;
	CHECK(start(ep, 0) > 0); /* its slot is reaped for the new one */
	CHECK_EQ(list_all(ep, e, LOADER_MAX_PROCS + 8), LOADER_MAX_PROCS);
	CHECK(kept_handle(last_pid) != HANDLE_INVALID);
	CHECK(kept_handle(4) == HANDLE_INVALID);
}

static uint64_t last_mint;

/* A fresh badged handle to the loader's endpoint, as the name service mints one. */
static long fake_mint(handle_t *h, uint64_t *badge)
{
	*h = fake_obj(KOBJ_ENDPOINT, R_SEND | R_DUP | R_TRANSFER, 0, NULL);
	*badge = 1000 + ++last_mint;
	return E_OK;
}

/* The child's LOADER_END_HANDLE among what it started with, or HANDLE_INVALID. */
static handle_t end_handle_given(void)
{
	for (uint32_t i = 0; i < spawned.handle_count; i++)
		if (strcmp(spawned.handles[i].name, LOADER_END_HANDLE) == 0)
			return spawned.handles[i].handle;
	return HANDLE_INVALID;
}

static void test_end_notice(void)
{
	handle_t ep = fresh(3), image = fake_obj(KOBJ_MOBJ, R_READ, GOOD_SIZE, good_elf);
	struct loader_exec_args x = {image, GOOD_SIZE, "/bin/tool",  0, NULL, 4,
				     0,	    NULL,      TIMEOUT_NEVER};
	struct loader_proc_entry e[4];

	env.mint = fake_mint;
	CHECK(start(ep, 0) > 0);
	handle_t end = end_handle_given(), kept = kept_handle(1);
	CHECK(end != HANDLE_INVALID);
	CHECK_EQ(closes(end), 1); /* the child holds the only one */
	CHECK(armed(1000 + last_mint));
	CHECK(loader_exec(ep, &x, NULL) > 0);
	CHECK(end_handle_given() != HANDLE_INVALID);
	CHECK(armed(1000 + last_mint));
	CHECK(start(ep, LOADER_F_BOOTSTRAP) > 0);
	CHECK(end_handle_given() == HANDLE_INVALID); /* a service is not watched */
	/* the first child ends: the kernel's notice for its badge */
	procs[1].state = PROCESS_EXITED;
	struct ipc_msg gone = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {1001}};
	fake_ipc_event(fixture_client(1001), &gone);
	CHECK_EQ(closes(kept), 1); /* dropped at once, not at the next list */
	CHECK(kept_handle(1) == HANDLE_INVALID);
	CHECK_EQ(list_all(ep, e, 4), 1);
	CHECK_EQ(e[0].pid, 2);
	/* a kill disarms the notice of the one it ends */
	CHECK_EQ(loader_kill(ep, 2), E_OK);
	CHECK(!armed(1002));
	env.mint = NULL;
}

static void test_child_gone_before_watch(void)
{
	handle_t ep = fresh(3);
	struct loader_proc_entry e[4];

	env.mint = fake_mint;
	watches.gone =
		1000 + last_mint + 1; /* the next badge has no handle by the time it is armed */
	CHECK(start(ep, 0) > 0);
	CHECK_EQ(list_all(ep, e, 4), 0);
	CHECK(kept_handle(1) == HANDLE_INVALID);
	env.mint = NULL;
}

static void test_malformed(void)
{
	handle_t ep = fresh(3);
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_LIST, 0, 0, 0)};

	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* no word */
	m = (struct ipc_msg){.tag = IPC_TAG(LOADER_KILL, 1, 1, 0), .cap = fake_ipc_handle()};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL); /* a capability */
	m = (struct ipc_msg){.tag = IPC_TAG(LOADER_KILL, 0, 0, 0)};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
}

int main(void)
{
	build_good_elf();
	test_spawned_programs_listed();
	test_exec_session_listed();
	test_exited_program_leaves();
	test_kill();
	test_kill_of_exited_program();
	test_pages();
	test_full_table();
	test_end_notice();
	test_child_gone_before_watch();
	test_malformed();
	return check_summary("loader_procs");
}
