/* SPDX-License-Identifier: MIT */
/*
 * The register frame isr.asm builds on every interrupt and exception, and
 * the vector numbers the kernel uses. The layout must match isr_common.
 */
#pragma once

#include "kernel/types.h"

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame must match isr.asm");

enum {
	VEC_DE = 0,
	VEC_DB = 1,
	VEC_NMI = 2,
	VEC_BP = 3,
	VEC_OF = 4,
	VEC_BR = 5,
	VEC_UD = 6,
	VEC_NM = 7,
	VEC_DF = 8,
	VEC_TS = 10,
	VEC_NP = 11,
	VEC_SS = 12,
	VEC_GP = 13,
	VEC_PF = 14,
	VEC_MF = 16,
	VEC_AC = 17,
	VEC_MC = 18,
	VEC_XM = 19,
	VEC_VE = 20,
	VEC_CP = 21,
	VEC_EXCEPTIONS = 32,
	VEC_IRQ_BASE = 32, /* IOAPIC lines are routed to 32 + GSI */
	VEC_IRQ_LAST = 0xDF,
	VEC_PIC_BASE = 0xE0, /* the masked legacy PIC; only its spurious IRQs 7/15 arrive */
	VEC_TIMER = 0xF0,    /* LAPIC timer */
	VEC_IPI_PANIC = 0xFD,
	VEC_SPURIOUS = 0xFF, /* LAPIC spurious vector */
	VEC_SYSCALL = 0x100, /* not a vector: marks frames built by syscall_entry */
};

/* Returns NULL, or the frame of a thread to resume in ring 3 at once (the current one is
 * parked: see trap_dispatch). */
typedef struct trap_frame *(*irq_handler_fn)(struct trap_frame *tf, void *ctx);

void trap_init(void);
int trap_set_handler(unsigned vector, irq_handler_fn fn, void *ctx);
uint64_t trap_spurious_count(void);
uint64_t trap_unclaimed_count(void);
void trap_dump(const struct trap_frame *tf);
