/* SPDX-License-Identifier: MIT */
/*
 * Client records and client-death notices (SYS_EP_WATCH). A server tells
 * its clients apart by the badges of the handles they call through, so here
 * a client is a badge on an endpoint, and it is gone when no handle carries
 * that badge to the endpoint any more: every copy closed, or the processes
 * that held them ended (which closes their handles).
 *
 * So the kernel counts, for each (endpoint, badge) in use, the handles
 * carrying it: handle_insert and the release of a slot call ep_client_ref
 * and ep_client_unref. A badge's first handle (SYS_EP_MINT) creates its
 * record, charged to the account of the table it lands in; copies (dup,
 * grant, a capability in a message) only count. The records live in one
 * hash table keyed by endpoint and badge.
 *
 * A holder of R_RECV on the endpoint (its server) arms a notice for a badge:
 * the message is allocated then, charged to the server, so posting it later
 * cannot fail. When the count reaches zero the record goes and the notice
 * is posted on the endpoint (IPC_LABEL_GONE, the badge in the badge and in
 * w0), like the supervisor's fault and exit notices. At most EP_WATCH_MAX
 * notices are armed or waiting on one endpoint.
 */
#include "kernel/account.h"
#include "kernel/ipc.h"
#include "kernel/kheap.h"
#include "kernel/panic.h"
#include "sys/errors.h"

#define CLIENT_BUCKET_BITS 9

struct client_notice {
	struct kmsg k; /* first: ipc_post and the release see only this */
	struct endpoint *ep;
	struct account *payer;
};

struct client {
	struct client *next;
	struct endpoint *ep; /* weak: every handle counted here holds the endpoint */
	uint64_t badge;
	uint64_t handles;
	struct account *payer;	      /* charged for this record */
	struct client_notice *notice; /* armed, or NULL */
};

static struct client *buckets[1u << CLIENT_BUCKET_BITS];

/* The link pointing at ep's record for badge (*link is NULL if there is none). */
static struct client **find(const struct endpoint *ep, uint64_t badge)
{
	uint64_t h = (((uint64_t)(uintptr_t)ep >> 4) ^ badge) * 0x9E3779B97F4A7C15ull;
	struct client **link = &buckets[h >> (64 - CLIENT_BUCKET_BITS)];

	while (*link && ((*link)->ep != ep || (*link)->badge != badge))
		link = &(*link)->next;
	return link;
}

int ep_client_ref(struct endpoint *ep, uint64_t badge, struct account *payer)
{
	struct client **link = find(ep, badge);

	if (*link) {
		(*link)->handles++;
		return E_OK;
	}
	if (account_charge(payer, sizeof(struct client)))
		return E_QUOTA;
	struct client *c = kzalloc(sizeof(*c));
	if (!c) {
		account_uncharge(payer, sizeof(struct client));
		return E_NOMEM;
	}
	*c = (struct client){.ep = ep, .badge = badge, .handles = 1, .payer = payer};
	account_get(payer);
	*link = c;
	return E_OK;
}

/* The notice has been delivered, dropped with its endpoint, or disarmed. */
static void notice_release(struct kmsg *k)
{
	struct client_notice *n = (struct client_notice *)k;

	n->ep->watches--;
	account_uncharge(n->payer, sizeof(*n));
	account_put(n->payer);
	kfree(n);
}

static void post_notice(struct client *c)
{
	struct kmsg *k = &c->notice->k;

	k->badge = c->badge;
	k->tag = IPC_TAG(IPC_LABEL_GONE, 1, 0, 0);
	k->w[0] = c->badge;
	c->notice = NULL;
	ipc_post(c->ep, k); /* from here the endpoint's queue owns it */
}

void ep_client_unref(struct endpoint *ep, uint64_t badge)
{
	struct client **link = find(ep, badge);
	struct client *c = *link;

	KASSERT(c && c->handles > 0);
	if (--c->handles > 0)
		return;
	*link = c->next;
	if (c->notice)
		post_notice(c);
	account_uncharge(c->payer, sizeof(*c));
	account_put(c->payer);
	kfree(c);
}

int ep_client_watch(struct endpoint *ep, uint64_t badge, struct account *payer)
{
	struct client *c = *find(ep, badge);

	if (!c)
		return E_NOENT; /* no handle carries it: that client is gone already */
	if (c->notice)
		return E_OK; /* armed once is enough */
	if (ep->watches >= EP_WATCH_MAX)
		return E_NOSPACE;
	if (account_charge(payer, sizeof(struct client_notice)))
		return E_QUOTA;
	struct client_notice *n = kzalloc(sizeof(*n));
	if (!n) {
		account_uncharge(payer, sizeof(struct client_notice));
		return E_NOMEM;
	}
	n->k.release = notice_release;
	n->ep = ep;
	n->payer = payer;
	account_get(payer);
	ep->watches++;
	c->notice = n;
	return E_OK;
}

int ep_client_unwatch(struct endpoint *ep, uint64_t badge)
{
	struct client *c = *find(ep, badge);

	if (!c || !c->notice)
		return E_NOENT;
	notice_release(&c->notice->k);
	c->notice = NULL;
	return E_OK;
}
