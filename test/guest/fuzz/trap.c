/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's only assembly: fz_trap, a SYSCALL with every register the
 * kernel reads taken from a struct fz_regs (and the ones it should not read
 * filled with junk), RFLAGS loaded by POPFQ right before the SYSCALL so the
 * kernel sees whatever flags ring 3 can set (DF, AC, NT, TF, ...); and the
 * thread stub, position-independent code that needs no stack, which the
 * child copies into a memory object and runs in itself and in raw processes:
 * four rounds of receive, reply and call on the handle it was given (1 ms
 * timeouts), then SYS_THREAD_EXIT.
 */
#include "fuzz.h"

/* The numbers the stub and fz_trap's layout hard-code. */
_Static_assert(SYS_CALL == 25 && SYS_RECV == 27 && SYS_REPLY == 28, "stub numbers");
_Static_assert(SYS_THREAD_EXIT == 14, "stub numbers");
_Static_assert(offsetof(struct fz_regs, r15) == 80 && offsetof(struct fz_regs, rflags) == 88,
	       "fz_trap offsets");

#define RFLAGS_CLEAN 0x202ull /* IF and the always-one bit */
#define RFLAGS_TF    0x100ull
#define RFLAGS_DF    0x400ull
#define RFLAGS_NT    0x4000ull
#define RFLAGS_AC    0x40000ull
#define RFLAGS_ID    0x200000ull
#define RFLAGS_ARITH 0x8D5ull /* CF PF AF ZF SF OF */

__asm__(".text\n"
	".globl fz_trap\n"
	".type fz_trap, @function\n"
	"fz_trap:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	mov %rdi, %rbx\n"
	"	pushq 88(%rbx)\n"
	"	mov 0(%rbx), %rax\n"
	"	mov 8(%rbx), %rdi\n"
	"	mov 16(%rbx), %rsi\n"
	"	mov 24(%rbx), %rdx\n"
	"	mov 32(%rbx), %r10\n"
	"	mov 40(%rbx), %r8\n"
	"	mov 48(%rbx), %r9\n"
	"	mov 56(%rbx), %r12\n"
	"	mov 64(%rbx), %r13\n"
	"	mov 72(%rbx), %r14\n"
	"	mov 80(%rbx), %r15\n"
	"	mov %rax, %rbp\n" /* junk in the registers the kernel never reads */
	"	mov %rax, %rcx\n"
	"	mov %rax, %r11\n"
	"	popfq\n"
	"	syscall\n"
	"	pushq $0x202\n" /* clean flags again (DF off) before any C runs */
	"	popfq\n"
	"	mov %rax, 0(%rbx)\n"
	"	mov %rdi, 8(%rbx)\n"
	"	mov %rsi, 16(%rbx)\n"
	"	mov %rdx, 24(%rbx)\n"
	"	mov %r10, 32(%rbx)\n"
	"	mov %r8, 40(%rbx)\n"
	"	mov %r9, 48(%rbx)\n"
	"	mov %r12, 56(%rbx)\n"
	"	mov %r13, 64(%rbx)\n"
	"	mov %r14, 72(%rbx)\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	".size fz_trap, . - fz_trap\n");

__asm__(".text\n"
	".globl fz_stub_start, fz_stub_end\n"
	"fz_stub_start:\n"
	"	mov %rdi, %rbx\n"
	"	mov $4, %ebp\n"
	"1:	mov $27, %eax\n" /* SYS_RECV, 1 ms */
	"	mov %ebx, %edi\n"
	"	xor %esi, %esi\n"
	"	mov $1000000, %r15d\n"
	"	syscall\n"
	"	mov $28, %eax\n" /* SYS_REPLY to whoever called, label 0 */
	"	xor %edi, %edi\n"
	"	xor %esi, %esi\n"
	"	syscall\n"
	"	mov $25, %eax\n" /* SYS_CALL, label 0x20, 1 ms */
	"	mov %ebx, %edi\n"
	"	mov $0x20, %esi\n"
	"	mov $1000000, %r15d\n"
	"	syscall\n"
	"	dec %ebp\n"
	"	jnz 1b\n"
	"	mov $14, %eax\n" /* SYS_THREAD_EXIT */
	"	syscall\n"
	"	ud2\n"
	"fz_stub_end:\n");

uint64_t fz_rflags(struct fz_thread *t)
{
	struct fz_rng *r = &t->rng;
	uint64_t f = RFLAGS_CLEAN;

	if (fz_percent(r, 70))
		return f;
	f |= fz_next(r) & RFLAGS_ARITH;
	f |= fz_percent(r, 30) ? RFLAGS_DF : 0;
	f |= fz_percent(r, 30) ? RFLAGS_NT : 0;
	f |= fz_percent(r, 30) ? RFLAGS_AC : 0;
	f |= fz_percent(r, 20) ? RFLAGS_ID : 0;
	f |= fz_one_in(r, 20000) ? RFLAGS_TF : 0; /* single-steps us into a fault */
	return f;
}
