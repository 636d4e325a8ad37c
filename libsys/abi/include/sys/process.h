/* SPDX-License-Identifier: MIT */
/*
 * Process information (SYS_PROCESS_INFO) and memory accounting. Every process
 * is charged for the memory objects created on its behalf (SYS_MOBJ_CREATE's
 * third argument) and for its threads' kernel stacks; past its quota
 * (SYS_PROCESS_SET_QUOTA) such requests fail with E_QUOTA, so a runaway
 * process cannot take memory from the others.
 */
#pragma once

#include <stdint.h>

#define QUOTA_UNLIMITED UINT64_MAX
#define PROCESS_INFO_NAME 32

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
