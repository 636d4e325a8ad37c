/* SPDX-License-Identifier: MIT */
/*
 * The other side of the tests. ut_serve answers the small test protocol of
 * utest.h, in a thread of the test process or in a second utest process
 * (role "server", serving the endpoint it got as "parent"). The remaining
 * roles are children that misbehave on purpose or just exit, so the parent
 * can check what the kernel makes of them.
 */
#include <stdlib.h>
#include <string.h>

#include "proto/loader.h"
#include "proto/ns.h"
#include "sys/start.h"
#include "sys/thread.h"
#include "utest.h"

struct serve_state {
	uint64_t shm_bytes;   /* mapped at UT_SERVER_SHM_VA when non-zero */
	handle_t close_after; /* a handle the last reply carried: ours goes after it */
};

static long do_echo(struct ipc_msg *m)
{
	uint32_t words = IPC_TAG_WORDS(m->tag), bytes = IPC_TAG_BYTES(m->tag);
	struct ipc_buffer *b = ipc_buffer();

	for (uint32_t i = 0; i < words; i++)
		m->w[i] = ~m->w[i];
	for (uint32_t i = 0; i < bytes && b; i++)
		b->data[i] ^= 0xFF;
	m->tag = IPC_TAG(0, words, 0, bytes);
	return E_OK;
}

static long do_capinfo(uint64_t in_tag, struct ipc_msg *m)
{
	struct handle_info info;

	if (!IPC_TAG_CAP(in_tag))
		return E_INVAL;
	long err = sys_handle_info(m->cap, &info);
	sys_handle_close(m->cap);
	if (err < 0)
		return err;
	m->w[0] = info.type;
	m->w[1] = info.rights;
	m->tag = IPC_TAG(0, 2, 0, 0);
	return E_OK;
}

static long do_give(struct serve_state *s, struct ipc_msg *m)
{
	long n = sys_ntfn_create();

	if (n < 0)
		return n;
	m->cap = (handle_t)n;
	s->close_after = (handle_t)n;
	m->tag = IPC_TAG(0, 0, 1, 0);
	return E_OK;
}

static void shm_unmap(struct serve_state *s)
{
	if (s->shm_bytes)
		sys_unmap(HANDLE_SELF, UT_SERVER_SHM_VA, s->shm_bytes);
	s->shm_bytes = 0;
}

static long do_shm_map(struct serve_state *s, uint64_t in_tag, struct ipc_msg *m)
{
	uint64_t bytes = m->w[0], seed = m->w[1];
	uint8_t *p = (uint8_t *)UT_SERVER_SHM_VA;

	if (!IPC_TAG_CAP(in_tag))
		return E_INVAL;
	shm_unmap(s);
	long err = sys_mobj_map(HANDLE_SELF, m->cap, UT_SERVER_SHM_VA, 0, bytes, R_READ | R_WRITE);
	sys_handle_close(m->cap);
	if (err < 0)
		return err;
	s->shm_bytes = bytes;
	if (!ut_check(p, bytes / 2, seed))
		return E_INVAL;
	ut_fill(p + bytes / 2, bytes / 2, seed + 1);
	return E_OK;
}

static long do_shm_check(const struct serve_state *s, const struct ipc_msg *m)
{
	if (!s->shm_bytes)
		return E_NOENT;
	return ut_check((const void *)UT_SERVER_SHM_VA, s->shm_bytes / 2, m->w[0]) ? E_OK : E_INVAL;
}

static bool wants_cap(uint32_t label)
{
	return label == UT_CAPINFO || label == UT_SHM_MAP;
}

static void crash(void)
{
	(void)*(volatile uint64_t *)UT_KERNEL_TEXT;
}

/* Turn the request in m into its reply (status in the label). */
static void dispatch(struct serve_state *s, struct ipc_msg *m)
{
	uint64_t in_tag = m->tag;
	uint32_t label = IPC_TAG_LABEL(in_tag);
	long status = E_OK;

	if (IPC_TAG_CAP(in_tag) && !wants_cap(label))
		sys_handle_close(m->cap); /* not asked for: do not keep it */
	m->tag = 0;
	switch (label) {
	case UT_ECHO:
		m->tag = in_tag;
		status = do_echo(m);
		break;
	case UT_TAGINFO:
	case UT_BADGE:
		m->w[0] = label == UT_BADGE ? m->badge : in_tag;
		m->w[1] = m->badge;
		m->tag = IPC_TAG(0, 2, 0, 0);
		break;
	case UT_CAPINFO:
		status = do_capinfo(in_tag, m);
		break;
	case UT_GIVE:
		status = do_give(s, m);
		break;
	case UT_SHM_MAP:
		status = do_shm_map(s, in_tag, m);
		break;
	case UT_SHM_CHECK:
		status = do_shm_check(s, m);
		break;
	case UT_EXIT:
		sys_process_exit((int)m->w[0]);
	case UT_CRASH:
		crash();
		status = E_INVAL; /* still here: the kernel let us read it */
		break;
	case UT_QUIT:
		break;
	default:
		status = E_NOSYS;
	}
	if (status < 0)
		m->tag = 0; /* an error reply carries nothing but its status */
	m->tag = (m->tag & ~0xFFFFull) | (uint16_t)status;
}

long ut_serve(handle_t ep)
{
	struct serve_state s = {0};
	struct ipc_msg m;
	long err = ipc_recv(ep, &m, TIMEOUT_NEVER);

	while (err == E_OK) {
		if (IPC_TAG_LABEL(m.tag) == IPC_LABEL_NOTIFY) {
			err = ipc_recv(ep, &m, TIMEOUT_NEVER);
			continue;
		}
		bool quit = IPC_TAG_LABEL(m.tag) == UT_QUIT;
		dispatch(&s, &m);
		if (quit) {
			err = ipc_reply(HANDLE_INVALID, &m);
			break;
		}
		handle_t done = s.close_after;
		s.close_after = HANDLE_INVALID;
		err = ipc_reply_recv(ep, &m, TIMEOUT_NEVER);
		if (done != HANDLE_INVALID)
			sys_handle_close(done);
	}
	shm_unmap(&s);
	return err;
}

void ut_serve_thread(void *ep)
{
	ut_serve((handle_t)(uintptr_t)ep);
}

long ut_call(handle_t ep, uint16_t label, uint32_t words, struct ipc_msg *m)
{
	m->tag = IPC_TAG(label, words, 0, 0);
	long err = ipc_call(ep, m, TIMEOUT_NEVER);
	return err < 0 ? err : ut_status(m->tag);
}

/* --- roles of a child process: argv[0] is the role, argv[1] its argument --- */

static uint8_t data_code[16] = {0xC3}; /* "ret", in a writable, never executable page */

static int role_server(void)
{
	long err = ut_serve(start_handle("parent", NULL));
	return err == E_OK ? 0 : (int)(100 - err);
}

/* Use a handle number we were never given: the kernel must not find it. */
static int role_call(uint64_t h)
{
	struct handle_info info;
	struct ipc_msg m = {.tag = IPC_TAG(UT_ECHO, 0, 0, 0)};

	if (sys_handle_info((handle_t)h, &info) != E_BADHANDLE)
		return 1;
	return (int)(100 - ipc_call((handle_t)h, &m, 0));
}

/* Call the endpoint we were given and check the answer. */
static int role_client(void)
{
	struct ipc_msg m = {.tag = IPC_TAG(UT_ECHO, 1, 0, 0), .w = {5}};
	long err = ipc_call(start_handle("parent", NULL), &m, TIMEOUT_NEVER);

	if (err < 0)
		return (int)(100 - err);
	return m.w[0] == ~5ull ? 0 : 1;
}

/* Open state in the server given as "parent", then exit, or wait to be killed. */
static int role_open(bool wait)
{
	struct ipc_msg m = {0};
	long err = ut_call(start_handle("parent", NULL), UT_OPEN, 0, &m);

	if (err < 0)
		return (int)(100 - err);
	while (wait)
		sys_sleep(1000 * MS);
	return 0;
}

/*
 * Arm client-death notices until the kernel refuses (t_watch.c): the number
 * armed when it refused for the quota, which the parent lowered while our
 * call waited; 200 and up for anything else.
 */
static int role_watch_quota(void)
{
	long ep = sys_ep_create(), minted = 0;
	struct ipc_msg m = {.tag = IPC_TAG(UT_ECHO, 0, 0, 0)};

	for (int i = 0; i < 256 && ep > 0 && minted >= 0;
	     i++) /* the table grows before the quota */
		minted = sys_ep_mint((handle_t)ep, (uint64_t)i + 1, R_SEND);
	if (ep < 0 || minted < 0 || ipc_call(start_handle("parent", NULL), &m, TIMEOUT_NEVER) < 0)
		return 200;
	for (int i = 0; i < 256; i++) {
		long err = sys_ep_watch((handle_t)ep, (uint64_t)i + 1, 0);
		if (err == E_QUOTA)
			return i;
		if (err < 0)
			return 201;
	}
	return 202; /* never refused */
}

/*
 * Started by an exec (t_exec.c) with "first" (a notification) and "second" (an endpoint);
 * the loader adds "ns" and "loader-end" (its process table watches that handle's end).
 */
static int role_handles(void)
{
	const struct start_info *si = start_info();
	handle_t first = start_handle("first", NULL), second = start_handle("second", NULL);
	struct handle_info a, b;

	if (!si || si->handle_count != 4 || start_handle("ns", NULL) == HANDLE_INVALID ||
	    start_handle("loader-end", NULL) == HANDLE_INVALID)
		return 1;
	if (sys_handle_info(first, &a) < 0 || a.type != KOBJ_NOTIFICATION)
		return 2;
	if (sys_handle_info(second, &b) < 0 || b.type != KOBJ_ENDPOINT)
		return 3;
	return sys_ntfn_signal(first, 1) < 0 ? 4 : 0;
}

/* How many start handles this process got (t_exec.c: the most a start_info holds). */
static int role_count_handles(void)
{
	return start_info() ? (int)start_info()->handle_count : -1;
}

/*
 * Open an exec session with a loader handle of our own (from ns) holding a
 * notification, tell the parent ("parent", a notification), then leave it
 * behind: exit, or wait to be killed. The loader must end it (t_exec.c).
 */
static int role_exec_abandon(bool wait)
{
	long loader = ns_lookup(start_handle("ns", NULL), "loader"), n = sys_ntfn_create();
	uint64_t size = 0;
	long image = loader < 0 ? loader : loader_image((handle_t)loader, "utest", &size);

	if (image < 0 || n < 0)
		return 1;
	struct loader_exec_args a = {.image = (handle_t)image,
				     .size = size,
				     .program = "never",
				     .priority = UT_PRIO,
				     .timeout = TIMEOUT_NEVER};
	long session = loader_exec_begin((handle_t)loader, &a);
	if (session < 0 || loader_exec_handle((handle_t)loader, (uint64_t)session, "n", (handle_t)n,
					      TIMEOUT_NEVER) < 0)
		return 2;
	sys_handle_close((handle_t)n);
	sys_handle_close((handle_t)image);
	sys_ntfn_signal(start_handle("parent", NULL), 1);
	while (wait)
		sys_sleep(1000 * MS);
	return 0;
}

static void exit_later(void *code)
{
	sys_sleep(10 * MS);
	sys_process_exit((int)(uintptr_t)code);
}

/* The first thread ends; the process lives on in the second. */
static int role_last_thread(uint64_t code)
{
	if (thread_spawn(exit_later, (void *)(uintptr_t)code, UT_PRIO, NULL) < 0)
		return 1;
	sys_thread_exit();
}

/* Wait until the notification given as "parent" is signalled, then read or exit. */
static int role_gated(const char *what, uint64_t arg)
{
	sys_ntfn_wait(start_handle("parent", NULL), TIMEOUT_NEVER);
	if (strcmp(what, "read") == 0)
		return (int)*(volatile uint8_t *)arg;
	return (int)(int64_t)arg;
}

int ut_role_main(int argc, char **argv)
{
	const char *role = argv[0];
	uint64_t arg = argc > 1 ? strtoul(argv[1], NULL, 16) : 0;

	if (strcmp(role, "server") == 0)
		return role_server();
	if (strcmp(role, "exit") == 0)
		return (int)(int64_t)arg;
	if (strcmp(role, "read") == 0)
		return (int)*(volatile uint8_t *)arg;
	if (strcmp(role, "write") == 0)
		*(volatile uint8_t *)arg = 1;
	if (strcmp(role, "write-text") == 0)
		*(volatile uint8_t *)(uintptr_t)&ut_role_main = 0xCC;
	if (strcmp(role, "exec-data") == 0) {
		void (*volatile fn)(void) = (void (*)(void))(uintptr_t)data_code;
		fn();
	}
	if (strcmp(role, "trap") == 0)
		__builtin_trap();
	if (strcmp(role, "call") == 0)
		return role_call(arg);
	if (strcmp(role, "client") == 0)
		return role_client();
	if (strcmp(role, "open") == 0 || strcmp(role, "open-wait") == 0)
		return role_open(role[4] == '-');
	if (strcmp(role, "handles") == 0)
		return role_handles();
	if (strcmp(role, "watch-quota") == 0)
		return role_watch_quota();
	if (strcmp(role, "count-handles") == 0)
		return role_count_handles();
	if (strcmp(role, "exec-abandon") == 0)
		return role_exec_abandon(argc > 1 && strcmp(argv[1], "wait") == 0);
	if (strcmp(role, "kill-self") == 0)
		sys_process_kill(HANDLE_SELF);
	if (strcmp(role, "thread-exit") == 0)
		sys_thread_exit();
	if (strcmp(role, "last-thread") == 0)
		return role_last_thread(arg);
	if (strncmp(role, "gated-", 6) == 0) /* wait for the parent's go, then act */
		return role_gated(role + 6, arg);
	if (strcmp(role, "sleep") == 0)
		for (;;)
			sys_sleep(1000 * MS); /* on the kernel's timer list when killed */
	return 99;			      /* an unknown role, or a fault that did not fault */
}
