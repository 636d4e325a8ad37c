/* SPDX-License-Identifier: MIT */
/*
 * stest: in-guest tests of supervision, run against the real supervisor
 * (init) and the test servers echo, counter, crashy, irqtest, pcitest,
 * ahcitest and fbhold, written with the test framework (test/test.h). Each
 * group of tests is a suite: basic, restart, failure, device, pci,
 * framebuffer, bench; `stest <suite>...` runs those suites in order (init:
 * run=stest:restart), no arguments all of them.
 * Measurements are NOTE lines (test_note); the restart benchmark prints a
 * BENCH line. This header holds the helpers the tests share (util.c,
 * clients.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "proto/svc.h"
#include "sys/sys.h"
#include "sys/units.h"
#include "test/kinfo.h"
#include "test/test.h"

#define ST_CLIENT_PRIO 8 /* below the test's main thread (10): it polls promptly */

/* --- util.c --- */

/* A handle from the name service, failing the test without one. */
handle_t st_lookup(struct test_ctx *t, const char *name);
/* The svc control endpoint, looked up once. */
handle_t st_ctl(void);
/* svc_status of `name`, failing the test when it cannot be had. */
bool st_status(struct test_ctx *t, const char *name, struct svc_entry *e);
/*
 * Wait until `name` runs as an instance other than `old_pid`; its entry in
 * *e. False (and the test failed) after `ms` milliseconds.
 */
bool st_wait_new_instance(struct test_ctx *t, const char *name, uint64_t old_pid, unsigned ms,
			  struct svc_entry *e);
/* Until `name` is in `state`; false (test failed) after `ms`. */
bool st_wait_state(struct test_ctx *t, const char *name, uint32_t state, unsigned ms,
		   struct svc_entry *e);
/* A small random number (xorshift over the TSC). */
uint32_t st_random(uint32_t below);

/* Median of n values (sorts them). */
uint64_t st_median(uint64_t *v, int n);

/* --- clients.c: threads that keep calling a test server --- */

#define ST_CLIENT_TIMEOUT (3000 * MS) /* longer than any restart, so a timeout is a failure */

struct st_client {
	handle_t ep;
	volatile int stop, done;
	volatile uint64_t ok; /* answered correctly */
	uint64_t restarted;   /* E_RESTARTED: the server died with the call in flight */
	uint64_t timed_out;   /* E_TIMEOUT */
	uint64_t wrong;	      /* an answer that was not right: never allowed */
	uint64_t other;	      /* any other error: never allowed */
	long other_err;
	uint64_t count; /* counter clients: what the count must be */
	char wrong_what[100];
};

/* Start fn (st_echo_client or st_counter_client) on c in a thread of its own. */
long st_client_start(struct st_client *c, handle_t ep, void (*fn)(void *));
/* Tell it to stop and wait until it has. */
void st_client_stop(struct st_client *c);
/* Each ECHO_ECHO answer must carry the words plus one. */
void st_echo_client(void *c);
/*
 * COUNTER_ADD 1 in a loop; each answer must be the count plus one. After
 * E_RESTARTED or E_TIMEOUT the add may or may not have happened: the client
 * asks COUNTER_GET (idempotent, with retries), which must give the count or
 * the count plus one; anything else is a lost or corrupted count.
 */
void st_counter_client(void *c);
/* COUNTER_GET with retries: the count, or a negative error. */
long st_counter_get(handle_t ep, uint64_t *instances);
/* Fail the test unless the client saw only allowed outcomes and some successes. */
void st_client_check(struct test_ctx *t, const char *name, const struct st_client *c);
