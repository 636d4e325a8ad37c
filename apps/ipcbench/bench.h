/* SPDX-License-Identifier: MIT */
/*
 * ipcbench: measures the kernel's IPC paths with the time-stamp counter.
 * Under QEMU -icount shift=0 one tick is one executed guest instruction.
 * main.c is the client and prints the results; server.c is the other side,
 * run as a second process ("ipcbench server") or as a thread of the client.
 */
#pragma once

#include <stdint.h>

#include "sys/protocols.h"
#include "sys/sys.h"

#define BENCH_ITERATIONS   2000
#define BENCH_WARMUP	   100
/* call_reply_xas_timeout's timeout: seconds, as protocol clients pass (fs, block). */
#define BENCH_CALL_TIMEOUT (5000ull * 1000 * 1000)
#define BENCH_SHM_BYTES	   4096

/*
 * Methods of the benchmark's own little protocol (0x7F00-0x7FFF,
 * sys/protocols.h). All are idempotent except the setups (each maps again)
 * and BENCH_QUIT.
 */
enum {
	BENCH_PROTOCOL_BASE = PROTOCOL_BASE(ipcbench),
	BENCH_ECHO,	  /* reply with the same words */
	BENCH_BUF,	  /* bytes in the IPC buffer; reply empty */
	BENCH_SHM_SETUP,  /* cap: a memory object to map as the shared page */
	BENCH_SHM_SUM,	  /* read the shared page, reply with its sum */
	BENCH_NTFN_SETUP, /* cap: a notification (first ping, then pong) */
	BENCH_NTFN_LOOP,  /* reply, then bounce notifications until bit 63-1 */
	BENCH_YIELD_LOOP, /* reply, then yield ping-pong on the shared page's word 0 */
	BENCH_STAMP_LOOP, /* reply, then wait on ping and stamp word 1 of the shared page */
	BENCH_QUIT,
};

#define BENCH_SHM_VA	0x0000300000000000ull
#define BENCH_NTFN_PING 1ull
#define BENCH_NTFN_STOP 2ull

/* Word 0 of the shared page during BENCH_YIELD_LOOP: whose turn it is. */
#define BENCH_TURN_CLIENT	 0ull
#define BENCH_TURN_SERVER	 1ull
#define BENCH_TURN_STOP		 2ull
/* The server's turn, and it writes the TSC at its yield's return to word 1 first. */
#define BENCH_TURN_STAMP	 3ull
/* Yields without the turn coming back before a side gives up: the two
 * processes are at different priorities, so one never runs the other. */
#define BENCH_YIELD_PATIENCE	 10000
/* signal_oneway's signaller, a thread of the client below the server's 10. */
#define BENCH_SIGNALLER_PRIORITY 9

/* Serve requests on `ep` until BENCH_QUIT; used by both server forms. */
int bench_serve(handle_t ep);
