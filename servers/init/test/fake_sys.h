/* SPDX-License-Identifier: MIT */
/*
 * What init's host tests run it on: a fake kernel for the system calls of
 * init's host-compiled files (fake_sys.c: handles that remember what they
 * are, a clock the test moves, processes that are "spawned" and killed),
 * and a fixture that makes init's service table from manifest text and
 * puts init's real server (sup_server) behind fake endpoints (fake_ipc.h),
 * one per badge a caller may hold. Calls then go client stub -> fake_ipc ->
 * server_dispatch -> the protocol library's decode -> init's handlers.
 */
#pragma once

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "../init.h"
#include "fake_ipc.h"

enum fake_kind { FAKE_EP = 1, FAKE_NTFN, FAKE_MOBJ, FAKE_MINT, FAKE_DUP, FAKE_PROCESS };

/* One handle the fake kernel made. */
struct fake_object {
	enum fake_kind kind;
	bool open;
	handle_t of;	 /* FAKE_MINT, FAKE_DUP: the handle it copies */
	uint64_t badge;	 /* FAKE_MINT */
	uint32_t rights; /* FAKE_MINT, FAKE_DUP */
	bool killed;	 /* FAKE_PROCESS */
	uint64_t quota, supervise_badge;
};

struct fake_sys {
	uint64_t now;	     /* what sys_clock answers */
	long spawn_error;    /* spawn_service fails with it when not 0 */
	uint32_t spawns;     /* spawn_service calls that made a process */
	uint64_t timer;	     /* the deadline sys_ntfn_timer set last (0: disarmed) */
	jmp_buf *exit_jump;  /* sys_process_exit jumps here (with code + 1) */
	handle_t start_ns;   /* start_handle("ns") */
	uint32_t mint_fails; /* the next sys_ep_mint calls fail with E_NOSPACE */
};
extern struct fake_sys fake_sys;

/* What handle h is, or NULL if the fake kernel never made it. */
const struct fake_object *fake_object(handle_t h);
/* Handles made and still open, of one kind (0: any). */
uint32_t fake_open_count(enum fake_kind kind);

/*
 * A fresh system: fake kernel, fake_ipc, init's table from the manifests in
 * `bundle` (no service started yet), and init's server. E_OK, or an error
 * if the bundle does not make a table.
 */
long fixture_setup(const char *bundle);
/* A handle that calls init's server with `badge` (BADGE(kind, gen, index)). */
handle_t fixture_caller(uint64_t badge);
/* The handle a client holds from ns_lookup ("ns"), or "svc": the badges init gives. */
handle_t fixture_ns(void);
handle_t fixture_ctl(void);
/*
 * Events (the transport runs the loop's before_wait after each, which arms
 * the timer): m as the kernel delivers it to a handle with `badge`; a
 * notice about s's current instance (IPC_LABEL_FAULT: w0 = vector;
 * IPC_LABEL_EXIT: w0 = exit code); the back-off timer firing at `now`.
 */
void fixture_event(uint64_t badge, const struct ipc_msg *m);
void fixture_notice(struct service *s, uint16_t label, uint64_t w0);
void fixture_timer(uint64_t now);
/* Fetch every start handle of s's new instance with SVC_BOOT, as libsys does: it runs. */
long fixture_boot(struct service *s);

/* Start the services as init's start-up does, each fetching its handles; E_OK. */
long fixture_start(void);

/* A bundle of four services: the loader, echo (always), counter (memory), lazy (no autostart). */
extern const char fixture_bundle[];
