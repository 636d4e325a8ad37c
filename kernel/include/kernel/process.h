/* SPDX-License-Identifier: MIT */
/*
 * Processes: an address space, a handle table, the memory objects mapped
 * into it (regions) and its threads. A process ends when it exits, is
 * killed, or its last thread exits; then everything it held is released at
 * once and waiters learn the exit code. The object itself lives on while
 * handles to it remain, so the exit code can still be read.
 */
#pragma once

#include "kernel/handle.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "sys/exit.h" /* EXIT_KILLED, EXIT_FAULTED */

#define PROCESS_NAME_MAX 32
#define INIT_PID	 1 /* its exit ends the system */

struct mobj;
struct endpoint;
struct kmsg;

struct region {
	vaddr_t va;
	uint64_t npages;
	struct mobj *mobj;
	uint64_t first_page;
	unsigned rights; /* PT_* */
	struct region *next;
};

struct process {
	struct kobj obj;
	uint64_t pid;
	char name[PROCESS_NAME_MAX];
	struct vm_space vs;
	struct handle_table handles;
	struct region *regions; /* sorted by address */
	struct thread *threads;
	uint32_t live_threads;	    /* not dead, started or not */
	uint32_t running_threads;   /* started and not dead: when the last one ends, so does p */
	uint32_t suspended_threads; /* of those, waiting on a fault for the supervisor */
	bool ran;		    /* a thread of it was ever started */
	bool exited;
	bool faulted; /* a thread is suspended on a fault, waiting for the supervisor */
	int64_t exit_code;
	uint8_t max_prio;	 /* its threads' priorities stay at or below it */
	struct account *acct;	 /* what is charged to this process (kernel/account.h) */
	struct endpoint *sup_ep; /* supervisor (weak): fault and exit notices go here */
	uint64_t sup_badge;
	struct process *sup_next; /* the other processes supervised on sup_ep */
	struct kmsg *exit_notice; /* preallocated, so exiting never allocates */
	uint8_t *iopb;		  /* I/O permission bitmap, once ports are enabled */
	uint16_t iopb_bytes;	  /* its leading bytes that allow a port (the rest are 0xFF) */
	struct wait_queue exit_waiters;
	/* Lifetime (process.c): a process that never ran ends with its creator. */
	struct process *created;		       /* what it created that still exists */
	struct process *created_next, **created_pprev; /* on the creator's list */
	struct process *reap_next;		       /* queued for destruction */
};

/*
 * A process whose account hangs under `payer` (NULL: a root) and whose
 * threads may run at most at `max_prio`. The caller charges payer for
 * process_base_charge() (the process's own kernel memory).
 */
int process_create(const char *name, size_t len, struct account *payer, uint8_t max_prio,
		   struct process **out);
/* `creator` made p (SYS_PROCESS_CREATE): if p has never run a thread when creator ends, p ends. */
void process_set_creator(struct process *p, struct process *creator);
uint64_t process_base_charge(void);
/* End the process: stop its threads, release its memory and handles. */
void process_exit(struct process *p, int64_t code);
uint64_t process_count(void);
/* Send this process's fault and exit notices to `ep` with `badge`. */
void process_supervise(struct process *p, struct endpoint *ep, uint64_t badge);
/* `ep` is going: its processes are unsupervised, and a fault then ends them. */
void process_supervisor_gone(struct endpoint *ep);
/* No thread of p can run any more: each started one ended or is suspended on a fault. */
bool process_stopped(const struct process *p);
/* If p is stopped, close its handles (they could keep its supervisor, and so p, alive). */
void process_check_stopped(struct process *p);

/* Load and start init from the first boot module. */
struct boot_info;
void init_start(const struct boot_info *bi);

/* Map `npages` of `m` from `first_page` at `va` with PT_* rights. */
int region_map(struct process *p, vaddr_t va, struct mobj *m, uint64_t first_page, uint64_t npages,
	       unsigned rights);
/* Unmap the regions lying exactly within [va, va + size). */
int region_unmap(struct process *p, vaddr_t va, uint64_t size);
void region_unmap_all(struct process *p);
/* The kernel view of the user page at `va` if it is mapped with `rights`. */
void *region_kernel_page(struct process *p, vaddr_t va, unsigned rights, struct mobj **mobj);

/* Copy between kernel memory and the current process; E_FAULT on a bad pointer. */
int copy_from_user(void *dst, uintptr_t user_src, size_t n);
int copy_to_user(uintptr_t user_dst, const void *src, size_t n);
