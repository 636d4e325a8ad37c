/* SPDX-License-Identifier: MIT */
/*
 * The counter protocol (methods 0x0500-0x05FF) of the counter test server
 * (servers/test/counter), whose recovery is "memory": its count lives in the
 * "state" memory object the supervisor keeps, so it survives restarts.
 *
 * COUNTER_ADD (not idempotent: each call adds again)
 *   request: w0 = amount
 *   reply:   w0 = the count after adding
 *   A caller that gets E_RESTARTED cannot know whether the add happened
 *   (the server may have died between storing and replying): it asks with
 *   COUNTER_GET instead of retrying.
 * COUNTER_GET (idempotent)
 *   reply:   w0 = the count, w1 = how many instances have used this state
 */
#pragma once

#include <stdint.h>

#define COUNTER_PROTOCOL_BASE 0x0500
#define COUNTER_ADD	      0x0501
#define COUNTER_GET	      0x0502

/* The layout of the "state" memory object. */
#define COUNTER_STATE_MAGIC 0x434F554E54455231ull /* "COUNTER1" */
struct counter_state {
	uint64_t magic;
	uint64_t count;	    /* one aligned store per update: never torn */
	uint64_t instances; /* bumped by each instance at start */
};
