/* SPDX-License-Identifier: MIT */
/*
 * Inline bodies of the IPC wrappers and of the syscalls a message loop or
 * a benchmark runs most (null, yield, notification signal and wait),
 * declared in sys/sys.h. They are GNU `extern inline` (gnu_inline): every call is
 * expanded in place, so a message built in C variables goes straight into
 * the registers SYSCALL carries and a received one straight out of them,
 * and a struct ipc_msg that the caller does not otherwise keep in memory
 * never reaches memory. libsys/rt/syscalls.c still emits each one out of
 * line, for anything that takes its address. Host tests (HOST_TEST) do not
 * see this file: they link fake transports under the same names.
 */
#pragma once

#include "arch/user_ipc.h"

#define SYS_INLINE extern inline __attribute__((gnu_inline, always_inline))

/*
 * One IPC trap: `out` is sent (NULL: an empty message), and on success
 * what arrived lands in `m` (NULL: dropped).
 */
SYS_INLINE long ipc_op(long nr, handle_t h, struct ipc_msg *m, const struct ipc_msg *out,
		       uint64_t timeout)
{
	struct user_ipc_regs r = {
		.rdi = h,
		.tag = out ? out->tag : 0,
		.w = {out ? out->w[0] : 0, out ? out->w[1] : 0, out ? out->w[2] : 0,
		      out ? out->w[3] : 0, out ? out->w[4] : 0, out ? out->w[5] : 0},
		.cap = out ? out->cap : 0,
	};
	long err = user_ipc_trap(nr, &r, timeout);

	if (err == E_OK && m) {
		m->tag = r.tag;
		m->w[0] = r.w[0]; /* one by one: a loop is vectorized through SSE */
		m->w[1] = r.w[1];
		m->w[2] = r.w[2];
		m->w[3] = r.w[3];
		m->w[4] = r.w[4];
		m->w[5] = r.w[5];
		m->cap = (handle_t)r.cap;
		m->badge = r.rdi;
	}
	return err;
}

SYS_INLINE long ipc_call(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_CALL, ep, m, m, timeout);
}

SYS_INLINE long ipc_send(handle_t ep, const struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_SEND, ep, NULL, m, timeout);
}

SYS_INLINE long ipc_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_RECV, ep, m, NULL, timeout);
}

SYS_INLINE long ipc_reply(handle_t reply, const struct ipc_msg *m)
{
	return ipc_op(SYS_REPLY, reply, NULL, m, 0);
}

SYS_INLINE long ipc_reply_recv(handle_t ep, struct ipc_msg *m, uint64_t timeout)
{
	return ipc_op(SYS_REPLY_RECV, ep, m, m, timeout);
}

SYS_INLINE long sys_null(void)
{
	return user_trap0(SYS_NULL);
}

SYS_INLINE long sys_yield(void)
{
	return user_trap0(SYS_YIELD);
}

SYS_INLINE long sys_ntfn_signal(handle_t ntfn, uint64_t bits)
{
	return user_trap2(SYS_NTFN_SIGNAL, ntfn, bits);
}

SYS_INLINE long sys_ntfn_wait(handle_t ntfn, uint64_t timeout)
{
	return user_trap2(SYS_NTFN_WAIT, ntfn, timeout);
}
