/* SPDX-License-Identifier: MIT */
/*
 * echo's one handler: every word plus one and the instance's pid; the
 * buffer's bytes go back as they came. It keeps nothing between calls, so
 * a new instance carries on where the old one died.
 */
#include "echo.h"

static long echo_echo_op(void *ctx, const struct echo_request *rq, struct echo_reply *rp)
{
	const struct echo_state *st = ctx;

	for (int i = 0; i < 5; i++)
		rp->w[i] = rq->w[i] + 1;
	rp->pid = st->pid;
	return 0;
}

const struct echo_ops echo_ops = {.echo = echo_echo_op};
