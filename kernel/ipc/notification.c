/* SPDX-License-Identifier: MIT */
/*
 * Notifications: a word of bits that signal ORs in and wait takes out.
 * Signal never blocks. A notification bound to an endpoint is also
 * delivered to a thread receiving on that endpoint, as a message labelled
 * IPC_LABEL_NOTIFY carrying the bits as its badge. Each notification also has
 * a one-shot timer that signals it at a deadline (timers are checked on the
 * tick, so they are as precise as TICK_HZ).
 */
#include "kernel/device.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "sys/errors.h"
#include "sys/ipc.h"

int ntfn_create(struct ntfn **out)
{
	struct ntfn *n = kzalloc(sizeof(*n));

	if (!n)
		return E_NOMEM;
	kobj_init(&n->obj, KOBJ_NOTIFICATION);
	*out = n;
	return E_OK;
}

static struct ntfn *timer_head; /* armed notification timers, by deadline */

static void timer_unlink(struct ntfn *n)
{
	if (!n->timer_armed)
		return;
	for (struct ntfn **link = &timer_head; *link; link = &(*link)->timer_next) {
		if (*link == n) {
			*link = n->timer_next;
			break;
		}
	}
	n->timer_armed = false;
}

void ntfn_timer_set(struct ntfn *n, uint64_t deadline, uint64_t bits)
{
	struct ntfn **link = &timer_head;

	timer_unlink(n);
	if (deadline == 0)
		return;
	while (*link && (*link)->timer_deadline <= deadline)
		link = &(*link)->timer_next;
	n->timer_deadline = deadline;
	n->timer_bits = bits;
	n->timer_next = *link;
	*link = n;
	n->timer_armed = true;
}

void ntfn_timers_expire(uint64_t now)
{
	while (timer_head && timer_head->timer_deadline <= now) {
		struct ntfn *n = timer_head;
		timer_head = n->timer_next;
		n->timer_armed = false;
		ntfn_signal(n, n->timer_bits);
	}
}

void ntfn_destroy(struct kobj *o)
{
	struct ntfn *n = (struct ntfn *)o;

	timer_unlink(n);
	irq_unbind_all(n->irqs); /* their driver is gone: masked until bound again */
	for (struct thread *t; (t = wait_queue_pop(&n->waiters));)
		thread_wake(t, E_CLOSED);
	kfree(n);
}

void ntfn_signal(struct ntfn *n, uint64_t bits)
{
	struct thread *t;

	bits &= NTFN_BITS_MASK;
	if (!bits)
		return;
	if ((t = wait_queue_pop(&n->waiters))) {
		thread_wake(t, (long)(n->bits | bits));
		n->bits = 0;
	} else if (n->bound_ep && (t = wait_queue_pop(&n->bound_ep->receivers))) {
		ipc_deliver_notification(t, n->bits | bits);
		n->bits = 0;
		thread_wake(t, E_OK);
	} else {
		n->bits |= bits;
	}
}

long ntfn_wait(struct ntfn *n, uint64_t timeout)
{
	if (n->bits) {
		long bits = (long)n->bits;
		n->bits = 0;
		return bits;
	}
	return thread_block(&n->waiters, B_NTFN, timeout);
}

int endpoint_bind(struct endpoint *ep, struct ntfn *n)
{
	if (ep->bound || n->bound_ep)
		return E_BUSY;
	kobj_get(&n->obj);
	ep->bound = n;
	n->bound_ep = ep;
	return E_OK;
}

int ipc_reply_save(struct reply **out)
{
	struct thread *cur = current_thread();

	if (!cur->caller)
		return E_INVAL;
	struct reply *r = kzalloc(sizeof(*r));
	if (!r)
		return E_NOMEM;
	kobj_init(&r->obj, KOBJ_REPLY);
	r->caller = cur->caller;
	r->caller->saved_reply = r;
	r->caller->callee = NULL; /* the reply object is its link now: we may exit first */
	cur->caller = NULL;
	*out = r;
	return E_OK;
}

void reply_destroy(struct kobj *o)
{
	struct reply *r = (struct reply *)o;

	if (r->caller) { /* never replied (the server died or dropped it): don't wait for ever */
		struct thread *c = r->caller;
		c->saved_reply = NULL;
		c->callee = NULL;
		thread_wake(c, E_RESTARTED);
	}
	kfree(r);
}
