/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through GS in the kernel (swapgs on every entry from
 * ring 3). The first fields are read by syscall.asm at fixed offsets.
 */
#pragma once

#include "kernel/types.h"

struct thread;

struct percpu {
	uint64_t kernel_rsp; /* offset 0: top of the current thread's kernel stack */
	uint64_t user_rsp;   /* offset 8: scratch for the user stack pointer at syscall */
	struct thread *current;
	struct thread *idle;
	bool need_resched;
};

#define PERCPU_KERNEL_RSP 0
#define PERCPU_USER_RSP	  8

extern struct percpu cpu0;

static inline struct percpu *this_cpu(void)
{
	return &cpu0; /* one CPU for now; SMP will read GS */
}

/* Set up GS, SYSCALL MSRs, SMEP/SMAP and the FPU for the boot CPU. */
void cpu_init(void);
void cpu_set_kernel_stack(uintptr_t top);
bool cpu_has_smap(void);
bool cpu_has_smep(void);
/* Whether PAT entry 4 is write-combining (PT_WRITE_COMBINING maps WC, not uncached). */
bool cpu_has_pat_wc(void);
