/* SPDX-License-Identifier: MIT */
/*
 * The consumers of input events (proto/input.h): per badge a notification
 * and a ring of INPUT_QUEUE events that drops its oldest when full,
 * counting what it dropped. The driver thread pushes, the server thread
 * reads, under one lock. Pure C but for the signal callback, so the host
 * test (test_events.c) drives it through the protocol's stubs.
 */
#pragma once

#include "proto/input.h"
#include "sys/lock.h"

struct consumer {
	bool used;
	uint64_t badge;
	handle_t ntfn;
	uint32_t head, count;
	uint64_t dropped;
	struct input_event q[INPUT_QUEUE];
};

struct consumers {
	struct sys_lock lock;
	struct consumer c[INPUT_CONSUMERS];
	/* Events that came while nobody was subscribed (after a restart, before the
	 * consumers' libraries subscribe again): the next new subscriber gets them. */
	struct consumer backlog;
	void (*signal)(handle_t ntfn); /* wake a consumer */
	void (*close)(handle_t ntfn);  /* a notification no longer needed */
	long (*watch)(uint64_t badge); /* arm the client-gone notice */
};

/* Queue n events for every consumer and wake each. */
void consumers_push(struct consumers *cs, const struct input_event *ev, uint32_t n);
long consumers_subscribe(struct consumers *cs, uint64_t badge, handle_t ntfn);
long consumers_read(struct consumers *cs, uint64_t badge, struct input_event *ev, uint32_t max,
		    uint32_t *count, uint64_t *dropped);
void consumers_gone(struct consumers *cs, uint64_t badge);
