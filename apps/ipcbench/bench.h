/* SPDX-License-Identifier: MIT */
/*
 * ipcbench: measures the kernel's IPC paths with the time-stamp counter.
 * Under QEMU -icount shift=0 one tick is one executed guest instruction.
 * main.c is the client and prints the results; server.c is the other side,
 * run as a second process ("ipcbench server") or as a thread of the client.
 */
#pragma once

#include <stdint.h>

#include "sys/sys.h"

#define BENCH_ITERATIONS 2000
#define BENCH_WARMUP     100
#define BENCH_SHM_BYTES  4096

/*
 * Methods of the benchmark's own little protocol (0x7F00-0x7FFF). All are
 * idempotent except the setups (each maps again) and BENCH_QUIT.
 */
enum {
	BENCH_ECHO = 0x7F01,     /* reply with the same words */
	BENCH_BUF = 0x7F02,      /* bytes in the IPC buffer; reply empty */
	BENCH_SHM_SETUP = 0x7F03, /* cap: a memory object to map as the shared page */
	BENCH_SHM_SUM = 0x7F04,  /* read the shared page, reply with its sum */
	BENCH_NTFN_SETUP = 0x7F05, /* cap: a notification (first ping, then pong) */
	BENCH_NTFN_LOOP = 0x7F06, /* reply, then bounce notifications until bit 63-1 */
	BENCH_QUIT = 0x7F07,
};

#define BENCH_SHM_VA     0x0000300000000000ull
#define BENCH_NTFN_PING  1ull
#define BENCH_NTFN_STOP  2ull

/* Serve requests on `ep` until BENCH_QUIT; used by both server forms. */
int bench_serve(handle_t ep);
