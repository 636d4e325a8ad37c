/* SPDX-License-Identifier: MIT */
/*
 * Synchronous IPC on endpoints. A message moves straight from the sender's
 * saved registers (and IPC buffer) to the receiver's; nothing is queued but
 * threads. A call leaves the caller blocked in B_REPLY with the server's
 * implicit reply slot (`caller`) naming it, and switches straight to the
 * server when priorities allow; reply_recv switches straight back.
 */
#include "kernel/handle.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/string.h"
#include "sys/errors.h"
#include "sys/ipc.h"
#include "sys/syscall.h"

/*
 * Put the capability `from` sends into `to`'s table before anything else of
 * the message moves, so a failure leaves the message undelivered and the
 * capability with its sender: E_BADHANDLE if the sender closed it while it
 * was queued, E_NOSPACE or E_NOMEM if the receiver's table cannot take it.
 */
static long install_cap(struct thread *from, struct thread *to, handle_t *out)
{
	struct handle_slot *s;

	*out = HANDLE_INVALID;
	if (!from->send_cap)
		return E_OK;
	long err = handle_lookup(&from->proc->handles, from->send_cap, KOBJ_NONE, R_TRANSFER, &s);
	if (err)
		return err;
	return handle_insert(&to->proc->handles, s->obj, s->rights, s->badge, out);
}

static uint32_t copy_buffer(struct thread *from, struct thread *to, uint32_t bytes)
{
	bytes = MIN(bytes, IPC_BUF_BYTES);
	if (!bytes || !from->ipcbuf || !to->ipcbuf)
		return 0;
	memcpy(to->ipcbuf->data, from->ipcbuf->data, bytes);
	return bytes;
}

/* Move the message in `from`'s frame (and buffer) to `to`; `cap` is installed. */
static void deliver(struct thread *from, struct thread *to, uint64_t badge, handle_t cap)
{
	const struct trap_frame *s = from->tf;
	struct trap_frame *d = to->tf;
	uint64_t tag = s->rsi;
	uint32_t n = MIN(IPC_TAG_WORDS(tag), IPC_WORDS);
	uint32_t bytes = copy_buffer(from, to, IPC_TAG_BYTES(tag));

	d->rdx = n > 0 ? s->rdx : 0;
	d->r10 = n > 1 ? s->r10 : 0;
	d->r8 = n > 2 ? s->r8 : 0;
	d->r9 = n > 3 ? s->r9 : 0;
	d->r12 = n > 4 ? s->r12 : 0;
	d->r13 = n > 5 ? s->r13 : 0;
	d->rsi = IPC_TAG(IPC_TAG_LABEL(tag), n, cap != HANDLE_INVALID, bytes);
	d->rdi = badge;
	d->r14 = cap;
}

static void deliver_kmsg(struct kmsg *k, struct thread *to)
{
	struct trap_frame *d = to->tf;
	uint32_t bytes = 0;

	if (k->has_regs && to->ipcbuf) {
		memcpy(to->ipcbuf->data, &k->regs, sizeof(k->regs));
		bytes = sizeof(k->regs);
	}
	d->rsi = k->tag | IPC_TAG(0, 0, 0, bytes);
	d->rdi = k->badge;
	d->rdx = k->w[0];
	d->r10 = k->w[1];
	d->r8 = k->w[2];
	d->r9 = k->w[3];
	d->r12 = k->w[4];
	d->r13 = k->w[5];
	d->r14 = HANDLE_INVALID;
}

/* A notice has been delivered or dropped: let go of what kept it. */
static void kmsg_done(struct kmsg *k)
{
	if (k->owner)
		kobj_put(k->owner);
	else if (k->release)
		k->release(k);
}

static struct kmsg *kq_pop(struct endpoint *ep)
{
	struct kmsg *k = ep->kq_head;

	if (k) {
		ep->kq_head = k->next;
		if (!ep->kq_head)
			ep->kq_tail = NULL;
		k->next = NULL;
		k->queued = false;
	}
	return k;
}

void ipc_post(struct endpoint *ep, struct kmsg *k)
{
	struct thread *r;

	if (k->queued)
		return;
	if ((r = wait_queue_pop(&ep->receivers))) {
		deliver_kmsg(k, r);
		thread_wake(r, E_OK);
		if (!k->owner && k->release)
			k->release(k); /* one-shot: delivered */
		return;
	}
	if (k->owner)
		kobj_get(k->owner);
	k->queued = true;
	k->next = NULL;
	if (ep->kq_tail)
		ep->kq_tail->next = k;
	else
		ep->kq_head = k;
	ep->kq_tail = k;
}

void ipc_deliver_notification(struct thread *to, uint64_t bits)
{
	to->tf->rsi = IPC_TAG(IPC_LABEL_NOTIFY, 0, 0, 0);
	to->tf->rdi = bits;
	to->tf->r14 = HANDLE_INVALID;
}

int endpoint_create(struct endpoint **out)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));

	if (!ep)
		return E_NOMEM;
	kobj_init(&ep->obj, KOBJ_ENDPOINT);
	*out = ep;
	return E_OK;
}

static void wake_all(struct wait_queue *wq, long result)
{
	for (struct thread *t; (t = wait_queue_pop(wq));)
		thread_wake(t, result);
}

void endpoint_destroy(struct kobj *o)
{
	struct endpoint *ep = (struct endpoint *)o;

	process_supervisor_gone(ep);
	wake_all(&ep->senders, E_CLOSED);
	wake_all(&ep->receivers, E_CLOSED);
	for (struct kmsg *k; (k = kq_pop(ep));)
		kmsg_done(k);
	if (ep->bound) {
		ep->bound->bound_ep = NULL;
		kobj_put(&ep->bound->obj);
	}
	kfree(ep);
}

/* Link caller and server for the reply. */
static void pair(struct thread *caller, struct thread *server)
{
	caller->state = T_BLOCKED;
	caller->reason = B_REPLY;
	caller->callee = server;
	server->caller = caller;
}

long ipc_call(struct endpoint *ep, uint64_t badge, uint64_t timeout)
{
	struct thread *cur = current_thread();
	struct thread *server = ep->receivers.head;
	handle_t cap;

	if (server) {
		long err = install_cap(cur, server, &cap);
		if (err)
			return err; /* the server goes on waiting */
		wait_queue_remove(server);
		deliver(cur, server, badge, cap);
		thread_forget_timer(server);
		server->wake_result = E_OK;
		server->reason = B_NONE;
		pair(cur, server);
		cur->wake_result = E_OK;
		if (timeout != TIMEOUT_NEVER && timeout != 0)
			thread_arm_timeout(cur, timeout); /* the timeout covers the reply too */
		sched_handoff(server);
		return cur->wake_result;
	}
	cur->send_badge = badge;
	cur->send_is_call = true;
	return thread_block(&ep->senders, B_SEND, timeout);
}

long ipc_send(struct endpoint *ep, uint64_t badge, uint64_t timeout)
{
	struct thread *cur = current_thread();
	struct thread *r = ep->receivers.head;
	handle_t cap;

	if (r) {
		long err = install_cap(cur, r, &cap);
		if (!err) {
			wait_queue_remove(r);
			deliver(cur, r, badge, cap);
			thread_wake(r, E_OK);
		}
		return err;
	}
	if (timeout == 0)
		return E_WOULDBLOCK;
	cur->send_badge = badge;
	cur->send_is_call = false;
	return thread_block(&ep->senders, B_SEND, timeout);
}

/*
 * Take the first queued sender's message; a caller then waits for our reply.
 * A sender whose capability cannot be installed here is woken with the error
 * and the next one is tried. False if no sender is left.
 */
static bool take_from_sender(struct endpoint *ep, struct thread *cur)
{
	struct thread *sender;
	handle_t cap;

	while ((sender = wait_queue_pop(&ep->senders))) {
		long err = install_cap(sender, cur, &cap);
		if (!err)
			break;
		thread_wake(sender, err);
	}
	if (!sender)
		return false;
	deliver(sender, cur, sender->send_badge, cap);
	if (sender->send_is_call) {
		pair(sender, cur); /* its timer, if any, keeps running: it covers the reply */
		sender->wake_result = E_OK;
	} else {
		thread_wake(sender, E_OK);
	}
	return true;
}

long ipc_recv(struct endpoint *ep, uint64_t timeout, struct thread *handoff)
{
	struct thread *cur = current_thread();
	struct kmsg *k;

	if ((k = kq_pop(ep))) {
		deliver_kmsg(k, cur);
		kmsg_done(k);
	} else if (ep->bound && ep->bound->bits) {
		ipc_deliver_notification(cur, ep->bound->bits);
		ep->bound->bits = 0;
	} else if (!take_from_sender(ep, cur)) {
		return thread_block_handoff(&ep->receivers, B_RECV, timeout, handoff);
	}
	if (handoff)
		sched_ready(handoff);
	return E_OK;
}

/*
 * The reply always goes: if its capability cannot be installed in the
 * caller's table, the caller's call returns that error (E_NOSPACE) instead,
 * with nothing delivered; the server is not held up by its client's table.
 */
struct thread *ipc_reply_to(struct thread *caller)
{
	struct thread *cur = current_thread();
	handle_t cap;
	long err = install_cap(cur, caller, &cap);

	if (!err)
		deliver(cur, caller, 0, cap);
	thread_forget_timer(caller); /* its call timeout ends with the reply */
	caller->callee = NULL;
	caller->reason = B_NONE;
	caller->wake_result = err;
	if (cur->caller == caller)
		cur->caller = NULL;
	return caller;
}

void ipc_cancel_call(struct thread *caller)
{
	KASSERT(!caller->callee || thread_is_live(caller->callee));
	if (caller->callee && caller->callee->caller == caller)
		caller->callee->caller = NULL;
	caller->callee = NULL;
	if (caller->saved_reply) {
		caller->saved_reply->caller = NULL;
		caller->saved_reply = NULL;
	}
}

void ipc_thread_cleanup(struct thread *t)
{
	if (t->caller) { /* a server dies with a call in flight: the caller learns it */
		struct thread *c = t->caller;
		t->caller = NULL;
		c->callee = NULL;
		c->reason = B_NONE;
		thread_wake(c, E_RESTARTED);
	}
	ipc_cancel_call(t);
}
