/* SPDX-License-Identifier: MIT */
/*
 * IPC calls (call, send, recv, reply, reply_recv) between the child's own
 * worker threads and the stub threads in its raw processes, which all talk
 * on the same few endpoints: random tags (labels including the kernel's
 * reserved ones, word counts past six, a capability flag, byte counts up to
 * and past the buffer), random words, a capability from the pool or a bogus
 * one, and a timeout that is short nearly always. A capability that arrives
 * goes into the pool.
 */
#include "fuzz.h"

static uint64_t label(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 50)
		return fz_below(&t->rng, 16);
	if (roll < 60)
		return fz_range(&t->rng, IPC_LABEL_EXIT, IPC_LABEL_NOTIFY);
	if (roll < 70)
		return fz_range(&t->rng, 0xFFF0, 0xFFFC);
	return fz_below(&t->rng, 0x10000);
}

static uint64_t byte_count(struct fz_thread *t)
{
	unsigned roll = (unsigned)fz_below(&t->rng, 100);

	if (roll < 55)
		return 0;
	if (roll < 80)
		return fz_range(&t->rng, 1, 64);
	if (roll < 90)
		return fz_range(&t->rng, 65, IPC_BUF_BYTES);
	if (roll < 95)
		return IPC_BUF_BYTES;
	return fz_range(&t->rng, IPC_BUF_BYTES + 1, 0xFFF);
}

static uint64_t tag(struct fz_thread *t)
{
	uint64_t words = fz_below(&t->rng, 8);
	bool cap = fz_percent(&t->rng, 25);
	uint64_t tag = IPC_TAG(label(t), words, cap, byte_count(t));

	if (fz_percent(&t->rng, 10))
		tag |= fz_next(&t->rng) << 32; /* bits no tag field uses */
	return tag;
}

static uint64_t ipc_handle(struct fz_thread *t, uint64_t nr)
{
	if (nr != SYS_REPLY)
		return fz_arg(t, A_EP);
	switch (fz_below(&t->rng, 5)) {
	case 0:
	case 1:
		return HANDLE_INVALID; /* the implicit reply slot */
	case 2:
	case 3:
		return fz_pool_get(t, FK_REPLY);
	default:
		return fz_arg(t, A_HANDLE);
	}
}

void fz_ipc(struct fz_thread *t, struct fz_regs *r)
{
	r->rdi = ipc_handle(t, r->rax);
	r->rsi = tag(t);
	r->r14 = fz_percent(&t->rng, 80) ? fz_pool_any(t) : fz_pool_bogus(t);
	r->r15 = fz_timeout(t);
}

void fz_ipc_after(struct fz_thread *t, uint64_t nr, const struct fz_regs *r)
{
	bool receives = nr == SYS_CALL || nr == SYS_RECV || nr == SYS_REPLY_RECV;

	if (receives && IPC_TAG_CAP(r->rsi) && (handle_t)r->r14 != HANDLE_INVALID)
		fz_pool_classify(t, (handle_t)r->r14);
}
