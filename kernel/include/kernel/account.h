/* SPDX-License-Identifier: MIT */
/*
 * Memory accounts: how many pages a process has been charged for (memory
 * objects made on its behalf, its threads' kernel stacks) against its quota.
 * A memory object keeps a reference to the account it charged, so the charge
 * is returned when the object goes, even after the process has ended.
 */
#pragma once

#include "kernel/types.h"

#define ACCOUNT_UNLIMITED UINT64_MAX

struct account {
	uint32_t refs;
	uint64_t used;  /* pages */
	uint64_t limit; /* pages */
};

struct account *account_create(void);
void account_get(struct account *a);
void account_put(struct account *a);
/* Charge `pages`, or E_QUOTA (nothing charged) if that would pass the limit. */
int account_charge(struct account *a, uint64_t pages);
void account_uncharge(struct account *a, uint64_t pages);
