/* SPDX-License-Identifier: MIT */
/*
 * Handles and rights. A handle names a kernel object in the calling
 * process's handle table; its rights say what the holder may do with it.
 * Handles are never 0; HANDLE_SELF names the calling process.
 */
#pragma once

#include <stdint.h>

typedef uint32_t handle_t;

#define HANDLE_INVALID ((handle_t)0)
#define HANDLE_SELF    ((handle_t)0xFFFFFFFFu)

enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_PROCESS = 1,
	KOBJ_THREAD = 2,
	KOBJ_ENDPOINT = 3,
	KOBJ_NOTIFICATION = 4,
	KOBJ_MOBJ = 5,
	KOBJ_REPLY = 6,
	KOBJ_RESOURCE = 7, /* a root right over a kind of hardware (sys/device.h) */
	KOBJ_IRQ = 8,	   /* one interrupt line or MSI vector */
	KOBJ_IOPORT = 9,   /* a range of I/O ports */
};

/* Rights bits; which ones matter depends on the object type. */
#define R_READ	   (1u << 0)  /* mobj: map readable */
#define R_WRITE	   (1u << 1)  /* mobj: map writable */
#define R_EXEC	   (1u << 2)  /* mobj: map executable */
#define R_SEND	   (1u << 3)  /* endpoint: call and send */
#define R_RECV	   (1u << 4)  /* endpoint: receive; bind a notification */
#define R_GRANT	   (1u << 5)  /* endpoint: may carry a capability */
#define R_SIGNAL   (1u << 6)  /* notification: signal */
#define R_WAIT	   (1u << 7)  /* notification: wait; bind to an endpoint */
#define R_MANAGE   (1u << 8)  /* process: map, create threads, kill; thread: start */
#define R_DUP	   (1u << 9)  /* handle may be duplicated or minted */
#define R_TRANSFER (1u << 10) /* handle may travel in a message */
#define R_TRIGGER  (1u << 11) /* irq: raise it by software (IRQ_TEST_TRIGGER; test programs) */
#define R_ALL	   0xFFFu

struct handle_info {
	uint32_t type; /* enum kobj_type */
	uint32_t rights;
	uint64_t badge; /* endpoints minted with SYS_EP_MINT */
	uint64_t size;	/* memory objects: their size in bytes (whole pages); else 0 */
};
_Static_assert(sizeof(struct handle_info) == 24, "handle_info is part of the ABI");
