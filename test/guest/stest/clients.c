/* SPDX-License-Identifier: MIT */
/*
 * Clients that keep calling the test servers while the tests crash, hang
 * and leak them, each in a thread of its own below the test's priority.
 * They count every outcome; the only errors a client may see are
 * E_RESTARTED (its call was in flight when the server died) and E_TIMEOUT
 * (only if a restart took longer than ST_CLIENT_TIMEOUT); a wrong answer or
 * any other error fails the test.
 */
#include <string.h>

#include "proto/counter.h"
#include "proto/echo.h"
#include "stest.h"
#include "sys/fmt.h"
#include "sys/thread.h"

/* Count an error outcome; false if it is not an allowed one. */
static bool count_error(struct st_client *c, long err)
{
	if (err == E_RESTARTED)
		c->restarted++;
	else if (err == E_TIMEOUT)
		c->timed_out++;
	else {
		c->other++;
		c->other_err = err;
		return false;
	}
	return true;
}

static void note_wrong(struct st_client *c, const char *fmt, uint64_t a, uint64_t b)
{
	if (!c->wrong++)
		snprintf(c->wrong_what, sizeof(c->wrong_what), fmt, (unsigned long)a,
			 (unsigned long)b);
}

void st_echo_client(void *arg)
{
	struct st_client *c = arg;

	for (uint64_t seq = 1; !c->stop; seq++) {
		struct ipc_msg m = {.tag = IPC_TAG(ECHO_ECHO, 6, 0, 0),
				    .w = {seq, seq * 3, ~seq, seq << 7, seq ^ 0x5a5a, 0}};
		long err = ipc_call(c->ep, &m, ST_CLIENT_TIMEOUT);
		if (err < 0) {
			count_error(c, err);
			continue;
		}
		if (IPC_TAG_LABEL(m.tag) != 0 || m.w[0] != seq + 1 || m.w[2] != ~seq + 1 ||
		    m.w[4] != (seq ^ 0x5a5a) + 1)
			note_wrong(c, "echo answered %lu to %lu", m.w[0], seq);
		else
			c->ok++;
	}
	c->done = 1;
}

long st_counter_get(handle_t ep, uint64_t *instances)
{
	struct ipc_msg m = {.tag = IPC_TAG(COUNTER_GET, 0, 0, 0)};
	long err = ipc_call_retry(ep, &m, ST_CLIENT_TIMEOUT, 10);

	if (err < 0)
		return err;
	if (IPC_TAG_LABEL(m.tag) != 0)
		return (int16_t)IPC_TAG_LABEL(m.tag);
	if (instances)
		*instances = m.w[1];
	return (long)m.w[0];
}

/* After an add that may or may not have happened: learn which from the count. */
static void resolve(struct st_client *c)
{
	long got = st_counter_get(c->ep, NULL);

	if (got < 0)
		count_error(c, got);
	else if ((uint64_t)got == c->count + 1)
		c->count++;
	else if ((uint64_t)got != c->count)
		note_wrong(c, "count %lu after an unsure add, want %lu or one more", (uint64_t)got,
			   c->count);
}

void st_counter_client(void *arg)
{
	struct st_client *c = arg;

	while (!c->stop) {
		struct ipc_msg m = {.tag = IPC_TAG(COUNTER_ADD, 1, 0, 0), .w = {1}};
		long err = ipc_call(c->ep, &m, ST_CLIENT_TIMEOUT);
		if (err < 0) {
			if (count_error(c, err))
				resolve(c);
			continue;
		}
		if (IPC_TAG_LABEL(m.tag) != 0 || m.w[0] != c->count + 1) {
			note_wrong(c, "count %lu after an add, want %lu", m.w[0], c->count + 1);
			c->count = m.w[0];
		} else {
			c->count++;
			c->ok++;
		}
	}
	c->done = 1;
}

long st_client_start(struct st_client *c, handle_t ep, void (*fn)(void *))
{
	uint64_t count = c->count;

	memset(c, 0, sizeof(*c));
	c->ep = ep;
	c->count = count;
	return thread_spawn(fn, c, ST_CLIENT_PRIO, NULL);
}

void st_client_stop(struct st_client *c)
{
	c->stop = 1;
	while (!c->done)
		sys_sleep(MS);
}

/* NOTE <name>_client_<outcome> <n> calls */
static void note_calls(const char *name, const char *outcome, uint64_t n)
{
	char key[48];

	snprintf(key, sizeof(key), "%s_client_%s", name, outcome);
	test_note(key, n, "calls");
}

void st_client_check(struct test_ctx *t, const char *name, const struct st_client *c)
{
	note_calls(name, "ok", c->ok);
	note_calls(name, "restarted", c->restarted);
	note_calls(name, "timed_out", c->timed_out);
	note_calls(name, "wrong", c->wrong);
	note_calls(name, "other", c->other);
	if (c->wrong)
		T_FAIL("%s client: %lu wrong answers, first: %s", name, (unsigned long)c->wrong,
		       c->wrong_what);
	else if (c->other)
		T_FAIL("%s client: %lu calls failed, last with %s", name, (unsigned long)c->other,
		       sys_error_name(c->other_err));
	else if (c->ok == 0)
		T_FAIL("%s client: no call succeeded", name);
}
