/* SPDX-License-Identifier: MIT */
/*
 * counter: a test server whose state must survive restarts (proto/counter.h).
 * Recovery: memory. The count lives in the "state" memory object, which the
 * supervisor keeps and hands to every new instance; each update is one
 * aligned 8-byte store (counter.c), so a crash leaves either the old or the
 * new count, never a torn one, and a caller cut off by a crash asks
 * COUNTER_GET.
 */
#include "counter.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define STATE_VA 0x0000200000000000ull

/* The state the supervisor keeps, mapped; NULL without one. */
static struct counter_state *state_attach(void)
{
	uint32_t size = 0;
	handle_t m = start_handle("state", &size);

	if (m == HANDLE_INVALID || size < sizeof(struct counter_state))
		return NULL;
	if (sys_mobj_map(HANDLE_SELF, m, STATE_VA, 0, (size + 4095) & ~4095u, R_READ | R_WRITE) < 0)
		return NULL;
	return (struct counter_state *)STATE_VA;
}

int main(void)
{
	handle_t ep = start_handle("counter", NULL);
	static struct counter_state private_state; /* without a supervisor: not kept */
	static struct counter_server cs = {&counter_ops, &private_state};
	struct counter_state *s = state_attach();

	if (ep == HANDLE_INVALID) {
		printf("counter: no endpoint given\n");
		return 1;
	}
	if (!s)
		printf("counter: no state object; the count will not survive a restart\n");
	else
		cs.ctx = s;
	uint64_t magic = ((struct counter_state *)cs.ctx)->magic;
	if (counter_state_open(cs.ctx))
		printf("counter: state corrupted (magic %#lx); starting from 0\n",
		       (unsigned long)magic);
	struct server srv = counter_server(ep, &cs);
	return (int)server_run(&srv);
}
