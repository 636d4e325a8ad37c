/* SPDX-License-Identifier: MIT */
/*
 * Host test of programs from files (loader_file.c, LOADER_SPAWN's rules
 * and LOADER_EXEC_F_PATH): the client stubs -> fake transport -> the
 * decode -> the real handlers, with a fake env->load_file serving a table
 * of files (an ELF, a directory, a text file, a truncated ELF). Like the
 * real one, whose path library speaks IPC, the fake scribbles over the
 * loader's IPC buffer, so the program's name and arguments must have been
 * copied out before. Names that are no module are found in /bin, paths
 * as given (relative ones from "/"); each file's object is closed once.
 */
#include "test_loader_fixture.h"

struct fake_file {
	const char *path;
	long err; /* what load_file answers; E_OK: the bytes below */
	const uint8_t *bytes;
	uint32_t size;
};

static const struct fake_file files[] = {
	{"/bin/tool", E_OK, good_elf, GOOD_SIZE},
	{"/mnt/share/tool", E_OK, good_elf, GOOD_SIZE},
	{"/bin/cut", E_OK, good_elf, 40},
	{"/bin/dir", E_ISDIR, NULL, 0},
	{"/docs/text", E_NOEXEC, NULL, 0},
	{"/bin/slow", E_TIMEOUT, NULL, 0}, /* the disk does not answer */
};

static struct {
	int calls;
	char last[LOADER_PATH_MAX];
	handle_t made[16];
	int count;
} loads;

static long fake_load_file(const char *path, handle_t *image, uint32_t *size)
{
	loads.calls++;
	snprintf(loads.last, sizeof(loads.last), "%s", path);
	memset(ipc_buffer()->data, 'X', 64); /* what the path library's calls do to it */
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (strcmp(files[i].path, path) != 0)
			continue;
		if (files[i].err != E_OK)
			return files[i].err;
		*image = fake_obj(KOBJ_MOBJ, R_ALL, files[i].size, files[i].bytes);
		*size = files[i].size;
		loads.made[loads.count++] = *image;
		return E_OK;
	}
	return E_NOENT;
}

static handle_t fresh(void)
{
	fixture_reset();
	memset(&loads, 0, sizeof(loads));
	env.load_file = fake_load_file;
	return fixture_client(4);
}

static long spawn(handle_t ep, const char *program, int argc, const char *const *argv, int *elf_err)
{
	struct loader_spawn_args a = {program, argc, argv, 12, HANDLE_INVALID, 0, TIMEOUT_NEVER};
	return loader_spawn_ex(ep, &a, elf_err);
}

static void test_bin_and_paths(void)
{
	const char *const argv[] = {"-l", "/mnt/share"};
	handle_t ep = fresh();

	CHECK(spawn(ep, "hello", 0, NULL, NULL) > 0); /* a module: no file read */
	CHECK_EQ(loads.calls, 0);
	CHECK(spawn(ep, "tool", 2, argv, NULL) > 0);
	CHECK(!strcmp(loads.last, "/bin/tool"));
	CHECK(!strcmp(spawned.name, "tool"));
	CHECK_EQ(spawned.argc, 2);
	CHECK(!strcmp(spawned.argv[0], "-l") && !strcmp(spawned.argv[1], "/mnt/share"));
	CHECK(spawn(ep, "/mnt/share/tool", 1, argv, NULL) > 0);
	CHECK(!strcmp(spawned.name, "tool") && !strcmp(spawned.argv[0], "-l"));
	CHECK(spawn(ep, "bin/tool", 0, NULL, NULL) > 0);
	CHECK(!strcmp(loads.last, "/bin/tool")); /* relative: from "/" */
	CHECK_EQ(loads.count, 3);
	for (int i = 0; i < loads.count; i++)
		CHECK_EQ(closes(loads.made[i]), 1);
}

static void test_bad_files(void)
{
	handle_t ep = fresh();
	char long_path[LOADER_PATH_MAX + 8];
	int elf_err = 0;

	CHECK_EQ(spawn(ep, "nosuch", 0, NULL, NULL), E_NOENT);
	CHECK(!strcmp(loads.last, "/bin/nosuch"));
	CHECK_EQ(spawn(ep, "/bin/dir", 0, NULL, NULL), E_ISDIR);
	CHECK_EQ(spawn(ep, "/docs/text", 0, NULL, NULL), E_NOEXEC);
	CHECK_EQ(spawn(ep, "slow", 0, NULL, NULL), E_NOENT); /* no program by that name */
	CHECK_EQ(spawn(ep, "/bin/slow", 0, NULL, NULL), E_TIMEOUT);
	CHECK_EQ(spawn(ep, "/bin/cut", 0, NULL, &elf_err), E_INVAL);
	CHECK_EQ(elf_err, ELF_ERR_TRUNCATED);
	CHECK_EQ(closes(loads.made[0]), 1);
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	CHECK_EQ(spawn(ep, long_path, 0, NULL, NULL), E_NAMETOOLONG);
	CHECK_EQ(spawned.count, 0);
}

static long exec_path(handle_t ep, const char *program, int argc, const char *const *argv,
		      int *elf_err)
{
	static const struct loader_exec_handle hs[] = {{"stdin", 0}, {"stdout", 0}};
	struct loader_exec_handle given[2] = {{hs[0].name, fake_ipc_handle()},
					      {hs[1].name, fake_ipc_handle()}};
	struct loader_exec_args a = {.program = program,
				     .argc = argc,
				     .argv = argv,
				     .priority = 9,
				     .handle_count = 2,
				     .handles = given,
				     .timeout = TIMEOUT_NEVER};
	return loader_exec_path(ep, &a, elf_err);
}

static void test_exec_by_path(void)
{
	const char *const argv[] = {"x.txt"};
	handle_t ep = fresh();
	int elf_err = 0;

	CHECK(exec_path(ep, "/bin/tool", 1, argv, &elf_err) > 0);
	CHECK(!strcmp(spawned.name, "tool") && spawned.argc == 1);
	CHECK(!strcmp(spawned.argv[0], "x.txt"));
	CHECK(!strcmp(spawned.handles[0].name, "stdin") &&
	      !strcmp(spawned.handles[1].name, "stdout"));
	CHECK_EQ(closes(loads.made[0]), 1); /* the session's, closed when it started */
	CHECK(exec_path(ep, "hello", 0, NULL, &elf_err) > 0); /* a module, by name */
	CHECK_EQ(loads.calls, 1);
	CHECK_EQ(closes(objs[1].h), 0); /* the module itself stays (a copy was the session's) */
	CHECK_EQ(exec_path(ep, "/bin/nosuch", 0, NULL, &elf_err), E_NOENT);
	CHECK_EQ(exec_path(ep, "/bin/cut", 0, NULL, &elf_err), E_INVAL);
	CHECK_EQ(elf_err, ELF_ERR_TRUNCATED);
	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++)
		CHECK_EQ(env.sessions[i].id, 0); /* nothing left open */
	CHECK_EQ(watches.count, 0);
}

/* A begin by path carries no image and no size; one with an image carries both. */
static void test_malformed_begin(void)
{
	handle_t ep = fresh();
	struct {
		uint64_t size, flags;
		bool cap;
	} bad[] = {{0, LOADER_EXEC_F_PATH, true},
		   {100, LOADER_EXEC_F_PATH, false},
		   {0, 0, true},
		   {GOOD_SIZE, 2, true},
		   {0, 0, false}};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(ipc_buffer()->data, "/bin/tool", 10);
		struct ipc_msg m = {.tag = IPC_TAG(LOADER_EXEC_BEGIN, 4, bad[i].cap, 10),
				    .w = {bad[i].size, 0, 5, bad[i].flags},
				    .cap = bad[i].cap
						   ? fake_obj(KOBJ_MOBJ, R_ALL, GOOD_SIZE, good_elf)
						   : HANDLE_INVALID};
		CHECK_EQ(ipc_call(ep, &m, TIMEOUT_NEVER), E_OK);
		CHECK_EQ((int16_t)IPC_TAG_LABEL(m.tag), E_INVAL);
	}
	CHECK_EQ(loads.calls, 0);
}

int main(void)
{
	build_good_elf();
	test_bin_and_paths();
	test_bad_files();
	test_exec_by_path();
	test_malformed_begin();
	return check_summary("loader_file");
}
