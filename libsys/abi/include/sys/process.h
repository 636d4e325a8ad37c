/* SPDX-License-Identifier: MIT */
/*
 * Process information (SYS_PROCESS_INFO), memory accounting and priority
 * limits. Every process is charged for the memory objects created on its
 * behalf (SYS_MOBJ_CREATE's third argument), its threads' kernel stacks and
 * the kernel objects it creates; what is charged to a process is charged to
 * the process that pays for it too (its creator, or whoever set its quota
 * from above), and so on up to init. Past a quota (SYS_PROCESS_CREATE's, or
 * SYS_PROCESS_SET_QUOTA's) requests fail with E_QUOTA, so a runaway process
 * cannot take memory from the others. pages_used counts a process and
 * everything it pays for, in whole pages.
 *
 * A process's threads run at most at its maximum priority, set when it is
 * created (never above its creator's; PROCESS_PRIORITY_INHERIT: the same).
 */
#pragma once

#include <stdint.h>

#define QUOTA_UNLIMITED		 UINT64_MAX
#define PROCESS_PRIORITY_INHERIT 0xFFu
#define PROCESS_INFO_NAME	 32

enum process_state {
	PROCESS_RUNNING = 1,
	PROCESS_FAULTED = 2, /* a thread is suspended on a fault; the supervisor decides */
	PROCESS_EXITED = 3,
};

struct process_info {
	uint64_t pid;
	uint32_t state; /* enum process_state */
	uint32_t threads;
	int64_t exit_code; /* valid when PROCESS_EXITED */
	uint64_t pages_used;
	uint64_t pages_quota;
	char name[PROCESS_INFO_NAME];
};
_Static_assert(sizeof(struct process_info) == 72, "process_info is part of the ABI");
