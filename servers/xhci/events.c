/* SPDX-License-Identifier: MIT */
/* Per-consumer event queues of the input protocol (events.h). */
#include <string.h>

#include "events.h"
#include "sys/errors.h"

static struct consumer *find(struct consumers *cs, uint64_t badge)
{
	for (unsigned i = 0; i < INPUT_CONSUMERS; i++)
		if (cs->c[i].used && cs->c[i].badge == badge)
			return &cs->c[i];
	return NULL;
}

static void queue(struct consumer *c, const struct input_event *ev, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		if (c->count == INPUT_QUEUE) { /* drop the oldest */
			c->head = (c->head + 1) % INPUT_QUEUE;
			c->count--;
			c->dropped++;
		}
		c->q[(c->head + c->count++) % INPUT_QUEUE] = ev[k];
	}
}

void consumers_push(struct consumers *cs, const struct input_event *ev, uint32_t n)
{
	handle_t wake[INPUT_CONSUMERS];
	unsigned woken = 0;

	sys_lock(&cs->lock);
	for (unsigned i = 0; i < INPUT_CONSUMERS; i++) {
		struct consumer *c = &cs->c[i];
		if (!c->used)
			continue;
		queue(c, ev, n);
		wake[woken++] = c->ntfn;
	}
	if (woken == 0)
		queue(&cs->backlog, ev, n);
	sys_unlock(&cs->lock);
	for (unsigned i = 0; i < woken; i++)
		cs->signal(wake[i]);
}

long consumers_subscribe(struct consumers *cs, uint64_t badge, handle_t ntfn)
{
	handle_t old = HANDLE_INVALID;
	long err = E_OK;

	sys_lock(&cs->lock);
	struct consumer *c = find(cs, badge);
	for (unsigned i = 0; !c && i < INPUT_CONSUMERS; i++)
		if (!cs->c[i].used) {
			c = &cs->c[i];
			*c = cs->backlog; /* what came while nobody listened */
			cs->backlog.head = cs->backlog.count = 0;
			cs->backlog.dropped = 0;
			c->used = true;
			c->badge = badge;
			c->ntfn = HANDLE_INVALID;
		}
	if (c) {
		old = c->ntfn;
		c->ntfn = ntfn;
	} else {
		err = E_NOSPACE;
	}
	sys_unlock(&cs->lock);
	if (old != HANDLE_INVALID)
		cs->close(old);
	if (err == E_OK && old == HANDLE_INVALID && cs->watch)
		cs->watch(badge);
	return err;
}

long consumers_read(struct consumers *cs, uint64_t badge, struct input_event *ev, uint32_t max,
		    uint32_t *count, uint64_t *dropped)
{
	sys_lock(&cs->lock);
	struct consumer *c = find(cs, badge);
	if (!c) {
		sys_unlock(&cs->lock);
		return E_NOENT;
	}
	uint32_t n = c->count < max ? c->count : max;
	for (uint32_t i = 0; i < n; i++)
		ev[i] = c->q[(c->head + i) % INPUT_QUEUE];
	c->head = (c->head + n) % INPUT_QUEUE;
	c->count -= n;
	*count = n;
	*dropped = c->dropped;
	c->dropped = 0;
	sys_unlock(&cs->lock);
	return E_OK;
}

void consumers_gone(struct consumers *cs, uint64_t badge)
{
	handle_t old = HANDLE_INVALID;

	sys_lock(&cs->lock);
	struct consumer *c = find(cs, badge);
	if (c) {
		old = c->ntfn;
		c->used = false;
	}
	sys_unlock(&cs->lock);
	if (old != HANDLE_INVALID)
		cs->close(old);
}
