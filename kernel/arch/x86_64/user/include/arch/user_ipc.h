/* SPDX-License-Identifier: MIT */
/*
 * The IPC trap for ring 3 as inline asm (sys/ipc.h gives the registers), so
 * a message goes from C variables to the registers SYSCALL carries without
 * a stub that spills every slot to memory and back. libsys's ipc_* wrappers
 * (libsys/rt/include/sys/ipc_inline.h) are built on it, and user_trap0 is
 * the trap for a syscall without arguments, user_trap2 for two. Lives here because every line
 * of asm is under kernel/arch/x86_64.
 */
#pragma once

#include <stdint.h>

/*
 * Always expanded in place and never emitted out of line (GNU extern
 * inline), so libsys's own extern inline wrappers may use them.
 */
#define USER_TRAP extern inline __attribute__((gnu_inline, always_inline))

/* The IPC registers but rax and the timeout: in, the message; out, what came. */
struct user_ipc_regs {
	uint64_t rdi; /* in: endpoint or reply handle; out: badge */
	uint64_t tag;
	uint64_t w[6];
	uint64_t cap;
};

USER_TRAP long user_ipc_trap(long nr, struct user_ipc_regs *r, uint64_t timeout)
{
	register uint64_t rdi __asm__("rdi") = r->rdi;
	register uint64_t rsi __asm__("rsi") = r->tag;
	register uint64_t rdx __asm__("rdx") = r->w[0];
	register uint64_t r10 __asm__("r10") = r->w[1];
	register uint64_t r8 __asm__("r8") = r->w[2];
	register uint64_t r9 __asm__("r9") = r->w[3];
	register uint64_t r12 __asm__("r12") = r->w[4];
	register uint64_t r13 __asm__("r13") = r->w[5];
	register uint64_t r14 __asm__("r14") = r->cap;
	register uint64_t r15 __asm__("r15") = timeout;
	long rax = nr;

	__asm__ volatile("syscall"
			 : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9), "+r"(r12), "+r"(r13), "+r"(r14)
			 : "r"(r15)
			 : "rcx", "r11", "memory");
	r->rdi = rdi;
	r->tag = rsi;
	r->w[0] = rdx;
	r->w[1] = r10;
	r->w[2] = r8;
	r->w[3] = r9;
	r->w[4] = r12;
	r->w[5] = r13;
	r->cap = r14;
	return rax;
}

/* A syscall without arguments (SYS_NULL): the kernel keeps every register but rax, rcx, r11. */
USER_TRAP long user_trap0(long nr)
{
	long rax = nr;

	__asm__ volatile("syscall" : "+a"(rax) : : "rcx", "r11", "memory");
	return rax;
}

/* A syscall with two arguments; as user_trap0, every other register is kept. */
USER_TRAP long user_trap2(long nr, uint64_t a0, uint64_t a1)
{
	register uint64_t rdi __asm__("rdi") = a0;
	register uint64_t rsi __asm__("rsi") = a1;
	long rax = nr;

	__asm__ volatile("syscall" : "+a"(rax) : "r"(rdi), "r"(rsi) : "rcx", "r11", "memory");
	return rax;
}
