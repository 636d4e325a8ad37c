/* SPDX-License-Identifier: MIT */
/*
 * The svc protocol (methods 0x0200-0x02FF): supervision. Three parties use it.
 *
 * 1. The supervisor to every server; libsys's server_run answers these
 *    itself, so a server gets them for free:
 *    SVC_PING (idempotent): reply 0. The heartbeat: a server that does not
 *      answer within its manifest's heartbeat_ms is taken for hung.
 *    SVC_FI_CRASH, SVC_FI_HANG, SVC_FI_LEAK: fault injection, sent without a
 *      reply (SYS_SEND) and obeyed only from badge 0, the supervisor's own
 *      handle (every handle the supervisor gives away has a non-zero badge).
 *      CRASH: w0 = enum svc_crash_kind, w1 = how many requests later to
 *        crash (0: at once; else while handling that request, so its caller
 *        sees E_RESTARTED). HANG: stop answering for ever. LEAK: allocate
 *        and touch memory without end; when the quota stops it, keep trying
 *        every 10 ms without answering, so the heartbeat finds it hung.
 *      CORRUPT: w1 = a random number; the server's next reply to a caller
 *        other than the supervisor has one word altered (its error label
 *        or one of its message words, chosen by w1), so that the caller's
 *        checks of replies are tried. FLIP: w1 = a random number; one bit
 *        of the server's data and bss, heap or live stack flips (w1 says
 *        where). The server may crash (and is restarted) or carry on with
 *        a wrong value: both are what a real memory fault does.
 *
 * 2. Clients to the supervisor's control endpoint (ns_lookup "svc"). A
 *    service name travels NUL-terminated in the IPC buffer.
 *    SVC_LIST (idempotent): w0 = first index; reply w0 = entries in the
 *      buffer (struct svc_entry each), w1 = services in all.
 *    SVC_STATUS (idempotent): name; reply: one struct svc_entry.
 *    SVC_STOP (idempotent): name; kill it and do not restart it.
 *    SVC_START (idempotent): name; start it if it is not running (this also
 *      takes back a given-up service, with its failure count cleared).
 *    SVC_RESTART (not idempotent): name; kill it and start a new instance.
 *    SVC_FI (not idempotent): name, w0 = enum svc_fault, w1 = crash kind,
 *      w2 = requests later (as SVC_FI_CRASH), or for corrupt and flip the
 *      random number they take. E_CLOSED if it is not running.
 *    SVC_SHUTDOWN: no arguments; the supervisor exits with code 0, which
 *      stops the system (under QEMU: exit status 33). There is no reply.
 *    Errors: E_NOENT no such service, E_INVAL a malformed name or a word
 *    missing, E_RIGHTS on a handle that is not "svc" (init serves ns, svc and
 *    its own start-up requests on one endpoint, told apart by badge).
 *
 * 3. A new instance to the supervisor, from libsys's start-up code before
 *    main, through its start handle "bootstrap":
 *    SVC_BOOT (idempotent): w0 = index; reply: cap = the index-th handle of
 *      the instance, the buffer its name (NUL-terminated, under
 *      START_NAME_MAX), w0 its size (bytes of a memory object, ports of an
 *      ioport range); for "framebuffer" w1-w3 hold its struct
 *      start_framebuffer, for "ecam" w1-w2 its struct start_pci and for
 *      "pci.config" w1-w3 its struct start_pci_function, which libsys
 *      copies into the instance's start_info; E_NOENT past the last.
 *
 * The protocol library: this header, the client stubs (client.c), the
 * `svc` command line (cli.c, proto/svc_cli.h) and the server-side decode of
 * parts 2 and 3 into struct svc_ops (server.c), which init implements
 * (servers/init/control.c, supervisor.c; host test servers/init/test/
 * test_svc.c). Part 1 is libsys's server loop (libsys/rt/server.c).
 */
#pragma once

#include <stdint.h>

#include "sys/handle.h"
#include "sys/ipc.h"
#include "sys/protocols.h"
#include "sys/server.h"
#include "sys/start.h"

#define SVC_PROTOCOL_BASE PROTOCOL_BASE(svc)
#define SVC_PING	  (SVC_PROTOCOL_BASE + 0x01)
#define SVC_FI_CRASH	  (SVC_PROTOCOL_BASE + 0x02)
#define SVC_FI_HANG	  (SVC_PROTOCOL_BASE + 0x03)
#define SVC_FI_LEAK	  (SVC_PROTOCOL_BASE + 0x04)
#define SVC_FI_CORRUPT	  (SVC_PROTOCOL_BASE + 0x05)
#define SVC_FI_FLIP	  (SVC_PROTOCOL_BASE + 0x06)
#define SVC_LIST	  (SVC_PROTOCOL_BASE + 0x10)
#define SVC_STATUS	  (SVC_PROTOCOL_BASE + 0x11)
#define SVC_STOP	  (SVC_PROTOCOL_BASE + 0x12)
#define SVC_START	  (SVC_PROTOCOL_BASE + 0x13)
#define SVC_RESTART	  (SVC_PROTOCOL_BASE + 0x14)
#define SVC_FI		  (SVC_PROTOCOL_BASE + 0x15)
#define SVC_SHUTDOWN	  (SVC_PROTOCOL_BASE + 0x16)
#define SVC_BOOT	  (SVC_PROTOCOL_BASE + 0x20)

#define SVC_NAME_MAX 16 /* with the NUL; as MANIFEST_NAME_MAX */

/* The memory quota of each program the supervisor runs for `run=` (64 MiB). */
#define SVC_RUN_QUOTA_PAGES 16384

enum svc_fault {
	SVC_FAULT_CRASH = 0,
	SVC_FAULT_HANG = 1,
	SVC_FAULT_LEAK = 2,
	SVC_FAULT_CORRUPT = 3, /* the next reply has a word altered */
	SVC_FAULT_FLIP = 4,    /* a bit of the server's memory flips */
	SVC_FAULTS = 5,
};

enum svc_crash_kind {
	SVC_CRASH_RANDOM = 0,
	SVC_CRASH_NULL_WRITE = 1, /* #PF */
	SVC_CRASH_BAD_OPCODE = 2, /* #UD */
	SVC_CRASH_DIVIDE = 3,	  /* #DE */
	SVC_CRASH_WILD_JUMP = 4,  /* #PF on an instruction fetch */
	SVC_CRASH_KINDS = 5,
};

enum svc_state {
	SVC_STOPPED = 0,  /* not running and not to be restarted */
	SVC_STARTING = 1, /* started, fetching its handles */
	SVC_RUNNING = 2,
	SVC_BACKOFF = 3, /* ended; restarts when its back-off delay has passed */
	SVC_FAILED = 4,	 /* given up after too many failures */
};

struct svc_entry {
	char name[SVC_NAME_MAX];
	uint64_t pid; /* 0 when not running */
	uint32_t state;
	uint32_t restarts;
	uint64_t uptime_ms; /* of the running instance */
	uint64_t pages_used, pages_quota;
	uint32_t failures; /* in the current give-up window */
	uint32_t recovery; /* enum manifest_recovery */
};
_Static_assert(sizeof(struct svc_entry) == 64, "svc_entry travels in the IPC buffer");

#define SVC_LIST_MAX (IPC_BUF_BYTES / sizeof(struct svc_entry))

/* The geometry an SVC_BOOT reply carries in w1 onwards. */
_Static_assert(sizeof(struct start_framebuffer) == 3 * sizeof(uint64_t), "w1-w3");
_Static_assert(sizeof(struct start_pci) == 2 * sizeof(uint64_t), "w1-w2");
_Static_assert(sizeof(struct start_pci_function) == 3 * sizeof(uint64_t), "w1-w3");

struct svc_fi_request {
	uint64_t fault; /* enum svc_fault */
	uint64_t kind;	/* enum svc_crash_kind */
	uint64_t after; /* crash: requests later; corrupt, flip: the random number */
};
_Static_assert(sizeof(struct svc_fi_request) == 3 * sizeof(uint64_t), "3 words");

/* Client stubs (libsys/proto/svc/client.c); each returns 0 or a negative error. */
long svc_ping(handle_t ep, uint64_t timeout);
long svc_list(handle_t ctl, uint32_t first, struct svc_entry *out, uint32_t max, uint32_t *total);
long svc_status(handle_t ctl, const char *name, struct svc_entry *out);
/* SVC_STOP, SVC_START or SVC_RESTART on `name`. */
long svc_control(handle_t ctl, uint16_t method, const char *name);
long svc_fault(handle_t ctl, const char *name, enum svc_fault fault, enum svc_crash_kind kind,
	       uint32_t after);
/* Stop the system; returns only if the supervisor refused or cannot be reached. */
long svc_shutdown(handle_t ctl);
const char *svc_state_name(uint32_t state);

/* One start handle of an instance, as SVC_BOOT hands it over. */
struct svc_grant {
	char name[START_NAME_MAX];
	handle_t handle;	 /* the reply carries it away: the server's copy is closed */
	uint32_t size;		 /* bytes of a memory object, ports of an ioport range */
	uint32_t geometry_words; /* "framebuffer" 3, "ecam" 2, "pci.config" 3, else 0 */
	uint64_t geometry[3];
};

/*
 * Server side: what a supervisor implements. Names are checked before an
 * op runs (1-15 characters, NUL-terminated); each op returns 0 or an error.
 */
struct svc_ops {
	/* Up to max entries from index `first` into out; how many, and *total services. */
	long (*list)(void *ctx, uint32_t first, struct svc_entry *out, uint32_t max,
		     uint32_t *total);
	long (*status)(void *ctx, const char *name, struct svc_entry *out);
	long (*stop)(void *ctx, const char *name);
	long (*start)(void *ctx, const char *name);
	long (*restart)(void *ctx, const char *name);
	/* fi is checked: a known fault and crash kind. */
	long (*fault)(void *ctx, const char *name, const struct svc_fi_request *fi);
	long (*shutdown)(void *ctx);
	/* The index-th start handle of the instance `badge` names. */
	long (*boot)(void *ctx, uint64_t badge, uint32_t index, struct svc_grant *g);
};
struct svc_server {
	const struct svc_ops *ops;
	void *ctx;
};
/*
 * Servers dispatching into ss (which must outlive them): the control
 * requests (part 2) and the start-up request (part 3), answered for
 * different callers (init: as parts for different badge kinds).
 */
struct server svc_control_server(handle_t ep, struct svc_server *ss);
struct server svc_boot_server(handle_t ep, struct svc_server *ss);

/*
 * libsys start-up: fetch the handles a supervisor gives through `boot`,
 * and the framebuffer and ECAM geometry that come with them into *si.
 */
long svc_bootstrap(handle_t boot, struct start_info *si);
