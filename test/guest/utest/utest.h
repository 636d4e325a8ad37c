/* SPDX-License-Identifier: MIT */
/*
 * utest: in-guest tests of the syscall ABI, written with the test framework
 * (test/test.h): TEST(suite, name, "what it shows") with one suite per
 * theme file (t_ipc.c: suite ipc), run in the order the files are listed
 * in meson.build. This header holds what the tests share besides the
 * framework: constants, helpers (util.c) and the test protocol (roles.c).
 *
 * utest also plays the other side of its cross-process tests: started by
 * the loader with a role as argv[0] (roles.c), with the endpoint or other
 * handle it needs as "parent".
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/exit.h"
#include "sys/protocols.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/kinfo.h"
#include "test/test.h"

#define PAGE		  4096ull
#define UT_PRIO		  10 /* what init runs us at */
#define UT_PRIO_HIGH	  12 /* threads that must run as soon as they are ready */
#define UT_SCRATCH_VA	  0x0000500000000000ull /* tests map their memory from here */
#define UT_SERVER_SHM_VA  0x0000510000000000ull /* where a server maps shared memory */
#define UT_USER_SPACE_END 0x00007ffffffff000ull /* the last page below 2^47 is never mapped */
#define UT_KERNEL_TEXT	  0xffffffff80200000ull
#define UT_DIRECT_MAP	  0xffff800000000000ull

/* --- util.c --- */

/* Nanoseconds since `start` (sys_clock). */
uint64_t ut_elapsed(uint64_t start);
/* Sleep in 1 ms steps until *flag is non-zero or `ms` pass; true if it was set. */
bool ut_wait_flag(volatile int *flag, unsigned ms);
/* A fresh memory object of `pages` pages mapped read-write at `va`; its handle. */
long ut_map_new(uintptr_t va, uint64_t pages, handle_t *mobj);
/* Byte i of test pattern `seed`, and whether a range holds it. */
uint8_t ut_pattern(uint64_t seed, size_t i);
void ut_fill(void *p, size_t n, uint64_t seed);
bool ut_check(const void *p, size_t n, uint64_t seed);

/* Poll (sleeping 1 ms) until the live thread count is `threads`; false after `ms`. */
bool ut_wait_threads(uint64_t threads, unsigned ms);

/* Start utest in `role` (with one optional argument) through the loader. */
long ut_spawn(const char *role, const char *arg, handle_t give, unsigned prio);
/* Wait for a child's exit code and close its handle. */
int64_t ut_reap(handle_t child, uint64_t timeout);
/*
 * Wait for a process: its exit code, or UT_WAIT_ERROR(err) when the wait
 * itself failed, a value no exit code can take, so the two never mix.
 */
#define UT_WAIT_ERROR(err) (INT64_MIN / 2 + (err))
int64_t ut_wait(handle_t process, uint64_t timeout);

/*
 * A thread that makes one blocking call and records its result: probe_recv
 * receives on ep (then records in `extra` what a reply to it gives),
 * probe_call calls ep with msg, probe_wait waits on the notification ep.
 * `done` is set last.
 */
struct ut_probe {
	handle_t ep;
	uint64_t timeout;
	struct ipc_msg msg;
	long result, extra;
	volatile int done;
};
void ut_probe_recv(void *probe);
void ut_probe_call(void *probe);
void ut_probe_wait(void *probe);
/* Start `fn` on a fresh probe for `ep` at `prio` (UT_PRIO_HIGH: it runs until it blocks). */
long ut_probe_start(void (*fn)(void *), struct ut_probe *p, handle_t ep, unsigned prio);

/* An endpoint served by a thread of ours, or by a utest "server" child. */
long ut_server_thread(handle_t *ep);
long ut_server_process(handle_t *ep, handle_t *child);
/* Ask the server to quit (its reply status), then close ep (and reap the child). */
long ut_server_stop(handle_t ep, handle_t child);

/* --- roles.c: the server side, in a thread or in a child process --- */

/*
 * utest's own protocol (0x7700-0x77FF, sys/protocols.h). UT_SHM_MAP,
 * UT_EXIT, UT_CRASH and UT_QUIT are not idempotent; the others are.
 */
enum ut_method {
	UT_PROTOCOL_BASE = PROTOCOL_BASE(utest),
	UT_ECHO,      /* reply: each word inverted, each buffer byte ^ 0xFF */
	UT_TAGINFO,   /* reply: w0 = the request's tag as received, w1 = badge */
	UT_BADGE,     /* reply: w0 = the badge of the caller's handle */
	UT_CAPINFO,   /* reply: w0 = type, w1 = rights of the received handle (closed) */
	UT_GIVE,      /* reply: a new notification handle */
	UT_SHM_MAP,   /* cap: memory object of w0 bytes; check half 1 is pattern w1,
		       * fill half 2 with pattern w1 + 1; keep it mapped */
	UT_SHM_CHECK, /* half 1 of the mapped object is pattern w0 */
	UT_EXIT,      /* exit the process with code w0 without replying */
	UT_CRASH,     /* fault (read kernel memory) with the call in flight */
	UT_QUIT,      /* reply 0, then stop serving */
	UT_OPEN, /* t_watch.c's server only: keep state for the caller's badge until it is gone */
};

/* Serve `ep` until UT_QUIT or an error; returns the error (E_OK after UT_QUIT). */
long ut_serve(handle_t ep);
/* A thread body serving the endpoint passed as its argument. */
void ut_serve_thread(void *ep);
/* Call `label` on ep with the words in m (tag set here); returns the reply status. */
long ut_call(handle_t ep, uint16_t label, uint32_t words, struct ipc_msg *m);
/* The status a reply carries in its label. */
static inline long ut_status(uint64_t tag)
{
	return (int16_t)IPC_TAG_LABEL(tag);
}
/* argv[0] names a role: run it (the process's exit code). */
int ut_role_main(int argc, char **argv);
