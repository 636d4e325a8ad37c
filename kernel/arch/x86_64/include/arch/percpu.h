/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data, reached through GS in the kernel (swapgs on every entry from
 * ring 3). The first fields are read by syscall.asm at fixed offsets.
 */
#pragma once

#include "kernel/types.h"

struct thread;

struct percpu {
	uint64_t kernel_rsp;	/* offset 0: top of the current thread's kernel stack */
	uint64_t user_rsp;	/* offset 8: scratch for the user stack pointer at syscall */
	struct thread *current; /* offset 16: read through GS by percpu_current() */
	struct thread *idle;
	bool need_resched;
	uint64_t fs_base; /* the FS base in the MSR now */
	void *tss_rsp0;	  /* the TSS's rsp0 slot (gdt_kernel_stack_slot) */
};

#define PERCPU_KERNEL_RSP   0
#define PERCPU_USER_RSP	    8
#define PERCPU_CURRENT	    16
#define PERCPU_NEED_RESCHED 32 /* syscall.asm */

extern struct percpu cpu0;

static inline struct percpu *this_cpu(void)
{
	return &cpu0; /* one CPU for now; SMP will read GS */
}

/* The running thread, in one load through the per-CPU register. */
static inline struct thread *percpu_current(void)
{
	struct thread *t;
	__asm__("mov %%gs:%c1, %0" : "=r"(t) : "i"(PERCPU_CURRENT));
	return t;
}

_Static_assert(__builtin_offsetof(struct percpu, current) == PERCPU_CURRENT, "percpu_current");
_Static_assert(__builtin_offsetof(struct percpu, need_resched) == PERCPU_NEED_RESCHED &&
		       sizeof(bool) == 1,
	       "syscall.asm reads need_resched as a byte");

/* cpu_set_kernel_stack inlined, for the IPC fastpath. */
static inline void percpu_set_kernel_stack(struct percpu *cpu, uintptr_t top)
{
	cpu->kernel_rsp = top;
	__builtin_memcpy(cpu->tss_rsp0, &top, sizeof(top));
}

/* Set up GS, SYSCALL MSRs, SMEP/SMAP and the FPU for the boot CPU. */
void cpu_init(void);
void cpu_set_kernel_stack(uintptr_t top);
bool cpu_has_smap(void);
bool cpu_has_smep(void);
/* Whether PAT entry 4 is write-combining (PT_WRITE_COMBINING maps WC, not uncached). */
bool cpu_has_pat_wc(void);
