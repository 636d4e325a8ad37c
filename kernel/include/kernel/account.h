/* SPDX-License-Identifier: MIT */
/*
 * Memory accounts: what a process has been charged for, in bytes, against
 * its limit. Accounts form a tree: a process's account hangs under the
 * account of the process that pays for it (its creator, or whoever set its
 * quota from above), and every charge is also charged to each account above
 * it, each refusing it (E_QUOTA) past its own limit. So a process can never
 * spend more than its payer's quota by creating children, and what it does
 * to its descendants shows in its own `used`.
 *
 * Charged: memory-object frames, kernel stacks, and the kernel's own
 * objects (processes, threads, endpoints, notifications, replies, memory
 * object bookkeeping, handle-table growth, regions, user page tables). An
 * object keeps a reference to the account it charged, so the charge goes
 * back when the object goes, even after the process has ended.
 */
#pragma once

#include "kernel/types.h"

#define ACCOUNT_UNLIMITED UINT64_MAX
#define ACCOUNT_MAX_DEPTH 16 /* bounds every walk up the tree */

struct account {
	uint32_t refs;
	uint32_t depth;		/* 0: the root (init); a bound, never below the real depth */
	uint64_t used;		/* bytes, this account's and everything below it */
	uint64_t limit;		/* bytes */
	struct account *parent; /* pays for everything charged here; NULL: the root */
};

/* A new account under `parent` (NULL: a root) with an unlimited limit. */
int account_create(struct account *parent, struct account **out);
void account_get(struct account *a);
void account_put(struct account *a);
/* Charge `bytes` here and above, or E_QUOTA (nothing charged) past any limit. */
int account_charge(struct account *a, uint64_t bytes);
void account_uncharge(struct account *a, uint64_t bytes);
/* Whether `anc` is `a` or above it. */
bool account_covers(const struct account *anc, const struct account *a);
/* Move `a` (with what it holds) under `payer`, a strict ancestor of it. */
int account_move(struct account *a, struct account *payer);
/* Pages to bytes, saturating at ACCOUNT_UNLIMITED; and bytes to whole pages. */
uint64_t account_pages_to_bytes(uint64_t pages);
uint64_t account_bytes_to_pages(uint64_t bytes);
