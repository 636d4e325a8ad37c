/* SPDX-License-Identifier: MIT */
/*
 * Endpoints, notifications and reply objects: synchronous rendezvous IPC
 * (see libsys/abi/include/sys/ipc.h for the message layout and registers).
 * Threads blocked on these objects hold no reference to them; when the last
 * handle goes, every waiter is woken with E_CLOSED.
 */
#pragma once

#include "kernel/thread.h"

#include "sys/ipc.h"

struct account;
struct ntfn;
struct irq;
struct process;

/* Labels only the kernel sends (IPC_LABEL_KERNEL_FIRST up); SYS_CALL and SYS_SEND refuse them. */
_Static_assert(IPC_LABEL_FAULT >= IPC_LABEL_KERNEL_FIRST &&
		       IPC_LABEL_NOTIFY >= IPC_LABEL_KERNEL_FIRST &&
		       IPC_LABEL_EXIT >= IPC_LABEL_KERNEL_FIRST &&
		       IPC_LABEL_GONE >= IPC_LABEL_KERNEL_FIRST,
	       "every kernel label is in the reserved range");

/*
 * A message the kernel itself sends. Fault and exit notices to a supervisor
 * are preallocated in the object they report on (`owner`), which each keeps
 * alive while queued. A one-shot notice (a client-death notice) has no owner
 * but `release`, called once it has been delivered or dropped.
 */
struct kmsg {
	struct kmsg *next;
	struct kobj *owner;
	void (*release)(struct kmsg *k);
	bool queued;
	bool has_regs;
	uint64_t badge, tag;
	uint64_t w[IPC_WORDS];
	struct fault_regs regs;
};

struct endpoint {
	struct kobj obj;
	struct wait_queue senders;	/* B_SEND: their message waits in their frames */
	struct wait_queue receivers;	/* B_RECV */
	struct ntfn *bound;		/* delivered to receivers as IPC_LABEL_NOTIFY */
	struct kmsg *kq_head, *kq_tail; /* kernel notices, delivered before senders */
	struct process *supervised;	/* processes whose notices come here */
	uint32_t watches;		/* client-death notices armed or pending (ipc/client.c) */
};

struct ntfn {
	struct kobj obj;
	uint64_t bits;
	struct wait_queue waiters;
	struct endpoint *bound_ep; /* weak: cleared when the endpoint goes */
	/* one-shot timer (SYS_NTFN_TIMER): signal timer_bits at timer_deadline */
	uint64_t timer_deadline, timer_bits;
	struct ntfn *timer_next;
	bool timer_armed;
	struct irq *irqs; /* IRQs delivered here (kernel/device.h) */
};

struct reply {
	struct kobj obj;
	struct thread *caller; /* NULL once used or when the caller is gone */
};

/* Notification bits are 63 wide so a wait can return them as a result. */
#define NTFN_BITS_MASK 0x7FFFFFFFFFFFFFFFull

int endpoint_create(struct endpoint **out);
int ntfn_create(struct ntfn **out);
void ntfn_signal(struct ntfn *n, uint64_t bits);
long ntfn_wait(struct ntfn *n, uint64_t timeout);
int endpoint_bind(struct endpoint *ep, struct ntfn *n);
/* Arm (deadline > 0) or cancel (deadline 0) the notification's timer. */
void ntfn_timer_set(struct ntfn *n, uint64_t deadline, uint64_t bits);
/* Fire every notification timer due by `now` (called from the tick). */
void ntfn_timers_expire(uint64_t now);

/* The operations, for the current thread; the message is in its frame. */
long ipc_call(struct endpoint *ep, uint64_t badge, uint64_t timeout);
long ipc_send(struct endpoint *ep, uint64_t badge, uint64_t timeout);
long ipc_recv(struct endpoint *ep, uint64_t timeout, struct thread *handoff);
/* Reply to `caller` with the current thread's message; returns the caller,
 * whose wake_result is what its call returns (E_OK, or why nothing came). */
struct thread *ipc_reply_to(struct thread *caller);
int ipc_reply_save(struct reply **out);

/* Put bound-notification bits into a receiver's registers (label IPC_LABEL_NOTIFY). */
void ipc_deliver_notification(struct thread *to, uint64_t bits);

/* Send a kernel notice: to a waiting receiver now, else queued on the endpoint. */
void ipc_post(struct endpoint *ep, struct kmsg *k);

/*
 * Client records (ipc/client.c): how many handles carry each badge to each
 * endpoint, so a server can be told when none is left (SYS_EP_WATCH).
 * ep_client_ref counts one more handle; a badge's first one creates its
 * record, charged to `payer` (E_QUOTA, E_NOMEM: nothing counted).
 * ep_client_unref counts one less; the last one posts an armed notice.
 */
int ep_client_ref(struct endpoint *ep, uint64_t badge, struct account *payer);
void ep_client_unref(struct endpoint *ep, uint64_t badge);
/* Arm a notice for badge, charged to `payer`: E_NOENT (no handle), E_NOSPACE, E_QUOTA. */
int ep_client_watch(struct endpoint *ep, uint64_t badge, struct account *payer);
/* Disarm it: E_NOENT when none is armed. */
int ep_client_unwatch(struct endpoint *ep, uint64_t badge);

/* A caller waiting for a reply gives up (timeout): unlink it from its server. */
void ipc_cancel_call(struct thread *caller);

/* Cut every IPC link of a thread that is being killed. */
void ipc_thread_cleanup(struct thread *t);
