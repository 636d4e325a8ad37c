/* SPDX-License-Identifier: MIT */
/*
 * stream: the stream server (proto/stream.h). It owns every stream's ring
 * and hands out its ends; streams.c holds the handlers, this file the
 * system calls under them. A fresh badge for an end comes from the name
 * service: each lookup of our own name is a new badge on our endpoint
 * (servers/init/services.c), minted by init, which owns the endpoint.
 * Recovery: stateless; the streams of a dead instance are gone (their
 * holders see end-of-stream or E_PIPE, proto/stream.h).
 */
#include <string.h>

#include "proto/ns.h"
#include "streams.h"
#include "sys/errors.h"
#include "sys/server.h"
#include "sys/start.h"
#include "sys/stdio.h"
#include "sys/sys.h"

#define RING_VA	   0x0000690000000000ull /* stream i's ring at RING_VA + i * RING_SLOT */
#define RING_SLOT  0x10000ull
#define RING_PAGES ((STREAM_RING_BYTES + 4095u) / 4096u)

static handle_t endpoint;
static uint64_t slots_used; /* bit i: RING_VA slot i holds a ring */
_Static_assert(STREAM_MAX <= 64, "one word of slot bits");

static long sys_mint(void *ctx, handle_t *h, uint64_t *badge)
{
	(void)ctx;
	return ns_mint_self(STREAM_SERVICE, h, badge);
}

static long sys_watch(void *ctx, uint64_t badge)
{
	(void)ctx;
	return sys_ep_watch(endpoint, badge, 0);
}

static void sys_close(void *ctx, handle_t h)
{
	(void)ctx;
	sys_handle_close(h);
}

static long sys_ring_new(void *ctx, handle_t *mobj, void **va)
{
	int slot = 0;

	(void)ctx;
	while (slot < STREAM_MAX && (slots_used >> slot & 1))
		slot++;
	if (slot == STREAM_MAX)
		return E_NOSPACE;
	uintptr_t at = (uintptr_t)(RING_VA + (uint64_t)slot * RING_SLOT);
	long m = sys_mobj_create(RING_PAGES * 4096ull, 0);
	if (m < 0)
		return m;
	long err = sys_mobj_map(HANDLE_SELF, (handle_t)m, at, 0, RING_PAGES * 4096ull,
				R_READ | R_WRITE);
	if (err < 0) {
		sys_handle_close((handle_t)m);
		return err;
	}
	memset((void *)at, 0, STREAM_HEADER_BYTES);
	slots_used |= 1ull << slot;
	*mobj = (handle_t)m;
	*va = (void *)at;
	return E_OK;
}

static void sys_ring_free(void *ctx, handle_t mobj, void *va)
{
	uint64_t slot = ((uintptr_t)va - RING_VA) / RING_SLOT;

	(void)ctx;
	sys_unmap(HANDLE_SELF, (uintptr_t)va, RING_PAGES * 4096ull);
	sys_handle_close(mobj);
	slots_used &= ~(1ull << slot);
}

static long sys_ring_lend(void *ctx, handle_t mobj, handle_t *copy)
{
	long h = sys_handle_dup(mobj, R_READ | R_WRITE | R_TRANSFER);

	(void)ctx;
	if (h < 0)
		return h;
	*copy = (handle_t)h;
	return E_OK;
}

static long sys_defer(void *ctx, uint64_t *token)
{
	long r = sys_reply_save();

	(void)ctx;
	if (r < 0)
		return r;
	*token = (uint64_t)r;
	return E_OK;
}

static void sys_answer(void *ctx, uint64_t token, long status, uint64_t w0)
{
	struct ipc_msg m = {.tag = IPC_TAG((uint16_t)status, 1, 0, 0), .w = {w0}};

	(void)ctx;
	ipc_reply((handle_t)token, &m); /* E_CLOSED: that caller is gone */
	sys_handle_close((handle_t)token);
}

static const struct streams_sys real_sys = {sys_mint,	  sys_watch,	 sys_close,
					    sys_ring_new, sys_ring_free, sys_ring_lend,
					    sys_defer,	  sys_answer,	 NULL};

int main(void)
{
	static struct streams state = {.sys = &real_sys};
	static struct stream_server ss = {&streams_ops, &state};

	endpoint = start_handle(STREAM_SERVICE, NULL);
	if (endpoint == HANDLE_INVALID) {
		printf("stream: no endpoint given\n");
		return 1;
	}
	struct server s = stream_server_for(endpoint, &ss);
	return (int)server_run(&s);
}
