/* SPDX-License-Identifier: MIT */
/*
 * init, the supervisor: what its files share. init owns one endpoint, the
 * supervisor endpoint, on which its main thread receives everything: kernel
 * notices about its services (faults, exits), the start-up requests of new
 * instances, name lookups, svc control requests, the heartbeat threads'
 * reports and its own back-off timer. The badge of each message says which
 * of these it is; the kernel and the handles init gives away set the badge,
 * so nobody can pose as another kind of sender.
 *
 *   main.c        start-up: objects, the services, the threads, then the server loop
 *   bundle.c      reading the manifests from the `services` boot module
 *   services.c    the service table: its objects, lookups, the handles each instance gets
 *   devices.c     the hardware handles from the manifests (irq, ioport, devmem, dma)
 *   pci_grant.c   a PCI function's handles (pci, pci_class, msi, msix)
 *   lifecycle.c   start, end, back-off, restart, give up, stop
 *   spawn.c       starting one instance (the loader itself, or through it)
 *   supervisor.c  the endpoint's server: badge kinds, method tables, events
 *   names.c       the name service's ops (proto/ns.h)
 *   control.c     the svc protocol's control ops (proto/svc.h)
 *   heartbeat.c   the threads that ping each service
 *   run.c         the thread that runs the `run=` programs
 *
 * The endpoint is served by libsys's loop (server_run): supervisor.c
 * describes it as method tables by label and badge kind, with the ns and
 * svc protocol libraries' decoders as parts for their kinds. Every file but
 * main.c, bundle.c, spawn.c, devices.c, pci_grant.c, heartbeat.c and run.c
 * also compiles into host tests (servers/init/test), with the system calls
 * faked.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "manifest/manifest.h"
#include "pci_grant.h"
#include "proto/ns.h"
#include "proto/svc.h"
#include "sys/start.h"
#include "sys/sys.h"
#include "sys/units.h"

#define INIT_BACKOFF_MIN	(10 * MS)
#define INIT_BACKOFF_MAX	(1000 * MS)
#define INIT_HEALTHY_NS		(5000 * MS) /* running this long resets the back-off */
#define INIT_GIVEUP_FAILURES	5
#define INIT_GIVEUP_WINDOW	(10000 * MS)
#define INIT_LOADER_TIMEOUT	(2000 * MS) /* a spawn through the loader */
#define INIT_LOADER_RETRY	(50 * MS)   /* when the loader is not there to ask */
#define INIT_FI_SEND_TIMEOUT	(200 * MS)
#define INIT_PRIORITY_HEARTBEAT 17
#define INIT_PRIORITY_RUN	16

/* Badges on the supervisor endpoint: kind in the top byte, then instance and index. */
enum badge_kind {
	BADGE_TIMER = 0,     /* init's back-off timer (a notification: the badge is its bits) */
	BADGE_NOTICE = 1,    /* kernel notices about a service instance */
	BADGE_BOOT = 2,	     /* a new instance fetching its handles */
	BADGE_NS = 3,	     /* name lookups */
	BADGE_CONTROL = 4,   /* svc control requests */
	BADGE_HEARTBEAT = 5, /* init's heartbeat threads */
};
#define BADGE(kind, gen, index)                                                                    \
	(((uint64_t)(kind) << 56) | (((uint64_t)(gen)&0xFFFFFFFFull) << 8) |                       \
	 ((uint64_t)(index)&0xFF))
#define BADGE_KIND(b)  ((uint32_t)((b) >> 56))
#define BADGE_GEN(b)   ((uint32_t)(((b) >> 8) & 0xFFFFFFFFull))
#define BADGE_INDEX(b) ((uint32_t)((b)&0xFF))
#define BADGE_ANYONE   0xFF /* the index in handles that name no service (ns lookups) */
_Static_assert(MANIFEST_MAX_SERVICES < BADGE_ANYONE, "a service index fits a badge's index byte");

#define TIMER_BIT 1ull /* the back-off timer's notification bit */

/* The heartbeat thread's report: w0 = service index, w1 = instance. Internal to init. */
#define INIT_HUNG (SVC_PROTOCOL_BASE + 0xF0) /* in svc's range (sys/protocols.h) */

enum end_cause {
	END_FAULT, /* a fault notice: killed by us */
	END_EXIT,  /* it ended by itself (or was killed by someone else) */
	END_HUNG,  /* missed its heartbeat: killed by us */
	END_START, /* it could not even be started */
};

struct service {
	struct manifest m;
	uint32_t index;
	bool is_loader;			      /* started by init itself, not through the loader */
	handle_t eps[MANIFEST_MAX_ENDPOINTS]; /* the endpoints it serves: init owns them */
	handle_t state_mobj;		      /* recovery = memory: kept across instances */
	/* Hardware objects: made at the first start, kept (a GSI is claimed only once). */
	handle_t irqs[MANIFEST_MAX_IRQS];
	handle_t ioports[MANIFEST_MAX_RANGES];
	handle_t devmem[MANIFEST_MAX_RANGES];
	bool told_missing;    /* the line about a framebuffer or ECAM we do not have is out */
	handle_t framebuffer; /* made for the next instance, which takes it (one holder) */
	struct pci_grant pci; /* its PCI function, if the manifest names one */
	handle_t process;     /* the running instance, or HANDLE_INVALID */
	uint64_t pid;
	uint32_t generation; /* instance number; read by the heartbeat thread */
	uint32_t state;	     /* enum svc_state; read by the heartbeat thread */
	uint32_t restarts;
	uint64_t started_at, backoff_ns, restart_at;
	uint64_t failures[INIT_GIVEUP_FAILURES]; /* times of the last failures, a ring */
	uint32_t failure_next;
	bool fault_injected; /* this instance's end was asked for (svc fi): not a failure */
};

struct supervisor {
	handle_t ep;	/* the supervisor endpoint (badge 0, all rights) */
	handle_t timer; /* notification bound to ep: back-off deadlines */
	struct service services[MANIFEST_MAX_SERVICES];
	uint32_t count;
	struct service *loader; /* the service serving "loader" */
	uint64_t next_badge;	/* for handles to service endpoints given away (sup_new_badge) */
	bool timers_dirty;
};

extern struct supervisor sup;

/* bundle.c: read the services module, fill the table (or the loader alone). */
long services_load(void);

/* services.c */
/* The table from n manifests, with each service's lasting objects; E_NOENT without a loader. */
long services_fill(const struct manifest *manifests, uint32_t n);
struct service *service_by_name(const char *name);
/* The endpoint called `name` (served by some service), or HANDLE_INVALID. */
handle_t service_endpoint(const char *name);
/* A new badge for a handle to a service endpoint (any thread may ask). */
uint64_t sup_new_badge(void);
/*
 * A new send-only handle to the endpoint called `name` for a client: init's
 * own "ns" and "svc" (badged with `index`, the service asking or
 * BADGE_ANYONE), or a service's with a badge of its own; E_NOENT.
 */
long service_client_handle(const char *name, uint32_t index);
/* The index-th start handle of s (manifest_handle_count's order); E_NOENT past the end. */
long service_handle(struct service *s, uint32_t index, struct svc_grant *g);
void service_entry(const struct service *s, struct svc_entry *e);
uint32_t service_failures_in_window(const struct service *s, uint64_t now);

/* devices.c */
/* Make the hardware objects s lists that do not exist yet; on failure a `svc:` line and the error.
 */
long devices_prepare(struct service *s);
/* Drop what was made for an instance that did not take it (the framebuffer): it is not init's. */
void devices_release(struct service *s);
/* The index-th hardware handle of s (irq:*, ioport:*, framebuffer, ecam, devmem:*, dma, pci*). */
long devices_grant(struct service *s, uint32_t index, struct svc_grant *g);
/* init's object over the MCFG's ECAM window, made on first use (HANDLE_INVALID: none). */
handle_t devices_ecam(uint32_t *bytes);

/* lifecycle.c */
void life_start(struct service *s);
/* At boot: the loader, then every service whose manifest says autostart. */
void life_start_all(void);
void life_ended(struct service *s, enum end_cause cause, int64_t code, const char *why);
void life_stop(struct service *s);
void life_restart(struct service *s);
void life_boot_done(struct service *s);
void life_timer(void);
void life_arm_timer(void);

/* spawn.c: start an instance of s; its process handle or an error. */
long spawn_service(struct service *s);

/* supervisor.c: the server for sup.ep (server_run serves it), and the SVC_BOOT op. */
struct server sup_server(void);
long sup_boot_grant(void *ctx, uint64_t badge, uint32_t index, struct svc_grant *g);

/* names.c, control.c: init's side of the ns and svc protocols (ctx unused: there is one sup). */
extern const struct ns_ops init_ns_ops;
extern const struct svc_ops init_svc_ops;

/* heartbeat.c, run.c */
long heartbeat_start(void);
long run_start(int argc, char **argv);
