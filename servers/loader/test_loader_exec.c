/* SPDX-License-Identifier: MIT */
/*
 * Host test of the loader's images and exec sessions (proto/loader.h:
 * LOADER_IMAGE, LOADER_EXEC_*): the client stubs and hand-built requests
 * go through the fake transport into the protocol's decode and the real
 * handlers (loader.c, loader_exec.c) over the fake system of
 * test_loader_fixture.h. Shows an exec from a memory object with two named
 * handles (and "ns"), every refused begin, handle and start, the session
 * limits, sessions owned by their badge, a client's sessions ended by its
 * client-death notice, the stub cancelling after a failed step, and on
 * every path that each handle the loader took is closed exactly once and
 * no session or watch is left behind.
 */
#include "test_loader_fixture.h"

#define IMAGE_RIGHTS (R_READ | R_DUP | R_TRANSFER)

static handle_t image_of(const uint8_t *bytes, uint64_t object_size)
{
	return fake_obj(KOBJ_MOBJ, IMAGE_RIGHTS, object_size, bytes);
}

static handle_t a_notification(void)
{
	return fake_obj(KOBJ_NOTIFICATION, R_SIGNAL | R_TRANSFER, 0, NULL);
}

static struct loader_exec_args exec_args(handle_t image, uint64_t size)
{
	return (struct loader_exec_args){.image = image,
					 .size = size,
					 .program = "copy",
					 .priority = 11,
					 .timeout = TIMEOUT_NEVER};
}

static uint32_t open_sessions(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++)
		n += env.sessions[i].id != 0;
	return n;
}

/* A request built by hand: its status, the reply in *m. */
static long raw(handle_t ep, uint16_t label, uint32_t words, const uint64_t *w, handle_t cap,
		const char *bytes, uint32_t n, struct ipc_msg *m)
{
	*m = (struct ipc_msg){.tag = IPC_TAG(label, words, cap != HANDLE_INVALID, n), .cap = cap};
	if (words)
		memcpy(m->w, w, words * sizeof(uint64_t));
	if (n)
		memcpy(ipc_buffer()->data, bytes, n);
	long err = ipc_call(ep, m, TIMEOUT_NEVER);
	return err < 0 ? err : (int16_t)IPC_TAG_LABEL(m->tag);
}

static void test_exec_two_handles(void)
{
	fixture_reset();
	handle_t ep = fixture_client(5), image = image_of(good_elf, 4096);
	handle_t first = a_notification(), second = fake_obj(KOBJ_MOBJ, R_READ, 8192, NULL);
	const char *const argv[] = {"a", "b"};
	const struct loader_exec_handle hs[] = {{"first", first}, {"second", second}};
	struct loader_exec_args a = exec_args(image, GOOD_SIZE);
	int elf_err = -1;

	a.argc = 2, a.argv = argv, a.handle_count = 2, a.handles = hs;
	long p = loader_exec(ep, &a, &elf_err);
	CHECK(p > 0);
	CHECK_EQ(elf_err, 0);
	CHECK(strcmp(spawned.name, "copy") == 0);
	CHECK(spawned.argc == 2 && strcmp(spawned.argv[1], "b") == 0);
	CHECK_EQ(spawned.priority, 11);
	CHECK_EQ(spawned.handle_count, 3);
	CHECK(strcmp(spawned.handles[0].name, "first") == 0 && spawned.handles[0].handle == first);
	CHECK(strcmp(spawned.handles[1].name, "second") == 0);
	CHECK_EQ(spawned.handles[1].size, 8192); /* a memory object's size travels along */
	CHECK(strcmp(spawned.handles[2].name, "ns") == 0 && spawned.handles[2].handle == env.ns);
	CHECK_EQ(closes(image), 1); /* the child has its copies: the loader keeps nothing */
	CHECK_EQ(closes(first), 1);
	CHECK_EQ(closes(second), 1);
	CHECK_EQ(closes((handle_t)p), 1); /* the caller holds the only handle */
	CHECK_EQ(closes(env.ns), 0);
	CHECK_EQ(open_sessions(), 0);
	CHECK_EQ(watches.count, 0); /* armed while the session was open, cancelled with it */
}

static void test_image(void)
{
	uint64_t size = 0;

	fixture_reset();
	handle_t ep = fixture_client(5);
	obj_of(env.ns)->module = "ns"; /* a start handle that is no module */
	long h = loader_image(ep, "hello", &size);
	CHECK(h > 0);
	CHECK_EQ(size, GOOD_SIZE);
	CHECK(obj_of((handle_t)h) && obj_of((handle_t)h)->rights == IMAGE_RIGHTS);
	CHECK_EQ(closes((handle_t)h), 1); /* carried away by the reply */
	CHECK_EQ(loader_image(ep, "nosuch", &size), E_NOENT);
	CHECK_EQ(loader_image(ep, "ns", &size), E_NOENT);
	CHECK_EQ(loader_image(ep, "", &size), E_INVAL);
	CHECK_EQ(loader_image(ep, "a-name-of-twenty-four-ch", &size), E_INVAL);
	struct ipc_msg m;
	CHECK_EQ(raw(ep, LOADER_IMAGE, 0, NULL, HANDLE_INVALID, "hello", 5, &m), E_INVAL);
	CHECK_EQ(raw(ep, LOADER_IMAGE, 0, NULL, HANDLE_INVALID, "hello\0x", 8, &m), E_INVAL);
	handle_t extra = a_notification();
	CHECK_EQ(raw(ep, LOADER_IMAGE, 0, NULL, extra, "hello", 6, &m), E_INVAL);
	CHECK_EQ(closes(extra), 1);
}

/* A begin that must fail with `want`: the image is closed once, by the loop. */
static void begin_refused(handle_t ep, handle_t image, uint64_t size, long want)
{
	struct loader_exec_args a = exec_args(image, size);

	CHECK_EQ(loader_exec_begin(ep, &a), want);
	CHECK_EQ(closes(image), 1);
	CHECK(fake_ipc_closed(image));
}

static void test_begin_refused(void)
{
	fixture_reset();
	handle_t ep = fixture_client(6);

	begin_refused(ep, image_of(good_elf, 4096), 0, E_INVAL);
	begin_refused(ep, image_of(good_elf, 4096), 4097, E_RANGE); /* beyond the object */
	begin_refused(ep, image_of(good_elf, 4096), LOADER_MAX_IMAGE + 1ull, E_RANGE);
	begin_refused(ep, a_notification(), GOOD_SIZE, E_TYPE);
	begin_refused(ep, fake_obj(KOBJ_MOBJ, R_TRANSFER, 4096, good_elf), GOOD_SIZE, E_RIGHTS);
	watches.fail = E_NOSPACE; /* the kernel's watch limit */
	begin_refused(ep, image_of(good_elf, 4096), GOOD_SIZE, E_NOSPACE);
	watches.gone = 6; /* the client went while it asked */
	begin_refused(ep, image_of(good_elf, 4096), GOOD_SIZE, E_CLOSED);
	CHECK_EQ(open_sessions(), 0);
	CHECK_EQ(watches.count, 0);
}

static void test_begin_malformed(void)
{
	fixture_reset();
	handle_t ep = fixture_client(6), image;
	struct ipc_msg m;
	const uint64_t ok[4] = {GOOD_SIZE, 0, 10, 0}, flags[4] = {GOOD_SIZE, 0, 10, 1};
	const uint64_t prio[4] = {GOOD_SIZE, 0, 32, 0}, argc[4] = {GOOD_SIZE, 1, 10, 0};

	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 4, ok, HANDLE_INVALID, "p", 2, &m), E_INVAL);
	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 4, flags, image = image_of(good_elf, 4096), "p", 2, &m),
		 E_INVAL);
	CHECK_EQ(closes(image), 1);
	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 4, prio, image = image_of(good_elf, 4096), "p", 2, &m),
		 E_RANGE);
	CHECK_EQ(closes(image), 1);
	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 4, argc, image = image_of(good_elf, 4096), "p", 2, &m),
		 E_INVAL); /* an argument short */
	CHECK_EQ(closes(image), 1);
	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 3, ok, image = image_of(good_elf, 4096), "p", 2, &m),
		 E_INVAL); /* a word short */
	CHECK_EQ(closes(image), 1);
	CHECK_EQ(raw(ep, LOADER_EXEC_BEGIN, 4, ok, image = image_of(good_elf, 4096), "p", 1, &m),
		 E_INVAL); /* no NUL */
	CHECK_EQ(closes(image), 1);
	CHECK(raw(ep, LOADER_EXEC_BEGIN, 4, ok, image = image_of(good_elf, 4096), "p", 2, &m) == 0);
	CHECK(m.w[0] > 0 && IPC_TAG_WORDS(m.tag) == 1);
	CHECK_EQ(closes(image), 0); /* the session's */
	CHECK_EQ(loader_exec_cancel(fixture_client(6), m.w[0], TIMEOUT_NEVER), E_OK);
	CHECK_EQ(closes(image), 1);
}

/* A session for badge's client with a fresh image; its id. */
static long begin(uint64_t badge, handle_t *image)
{
	struct loader_exec_args a = exec_args(*image = image_of(good_elf, 4096), GOOD_SIZE);

	return loader_exec_begin(fixture_client(badge), &a);
}

static void test_session_limits(void)
{
	handle_t images[LOADER_MAX_SESSIONS + 2];
	long ids[LOADER_MAX_SESSIONS + 2];

	fixture_reset();
	CHECK((ids[0] = begin(10, &images[0])) > 0);
	CHECK((ids[1] = begin(10, &images[1])) > 0);
	CHECK_EQ(begin(10, &images[8]), E_NOSPACE); /* a third for one client */
	for (uint32_t i = 2; i < LOADER_MAX_SESSIONS; i++)
		CHECK((ids[i] = begin(10 + i / 2, &images[i])) > 0); /* two per client */
	CHECK_EQ(begin(99, &images[9]), E_NOSPACE);		     /* the table is full */
	CHECK_EQ(closes(images[8]) + closes(images[9]), 2);
	CHECK_EQ(watches.count, LOADER_MAX_SESSIONS / 2);
	CHECK_EQ(loader_exec_cancel(fixture_client(10), (uint64_t)ids[0], TIMEOUT_NEVER), E_OK);
	CHECK_EQ(watches.count, LOADER_MAX_SESSIONS / 2); /* client 10 has one session left */
	CHECK_EQ(loader_exec_cancel(fixture_client(10), (uint64_t)ids[1], TIMEOUT_NEVER), E_OK);
	CHECK_EQ(watches.count, LOADER_MAX_SESSIONS / 2 - 1);
	CHECK(begin(99, &images[9]) > 0); /* room again */
	CHECK_EQ(loader_exec_cancel(fixture_client(10), (uint64_t)ids[0], TIMEOUT_NEVER), E_NOENT);
	CHECK_EQ(loader_exec_cancel(fixture_client(12), (uint64_t)ids[2], TIMEOUT_NEVER), E_NOENT);
	for (uint32_t i = 0; i < LOADER_MAX_SESSIONS; i++)
		CHECK_EQ(closes(images[i]), i < 2 ? 1 : 0);
}

/* Give h to the session as `name` through the stub: its status. */
static long give(uint64_t badge, long session, const char *name, handle_t h)
{
	return loader_exec_handle(fixture_client(badge), (uint64_t)session, name, h, TIMEOUT_NEVER);
}

static void test_handles_refused(void)
{
	handle_t image, hs[LOADER_EXEC_MAX_HANDLES + 1], other;
	char name[START_NAME_MAX];
	struct ipc_msg m;

	fixture_reset();
	long id = begin(20, &image);
	for (uint32_t i = 0; i <= LOADER_EXEC_MAX_HANDLES; i++) {
		snprintf(name, sizeof(name), "h%u", i);
		CHECK_EQ(give(20, id, name, hs[i] = a_notification()),
			 i < LOADER_EXEC_MAX_HANDLES ? E_OK : E_NOSPACE);
	}
	CHECK_EQ(closes(hs[LOADER_EXEC_MAX_HANDLES]), 1); /* refused: the loop closed it */
	CHECK_EQ(give(20, id + 1, "x", other = a_notification()), E_NOENT);
	CHECK_EQ(closes(other), 1);
	CHECK_EQ(give(21, id, "x", other = a_notification()), E_NOENT); /* not its session */
	CHECK_EQ(closes(other), 1);
	const uint64_t w[1] = {(uint64_t)id};
	CHECK_EQ(raw(fixture_client(20), LOADER_EXEC_HANDLE, 1, w, HANDLE_INVALID, "x", 2, &m),
		 E_INVAL); /* no handle */
	CHECK_EQ(raw(fixture_client(20), LOADER_EXEC_HANDLE, 1, w, other = a_notification(), "", 1,
		     &m),
		 E_INVAL); /* no name */
	CHECK_EQ(raw(fixture_client(20), LOADER_EXEC_HANDLE, 0, w, a_notification(), "x", 2, &m),
		 E_INVAL); /* no session word */
	CHECK_EQ(closes(other), 1);
	CHECK_EQ(loader_exec_cancel(fixture_client(20), (uint64_t)id, TIMEOUT_NEVER), E_OK);
	for (uint32_t i = 0; i < LOADER_EXEC_MAX_HANDLES; i++)
		CHECK_EQ(closes(hs[i]), 1);
	CHECK_EQ(closes(image), 1);
}

static void test_duplicate_and_ns(void)
{
	handle_t image, a, b, ns;

	fixture_reset();
	a = a_notification(), b = a_notification(), ns = a_notification();
	long id = begin(22, &image);
	CHECK_EQ(give(22, id, "same", a), E_OK);
	CHECK_EQ(give(22, id, "same", b), E_EXISTS);
	CHECK_EQ(give(22, id, "ns", ns), E_OK); /* the client's own "ns" instead of ours */
	CHECK(loader_exec_start(fixture_client(22), (uint64_t)id, NULL, TIMEOUT_NEVER) > 0);
	CHECK_EQ(spawned.handle_count, 2);
	CHECK(strcmp(spawned.handles[1].name, "ns") == 0 && spawned.handles[1].handle == ns);
	CHECK_EQ(closes(a) + closes(b) + closes(ns) + closes(image), 4);
}

static void test_start_failures(void)
{
	handle_t image, h, extra;
	struct loader_exec_args a;
	int elf_err = 0;
	struct ipc_msg m;

	fixture_reset();
	h = a_notification(), extra = a_notification();
	a = exec_args(image = image_of((const uint8_t *)not_elf, 4096), sizeof(not_elf));
	long id = loader_exec_begin(fixture_client(30), &a);
	CHECK(id > 0);
	CHECK_EQ(give(30, id, "h", h), E_OK);
	CHECK_EQ(loader_exec_start(fixture_client(30), (uint64_t)id, &elf_err, TIMEOUT_NEVER),
		 E_INVAL);
	CHECK_EQ(elf_err, ELF_ERR_MAGIC);
	CHECK_EQ(closes(image) + closes(h), 2); /* ended although nothing started */
	CHECK_EQ(loader_exec_start(fixture_client(30), (uint64_t)id, &elf_err, TIMEOUT_NEVER),
		 E_NOENT);
	CHECK_EQ(open_sessions(), 0);
	CHECK_EQ(watches.count, 0);
	id = begin(30, &image);
	const uint64_t w[1] = {(uint64_t)id};
	CHECK_EQ(raw(fixture_client(30), LOADER_EXEC_START, 1, w, extra, NULL, 0, &m), E_INVAL);
	CHECK_EQ(raw(fixture_client(30), LOADER_EXEC_CANCEL, 0, w, HANDLE_INVALID, NULL, 0, &m),
		 E_INVAL);
	CHECK_EQ(closes(extra), 1);
	CHECK_EQ(open_sessions(), 1); /* malformed requests change nothing */
	CHECK_EQ(spawned.count, 0);
}

/* The kernel's notice that no handle carries `badge` any more. */
static void client_gone(uint64_t badge)
{
	struct ipc_msg m = {.tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0), .w = {badge}};

	fake_ipc_event(fixture_client(badge), &m);
}

static void test_client_gone(void)
{
	handle_t i1, i2, i3, h1, h2, h3;

	fixture_reset();
	h1 = a_notification(), h2 = a_notification(), h3 = a_notification();
	long s1 = begin(40, &i1), s2 = begin(40, &i2), s3 = begin(41, &i3);
	CHECK(s1 > 0 && s2 > 0 && s3 > 0);
	CHECK_EQ(give(40, s1, "a", h1) + give(40, s2, "a", h2) + give(41, s3, "a", h3), E_OK);
	CHECK(armed(40) && armed(41));
	client_gone(40);
	CHECK_EQ(closes(i1) + closes(i2) + closes(h1) + closes(h2), 4);
	CHECK_EQ(closes(i3) + closes(h3), 0); /* another client's session stays */
	CHECK_EQ(open_sessions(), 1);
	CHECK_EQ(give(40, s1, "b", a_notification()), E_NOENT);
	client_gone(40); /* a late or repeated notice changes nothing */
	client_gone(77); /* nor one for a client without sessions */
	CHECK_EQ(open_sessions(), 1);
	CHECK(loader_exec_start(fixture_client(41), (uint64_t)s3, NULL, TIMEOUT_NEVER) > 0);
	CHECK_EQ(closes(i3) + closes(h3), 2);
}

static void test_stub_cancels(void)
{
	handle_t image, hs[LOADER_EXEC_MAX_HANDLES + 1];
	struct loader_exec_handle named[LOADER_EXEC_MAX_HANDLES + 1];
	char names[LOADER_EXEC_MAX_HANDLES + 1][8];

	fixture_reset();
	struct loader_exec_args a = exec_args(image = image_of(good_elf, 4096), GOOD_SIZE);
	for (uint32_t i = 0; i <= LOADER_EXEC_MAX_HANDLES; i++) {
		snprintf(names[i], sizeof(names[i]), "h%u", i);
		named[i] = (struct loader_exec_handle){names[i], hs[i] = a_notification()};
	}
	a.handles = named, a.handle_count = LOADER_EXEC_MAX_HANDLES + 1;
	CHECK_EQ(loader_exec(fixture_client(50), &a, NULL), E_NOSPACE);
	for (uint32_t i = 0; i <= LOADER_EXEC_MAX_HANDLES; i++)
		CHECK_EQ(closes(hs[i]), 1);
	CHECK_EQ(closes(image), 1);
	CHECK_EQ(open_sessions(), 0);
	a.image = image_of(good_elf, 4096), a.handle_count = 1;
	named[0].name = "";
	CHECK_EQ(loader_exec(fixture_client(50), &a, NULL), E_INVAL); /* the stub's own check */
	CHECK_EQ(closes(a.image), 1);
	CHECK_EQ(open_sessions(), 0);
	CHECK_EQ(watches.count, 0);
	CHECK_EQ(spawned.count, 0);
}

static void test_init_badge(void)
{
	handle_t image;

	fixture_reset();
	long id = begin(0, &image); /* init's own handle: it never goes, so nothing is armed */
	CHECK(id > 0);
	CHECK_EQ(watches.count, 0);
	CHECK(loader_exec_start(fixture_client(0), (uint64_t)id, NULL, TIMEOUT_NEVER) > 0);
	CHECK_EQ(closes(image), 1);
}

int main(void)
{
	build_good_elf();
	test_exec_two_handles();
	test_image();
	test_begin_refused();
	test_begin_malformed();
	test_session_limits();
	test_handles_refused();
	test_duplicate_and_ns();
	test_start_failures();
	test_client_gone();
	test_stub_cancels();
	test_init_badge();
	return check_summary("loader_exec");
}
