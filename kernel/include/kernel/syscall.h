/* SPDX-License-Identifier: MIT */
/*
 * System call handlers. Each takes the caller's trap_frame, decodes and
 * checks its arguments (SYS_ARGn), and returns the value for rax. IPC
 * handlers also read and write the message registers in the frame.
 */
#pragma once

#include "arch/trap.h"
#include "sys/syscall.h"

#define SYS_ARG0(tf) ((tf)->rdi)
#define SYS_ARG1(tf) ((tf)->rsi)
#define SYS_ARG2(tf) ((tf)->rdx)
#define SYS_ARG3(tf) ((tf)->r10)
#define SYS_ARG4(tf) ((tf)->r8)
#define SYS_ARG5(tf) ((tf)->r9)

typedef long (*syscall_fn)(struct trap_frame *tf);

/*
 * Light syscalls: numbers below SYSCALL_LIGHT_COUNT (syscall.asm has the
 * same number) with an entry here run without a trap_frame, with no
 * arguments, interrupts off, and must not block, switch threads or wake one.
 */
#define SYSCALL_LIGHT_COUNT 3
typedef long (*syscall_light_fn)(void);
extern const syscall_light_fn syscall_light_table[SYSCALL_LIGHT_COUNT];

extern const syscall_fn syscall_table[SYS_COUNT];

/*
 * syscall_entry's jump table by number (filled once at boot, before the
 * first syscall): the light path, the asm IPC fastpath (when
 * `ipc_fastpath`, which takes SYS_YIELD too) or the full entry; the targets are syscall.asm's and
 * fastpath.asm's labels.
 */
extern void *syscall_entry_table[SYS_COUNT];
void syscall_entries_init(bool ipc_fastpath);
void syscall_light(void);
void syscall_full(void);
void fastpath_call_entry(void);
void fastpath_reply_recv_entry(void);
void fastpath_yield_entry(void);
bool syscall_table_complete(void);

#define SYSCALL_DECLARE(name, nr, nargs, sig) long name##_handler(struct trap_frame *tf);
SYSCALL_LIST(SYSCALL_DECLARE)
#undef SYSCALL_DECLARE
