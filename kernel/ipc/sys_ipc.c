/* SPDX-License-Identifier: MIT */
/*
 * IPC syscalls: decode and check the registers (handles, rights, the tag's
 * byte count and capability), then hand over to ipc/endpoint.c and
 * ipc/notification.c, which cannot fail on bad input.
 */
#include "kernel/account.h"
#include "kernel/ipc.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "sys/errors.h"
#include "sys/ipc.h"

#define EP_RIGHTS   (R_SEND | R_RECV | R_GRANT | R_DUP | R_TRANSFER)
#define NTFN_RIGHTS (R_SIGNAL | R_WAIT | R_DUP | R_TRANSFER)

static long lookup_obj(handle_t h, enum kobj_type type, uint32_t rights, struct kobj **out,
		       uint64_t *badge)
{
	struct handle_slot *s;
	int err = cap_lookup(h, type, rights, &s);

	if (err)
		return err;
	*out = s->obj;
	if (badge)
		*badge = s->badge;
	return E_OK;
}

/* Check the message the current thread is about to send; record its capability. */
static long check_message(const struct trap_frame *tf, uint32_t ep_rights)
{
	struct thread *cur = current_thread();
	uint64_t tag = tf->rsi;
	struct handle_slot *s;

	cur->send_cap = HANDLE_INVALID;
	if (IPC_TAG_BYTES(tag) > IPC_BUF_BYTES)
		return E_RANGE;
	if (IPC_TAG_BYTES(tag) && !cur->ipcbuf)
		return E_INVAL;
	if (!IPC_TAG_CAP(tag))
		return E_OK;
	if (!(ep_rights & R_GRANT))
		return E_RIGHTS;
	int err = cap_lookup((handle_t)tf->r14, KOBJ_NONE, R_TRANSFER, &s);
	if (!err)
		cur->send_cap = (handle_t)tf->r14;
	return err;
}

/*
 * The endpoint a call or send goes to. Labels from IPC_LABEL_KERNEL_FIRST up
 * are the kernel's (notifications, fault and exit notices): a receiver must
 * be able to trust them, so no thread may send one. Replies may carry them,
 * as status codes: a reply reaches only the caller blocked in its own call.
 */
static long lookup_send_ep(struct trap_frame *tf, struct endpoint **ep, uint64_t *badge)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)tf->rdi, KOBJ_ENDPOINT, R_SEND, &s);

	if (err)
		return err;
	if (IPC_TAG_LABEL(tf->rsi) >= IPC_LABEL_KERNEL_FIRST)
		return E_INVAL;
	*ep = (struct endpoint *)s->obj;
	*badge = s->badge;
	return check_message(tf, s->rights);
}

long SYS_EP_CREATE_handler(struct trap_frame *tf)
{
	struct endpoint *ep;
	(void)tf;
	int err = endpoint_create(&ep);

	if (err)
		return err;
	return cap_give_charged(&ep->obj, EP_RIGHTS, sizeof(*ep));
}

long SYS_EP_MINT_handler(struct trap_frame *tf)
{
	struct handle_slot *s;
	int err = cap_lookup((handle_t)SYS_ARG0(tf), KOBJ_ENDPOINT, R_DUP, &s);

	if (err)
		return err;
	if (s->badge)
		return E_INVAL; /* a badge is set once */
	return cap_give(s->obj, s->rights & (uint32_t)SYS_ARG2(tf), SYS_ARG1(tf));
}

long SYS_EP_BIND_handler(struct trap_frame *tf)
{
	struct kobj *ep, *n;
	long err = lookup_obj((handle_t)SYS_ARG0(tf), KOBJ_ENDPOINT, R_RECV, &ep, NULL);

	if (!err)
		err = lookup_obj((handle_t)SYS_ARG1(tf), KOBJ_NOTIFICATION, R_WAIT, &n, NULL);
	if (err)
		return err;
	return endpoint_bind((struct endpoint *)ep, (struct ntfn *)n);
}

long SYS_NTFN_CREATE_handler(struct trap_frame *tf)
{
	struct ntfn *n;
	(void)tf;
	int err = ntfn_create(&n);

	if (err)
		return err;
	return cap_give_charged(&n->obj, NTFN_RIGHTS, sizeof(*n));
}

long SYS_NTFN_SIGNAL_handler(struct trap_frame *tf)
{
	struct kobj *n;
	long err = lookup_obj((handle_t)SYS_ARG0(tf), KOBJ_NOTIFICATION, R_SIGNAL, &n, NULL);

	if (err)
		return err;
	ntfn_signal((struct ntfn *)n, SYS_ARG1(tf));
	return E_OK;
}

long SYS_NTFN_WAIT_handler(struct trap_frame *tf)
{
	struct kobj *n;
	long err = lookup_obj((handle_t)SYS_ARG0(tf), KOBJ_NOTIFICATION, R_WAIT, &n, NULL);

	if (err)
		return err;
	return ntfn_wait((struct ntfn *)n, SYS_ARG1(tf));
}

long SYS_CALL_handler(struct trap_frame *tf)
{
	struct endpoint *ep;
	uint64_t badge;
	long err = lookup_send_ep(tf, &ep, &badge);

	return err ? err : ipc_call(ep, badge, tf->r15);
}

long SYS_SEND_handler(struct trap_frame *tf)
{
	struct endpoint *ep;
	uint64_t badge;
	long err = lookup_send_ep(tf, &ep, &badge);

	return err ? err : ipc_send(ep, badge, tf->r15);
}

long SYS_RECV_handler(struct trap_frame *tf)
{
	struct kobj *ep;
	long err = lookup_obj((handle_t)tf->rdi, KOBJ_ENDPOINT, R_RECV, &ep, NULL);

	if (err)
		return err;
	if (current_thread()->caller)
		return E_BUSY; /* reply (or save the reply) first */
	return ipc_recv((struct endpoint *)ep, tf->r15, NULL);
}

/* The thread a reply goes to: the implicit slot (handle 0) or a reply object. */
static long reply_target(handle_t h, struct thread **out)
{
	struct thread *cur = current_thread();
	struct kobj *o;

	if (h == HANDLE_INVALID) {
		*out = cur->caller;
		return *out ? E_OK : E_INVAL;
	}
	long err = lookup_obj(h, KOBJ_REPLY, 0, &o, NULL);
	if (err)
		return err;
	struct reply *r = (struct reply *)o;
	if (!r->caller)
		return E_CLOSED;
	*out = r->caller;
	r->caller = NULL;
	(*out)->saved_reply = NULL;
	return E_OK;
}

long SYS_REPLY_handler(struct trap_frame *tf)
{
	struct thread *caller;
	long err = check_message(tf, R_GRANT);

	if (!err)
		err = reply_target((handle_t)tf->rdi, &caller);
	if (err)
		return err;
	caller = ipc_reply_to(caller);
	thread_wake(caller, caller->wake_result);
	return E_OK;
}

long SYS_REPLY_RECV_handler(struct trap_frame *tf)
{
	struct thread *cur = current_thread();
	struct kobj *ep;
	long err = lookup_obj((handle_t)tf->rdi, KOBJ_ENDPOINT, R_RECV, &ep, NULL);

	if (!err && cur->caller)
		err = check_message(tf, R_GRANT);
	if (err)
		return err;
	struct thread *caller = cur->caller ? ipc_reply_to(cur->caller) : NULL;
	return ipc_recv((struct endpoint *)ep, tf->r15, caller);
}

long SYS_REPLY_SAVE_handler(struct trap_frame *tf)
{
	struct reply *r;
	struct account *a = current_process()->acct;
	(void)tf;
	int err = account_charge(a, sizeof(*r)); /* first: a reply made cannot be undone */

	if (!err && (err = ipc_reply_save(&r)) != E_OK)
		account_uncharge(a, sizeof(*r));
	if (err)
		return err;
	kobj_adopt_charge(&r->obj, a, sizeof(*r));
	return cap_give_new(&r->obj, R_TRANSFER);
}

long SYS_NTFN_TIMER_handler(struct trap_frame *tf)
{
	struct kobj *n;
	long err = lookup_obj((handle_t)SYS_ARG0(tf), KOBJ_NOTIFICATION, R_SIGNAL, &n, NULL);

	if (err)
		return err;
	if (SYS_ARG1(tf) && !(SYS_ARG2(tf) & NTFN_BITS_MASK))
		return E_INVAL; /* a timer that signals nothing */
	ntfn_timer_set((struct ntfn *)n, SYS_ARG1(tf), SYS_ARG2(tf));
	return E_OK;
}

/* Arm (flags 0) or cancel (EP_WATCH_CANCEL) a client-death notice for a badge. */
long SYS_EP_WATCH_handler(struct trap_frame *tf)
{
	struct kobj *ep;
	uint64_t badge = SYS_ARG1(tf), flags = SYS_ARG2(tf);
	long err = lookup_obj((handle_t)SYS_ARG0(tf), KOBJ_ENDPOINT, R_RECV, &ep, NULL);

	if (err)
		return err;
	if (badge == 0 || (flags & ~(uint64_t)EP_WATCH_CANCEL))
		return E_INVAL; /* badge 0 names no client: it is never counted */
	if (flags & EP_WATCH_CANCEL)
		return ep_client_unwatch((struct endpoint *)ep, badge);
	return ep_client_watch((struct endpoint *)ep, badge, current_process()->acct);
}
