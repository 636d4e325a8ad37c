/* SPDX-License-Identifier: MIT */
/*
 * counter: a test server whose state must survive restarts (proto/counter.h).
 * Recovery: memory. The count lives in the "state" memory object, which the
 * supervisor keeps and hands to every new instance; each update is one
 * aligned 8-byte store, so a crash leaves either the old or the new count,
 * never a torn one, and a caller cut off by a crash asks COUNTER_GET.
 */
#include "proto/counter.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define STATE_VA 0x0000200000000000ull

static struct counter_state private_state; /* without a supervisor: not kept */
static struct counter_state *state = &private_state;

static long add_handler(struct server_request *req)
{
	uint64_t count = state->count + req->msg.w[0];

	__atomic_store_n(&state->count, count, __ATOMIC_RELEASE);
	req->msg.w[0] = count;
	req->msg.tag = IPC_TAG(0, 1, 0, 0);
	return E_OK;
}

static long get_handler(struct server_request *req)
{
	req->msg.w[0] = __atomic_load_n(&state->count, __ATOMIC_ACQUIRE);
	req->msg.w[1] = state->instances;
	req->msg.tag = IPC_TAG(0, 2, 0, 0);
	return E_OK;
}

static const struct server_method methods[] = {
	{COUNTER_ADD, 0, add_handler},
	{COUNTER_GET, 0, get_handler},
};

/* Map the state the supervisor keeps; a fresh (all-zero) one is set up here. */
static void state_attach(void)
{
	uint32_t size = 0;
	handle_t m = start_handle("state", &size);

	if (m == HANDLE_INVALID || size < sizeof(struct counter_state) ||
	    sys_mobj_map(HANDLE_SELF, m, STATE_VA, 0, (size + 4095) & ~4095u, R_READ | R_WRITE) <
		    0) {
		printf("counter: no state object; the count will not survive a restart\n");
		return;
	}
	struct counter_state *s = (struct counter_state *)STATE_VA;
	if (s->magic != COUNTER_STATE_MAGIC) {
		if (s->magic != 0 || s->count != 0)
			printf("counter: state corrupted (magic %#lx); starting from 0\n",
			       (unsigned long)s->magic);
		s->count = 0;
		s->instances = 0;
		s->magic = COUNTER_STATE_MAGIC;
	}
	s->instances++;
	state = s;
}

int main(void)
{
	handle_t ep = start_handle("counter", NULL);

	if (ep == HANDLE_INVALID) {
		printf("counter: no endpoint given\n");
		return 1;
	}
	state_attach();
	struct server s = {.endpoint = ep, .methods = SERVER_METHODS(methods)};
	return (int)server_run(&s);
}
