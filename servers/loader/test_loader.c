/* SPDX-License-Identifier: MIT */
/*
 * Host test of the loader protocol's LOADER_SPAWN: the client stub
 * (loader_spawn_ex) and raw requests go through the fake transport
 * (fake_ipc.h) into the protocol's decode and the loader's real handler,
 * which runs over a fake module table and a fake spawn
 * (test_loader_fixture.h). The fake spawn runs the real ELF validator
 * on the module's bytes, so refused images give real reasons. Checks what
 * the child is started with (arguments, priority, the handles "parent",
 * "bootstrap" and "ns"), the handles the loop closes, the ELF error in w0,
 * every malformed request, the stub's own checks, and that a spawn is
 * never sent twice.
 */
#include "test_loader_fixture.h"

static handle_t fresh_server(void)
{
	fixture_reset();
	return fixture_client(3);
}

static long spawn(handle_t ep, const char *program, int argc, const char *const *argv,
		  handle_t give, uint32_t flags, int *elf_err)
{
	struct loader_spawn_args a = {program, argc, argv, 12, give, flags, TIMEOUT_NEVER};
	return loader_spawn_ex(ep, &a, elf_err);
}

static void test_spawn_with_arguments(void)
{
	handle_t ep = fresh_server(), give = fake_ipc_handle();
	const char *const argv[] = {"one", "", "three"};
	int elf_err = -1;
	long p = spawn(ep, "hello", 3, argv, give, 0, &elf_err);

	CHECK(p > 0);
	CHECK_EQ(elf_err, 0);
	CHECK_EQ(spawned.count, 1);
	CHECK(strcmp(spawned.name, "hello") == 0);
	CHECK_EQ(spawned.argc, 3);
	CHECK(strcmp(spawned.argv[0], "one") == 0 && spawned.argv[1][0] == '\0');
	CHECK(strcmp(spawned.argv[2], "three") == 0);
	CHECK_EQ(spawned.priority, 12);
	CHECK_EQ(spawned.handle_count, 2);
	CHECK(strcmp(spawned.handles[0].name, "parent") == 0);
	CHECK_EQ(spawned.handles[0].handle, give);
	CHECK(strcmp(spawned.handles[1].name, "ns") == 0);
	CHECK_EQ(spawned.handles[1].handle, env.ns);
	CHECK_EQ(spawned.handles[1].rights & (R_RECV | R_MANAGE), 0);
	CHECK_EQ(closes(give), 1);	     /* the child has its own copy */
	CHECK(fake_ipc_closed((handle_t)p)); /* the caller holds the only handle */
	CHECK(!fake_ipc_closed(env.ns));     /* ours, for the next program */
	CHECK_EQ(fake_ipc_stats.last_badge, 3);
}

static void test_handles_given(void)
{
	handle_t ep = fresh_server(), boot = fake_ipc_handle();

	CHECK(spawn(ep, "hello", 0, NULL, boot, LOADER_F_BOOTSTRAP, NULL) > 0);
	CHECK_EQ(spawned.handle_count, 1); /* a service gets the rest from its supervisor */
	CHECK(strcmp(spawned.handles[0].name, "bootstrap") == 0);
	CHECK_EQ(spawned.handles[0].handle, boot);
	CHECK(spawn(ep, "hello", 0, NULL, HANDLE_INVALID, 0, NULL) > 0);
	CHECK_EQ(spawned.handle_count, 1);
	CHECK(strcmp(spawned.handles[0].name, "ns") == 0);
	CHECK_EQ(spawn(ep, "hello", 0, NULL, HANDLE_INVALID, LOADER_F_BOOTSTRAP, NULL), E_INVAL);
	CHECK_EQ(spawned.count, 2);
}

static void test_refused_images(void)
{
	handle_t ep = fresh_server();
	int elf_err = 0;

	CHECK_EQ(spawn(ep, "script", 0, NULL, HANDLE_INVALID, 0, &elf_err), E_INVAL);
	CHECK_EQ(elf_err, ELF_ERR_MAGIC);
	CHECK_EQ(spawn(ep, "cut", 0, NULL, HANDLE_INVALID, 0, &elf_err), E_INVAL);
	CHECK_EQ(elf_err, ELF_ERR_TRUNCATED);
	CHECK_EQ(spawn(ep, "nosuch", 0, NULL, HANDLE_INVALID, 0, &elf_err), E_NOENT);
	CHECK_EQ(elf_err, 0);
	CHECK_EQ(spawned.count, 0);
}

/* A LOADER_SPAWN built by hand: its status; *m the reply. */
static long raw_spawn(handle_t ep, const char *bytes, uint32_t n, uint32_t words,
		      struct loader_spawn_request rq, struct ipc_msg *m)
{
	*m = (struct ipc_msg){.tag = IPC_TAG(LOADER_SPAWN, words, 0, n)};
	memcpy(m->w, &rq, sizeof(rq));
	memcpy(ipc_buffer()->data, bytes, n);
	long err = ipc_call(ep, m, TIMEOUT_NEVER);
	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m->tag);
}

static void test_malformed_requests(void)
{
	handle_t ep = fresh_server();
	struct ipc_msg m;
	const struct loader_spawn_request two = {2, 10, 0}, none = {0, 10, 0};

	CHECK_EQ(raw_spawn(ep, "hello\0a\0b", 10, 3, two, &m), E_OK);
	CHECK_EQ(raw_spawn(ep, "hello\0a\0b", 10, 2, two, &m), E_INVAL); /* words */
	CHECK_EQ(raw_spawn(ep, "", 0, 3, none, &m), E_INVAL);		 /* no bytes */
	CHECK_EQ(raw_spawn(ep, "hello", 5, 3, none, &m), E_INVAL);	 /* no NUL */
	CHECK_EQ(raw_spawn(ep, "\0a", 3, 3, (struct loader_spawn_request){1, 10, 0}, &m), E_INVAL);
	CHECK_EQ(raw_spawn(ep, "hello\0a", 8, 3, two, &m), E_INVAL);	  /* a string short */
	CHECK_EQ(raw_spawn(ep, "hello\0a\0b", 10, 3, none, &m), E_INVAL); /* strings over */
	CHECK_EQ(raw_spawn(ep, "hello\0a\0b\0\0", 12, 3, two, &m), E_INVAL);
	CHECK_EQ(raw_spawn(ep, "hello", 6, 3, (struct loader_spawn_request){17, 10, 0}, &m),
		 E_RANGE);
	CHECK_EQ(raw_spawn(ep, "hello", 6, 3, (struct loader_spawn_request){0, 32, 0}, &m),
		 E_RANGE);
	CHECK_EQ(raw_spawn(ep, "hello", 6, 3, (struct loader_spawn_request){0, 31, 0}, &m), E_OK);
	CHECK_EQ(raw_spawn(ep, "hello", 6, 3, (struct loader_spawn_request){0, 10, 2}, &m),
		 E_INVAL);
	CHECK_EQ(raw_spawn(ep, "hello", 6, 3, (struct loader_spawn_request){0, 10, 1}, &m),
		 E_INVAL);
	CHECK_EQ(IPC_TAG_WORDS(m.tag), 1); /* an error reply: w0 = 0, no handle */
	CHECK_EQ(m.w[0], 0);
	CHECK_EQ(IPC_TAG_CAP(m.tag), 0);
	CHECK_EQ(spawned.count, 2);
}

static void test_argument_limits(void)
{
	handle_t ep = fresh_server(), give = fake_ipc_handle();
	char arg[101];
	const char *argv[LOADER_MAX_ARGS + 1];
	struct ipc_msg m = {.tag = IPC_TAG(LOADER_SPAWN, 3, 1, 6), .cap = give};

	memset(arg, 'x', 100);
	arg[100] = '\0';
	for (int i = 0; i <= LOADER_MAX_ARGS; i++)
		argv[i] = arg;
	CHECK(spawn(ep, "hello", 10, argv, HANDLE_INVALID, 0, NULL) > 0); /* 1010 bytes */
	CHECK_EQ(spawn(ep, "hello", 11, argv, HANDLE_INVALID, 0, NULL), E_RANGE);
	memcpy(ipc_buffer()->data, "hello", 6);
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK); /* argc, priority and flags 0 */
	CHECK_EQ(IPC_TAG_LABEL(m.tag), E_OK);
	m = (struct ipc_msg){.tag = IPC_TAG(LOADER_SPAWN, 0, 1, 6), .cap = give};
	CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
	CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	CHECK_EQ(fake_ipc_stats.caps_closed, 2); /* spawned or refused, the loop closes it */
	CHECK_EQ(spawned.count, 2);
}

static void test_stub_checks(void)
{
	handle_t ep = fresh_server();
	const char *argv[LOADER_MAX_ARGS + 1] = {0};
	static char huge[LOADER_MAX_REQUEST + 1];

	memset(huge, 'y', LOADER_MAX_REQUEST);
	CHECK_EQ(spawn(ep, "hello", LOADER_MAX_ARGS + 1, argv, HANDLE_INVALID, 0, NULL), E_RANGE);
	CHECK_EQ(spawn(ep, "hello", -1, argv, HANDLE_INVALID, 0, NULL), E_INVAL);
	CHECK_EQ(spawn(ep, "", 0, NULL, HANDLE_INVALID, 0, NULL), E_INVAL);
	CHECK_EQ(spawn(ep, NULL, 0, NULL, HANDLE_INVALID, 0, NULL), E_INVAL);
	CHECK_EQ(spawn(ep, huge, 0, NULL, HANDLE_INVALID, 0, NULL), E_RANGE);
	CHECK_EQ(fake_ipc_stats.calls, 0);
	CHECK_EQ(loader_spawn(HANDLE_INVALID, "hello", 0, NULL, 10, HANDLE_INVALID, NULL),
		 E_BADHANDLE);
}

static void test_never_resent(void)
{
	handle_t ep = fresh_server();

	fake_ipc_fail_next(E_RESTARTED, 1, 1); /* started, but the reply was lost */
	CHECK_EQ(loader_spawn(ep, "hello", 0, NULL, 10, HANDLE_INVALID, NULL), E_RESTARTED);
	CHECK_EQ(fake_ipc_stats.calls, 1);
	CHECK_EQ(spawned.count, 1);
	fake_ipc_fail_next(E_RESTARTED, 1, 0);
	CHECK_EQ(loader_spawn(ep, "hello", 0, NULL, 10, HANDLE_INVALID, NULL), E_RESTARTED);
	CHECK_EQ(fake_ipc_stats.calls, 1);
}

int main(void)
{
	build_good_elf();
	test_spawn_with_arguments();
	test_handles_given();
	test_refused_images();
	test_malformed_requests();
	test_argument_limits();
	test_stub_checks();
	test_never_resent();
	return check_summary("loader");
}
