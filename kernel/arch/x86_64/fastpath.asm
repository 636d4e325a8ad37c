; SPDX-License-Identifier: MIT
;
; The IPC fastpath in asm, after seL4's fastpath_call / fastpath_reply_recv:
; SYS_CALL and SYS_REPLY_RECV come here from syscall_entry before any
; trap_frame is built. The message stays in the registers it came in
; (rdi, rsi, rdx, r10, r8, r9, r12, r13) from the sender's SYSCALL to the
; receiver's SYSRETQ; only the words past the count are zeroed and rdi
; becomes the badge.
;
; A partial frame. The current thread's trap_frame gets only what its
; caller must find again when it returns: rip, rflags, rsp, rbx, rbp and
; r15 (the timeout is an input the kernel keeps). The message slots, r14
; and rax keep older values of the same thread: whoever wakes it later
; writes rax and, when a message arrives, every message register
; (deliver, deliver_kmsg, or this path on its way back). So after a call or
; reply_recv that fails, the message registers hold no defined value
; (libsys reads them only on success). cs, ss, vector stay as the last full
; entry or thread creation left them (the light path now pushes below the
; frame), so trap_return may resume such a thread like any other.
;
; No wake_result is written: the partner resumes here with rax = E_OK and
; never reads it for this wait, and whoever wakes the blocked thread later
; sets it (thread_wake, ipc_reply_to, ipc_call, take_from_sender), as for a
; thread blocked on the general path. CR3 is written when the two threads'
; processes differ (each process has its own PML4), without reading it.
;
; The checks come first and change nothing but scratch registers saved in
; the frame; a case it does not take is restored and goes on as if nothing
; happened: to syscall_general or, when only the I/O bitmap or a timeout
; stands in the way (a driver's bitmap; a reply_recv whose receive has a
; timeout, a receiver with a timer armed), to syscall_full, which tries the C fastpath
; (ipc/fastpath.c, which reloads the bitmap through ioport_switch and arms
; and clears timers as the general path does). The cases taken are those of the C
; fastpath, whose comments give the reasons; ipc/fastpath.c checks every
; offset below with _Static_assert.
;
; Registers while checking: rbx the current thread, rax the handle slot,
; rcx the object, rbp the partner, r11 the endpoint, r15 scratch.

%include "trapframe.inc"

extern fastpath_completed, runq, runq_bitmap, fastpath_parked, ioport_loaded, tss_block
extern sched_timers, clock_tsc_base, clock_ns_per_tsc_fp
extern syscall_full, syscall_general, trap_sysret
global fastpath_call_entry, fastpath_reply_recv_entry, fastpath_yield_entry

%define PERCPU_KERNEL_RSP   0
%define PERCPU_USER_RSP     8
%define PERCPU_CURRENT      16
%define PERCPU_NEED_RESCHED 32
%define PERCPU_FS_BASE      40
%define TSS_RSP0            4     ; in tss_block (gdt.c): one CPU, one TSS

%define T_PROC        32
%define T_STATE       40
%define T_REASON      41
%define T_PRIO        42
%define T_SLICE       43
%define T_PRIO_ABOVE  44
%define T_KSTACK_TOP  48
%define T_SAVED_RSP   56
%define T_TF          64
%define T_NEXT        72
%define T_PREV        80
%define T_WQ          88
%define T_WAKE_RESULT 104
%define T_DEADLINE    120
%define T_TNEXT       128
%define T_TPREV       136
%define T_ON_TIMER    144
%define T_CALLER      160
%define T_CALLEE      168
%define T_FS_BASE     224
%define T_FPU         240

%define P_PML4   64
%define P_HSLOTS 88
%define P_HCAP   96
%define P_IOPB   216

%define HS_OBJ       0
%define HS_RIGHTS    8
%define HS_GEN_TYPE  12               ; gen (16 bits), weak (8), type (8)
%define HS_BADGE     16
%define HS_SIZE_LOG2 5

%define EP_SENDERS   24
%define EP_RECV_HEAD 40
%define EP_RECV_TAIL 48
%define EP_BOUND     56
%define EP_KQ_HEAD   64
%define NTFN_BITS    24

%define TF_SIZE    (22 * 8)
%define TF_R15     (0 * 8)
%define TF_R14     (1 * 8)
%define TF_R13     (2 * 8)
%define TF_R12     (3 * 8)
%define TF_R10     (5 * 8)
%define TF_R9      (6 * 8)
%define TF_R8      (7 * 8)
%define TF_RDI     (9 * 8)
%define TF_RSI     (10 * 8)
%define TF_RDX     (11 * 8)
%define TF_RAX     (14 * 8)
%define TF_RBP     (8 * 8)
%define TF_RBX     (13 * 8)
%define TF_RIP     (17 * 8)
%define TF_RFLAGS  (19 * 8)
%define TF_RSP     (20 * 8)
%define PARK_FRAME_BYTES (7 * 8)

%define SYS_CALL          25
%define SYS_REPLY_RECV    29
%define SYS_YIELD         3
%define KOBJ_ENDPOINT     3
%define R_SEND            (1 << 3)
%define R_RECV            (1 << 4)
%define IPC_WORDS         6
%define IPC_LABEL_KERNEL_FIRST 0xFFFC
%define T_READY           1
%define T_RUNNING         2
%define T_BLOCKED         3
%define B_NONE            0
%define B_REPLY           2
%define B_RECV            3
%define SCHED_SLICE_TICKS 2
%define MSR_FS_BASE       0xC0000100

; Save what the caller keeps across the syscall; rsp becomes the frame.
%macro SAVE_PARTIAL 0
	sub rsp, TF_SIZE
	mov [rsp + TF_RIP], rcx
	mov [rsp + TF_RFLAGS], r11
	mov rcx, [gs:PERCPU_USER_RSP]
	mov [rsp + TF_RSP], rcx
	mov [rsp + TF_RBX], rbx
	mov [rsp + TF_RBP], rbp
	mov [rsp + TF_R15], r15
%endmacro

; The tag: words only, at most six (tag < 7 << 16: bits 19-63 clear, so
; no capability and no buffer bytes). `fastpath=off` never comes here
; (syscall_entry_table).
%macro CHECK_TAG 1
	cmp rsi, (IPC_WORDS + 1) << 16
	jae %1
%endmacro

; handle_lookup inlined: the endpoint slot edi names in the current
; thread's process, with rights %1; rax = the slot, rcx = the endpoint.
; The slot keeps a copy of its object's type beside the generation (KOBJ_NONE
; when free, and slot 0 is never used), so one compare of that dword checks
; both: an endpoint slot is never weak (only the process's own is).
%macro LOOKUP_EP 2
	mov rbp, [rbx + T_PROC]
	movzx eax, di
	cmp eax, [rbp + P_HCAP]
	jae %2
	shl eax, HS_SIZE_LOG2
	add rax, [rbp + P_HSLOTS]
	mov r11d, edi
	shr r11d, 16
	or r11d, KOBJ_ENDPOINT << 24
	cmp r11d, [rax + HS_GEN_TYPE]
	jne %2
	test dword [rax + HS_RIGHTS], %1
	jz %2
	mov rcx, [rax + HS_OBJ]
%endmacro

; The partner rbp: no ready thread outranks it (none in the run queues
; above its priority).
%macro CHECK_PRIO 1
	mov r15d, [runq_bitmap]
	test r15d, [rbp + T_PRIO_ABOVE]
	jnz %1
%endmacro

; %1 = the address of field %3 of the thread at %2, or of the list's own
; word %4 when %2 is NULL: a neighbour's link, or the timer list's head or
; tail (the list's ends stand in for a missing neighbour).
%macro LINK_OR_END 4
	lea %1, [%2 + %3]
	test %2, %2
	jnz %%have
	lea %1, [%4]
%%have:
%endmacro

; thread_arm_timeout(rbx, timeout at the frame's r15) (proc/sched.c) if the
; timeout is neither TIMEOUT_NEVER nor 0: the deadline clock_ns() + MIN(timeout,
; UINT64_MAX / 4), the thread inserted after every entry with a deadline
; not later, walking from the tail (new deadlines are usually the latest).
; rdx (word 0) is kept; rax, r11, r14 and r15 are scratch.
%macro TIMER_ARM 0
	cmp qword [rsp + TF_R15], -1    ; TIMEOUT_NEVER: the common case, one compare
	je %%done
	mov r14, [rsp + TF_R15]
	test r14, r14
	jz %%done
	mov rax, 0x3FFFFFFFFFFFFFFF
	cmp r14, rax
	cmova r14, rax
	mov r11, rdx
	rdtsc
	shl rdx, 32
	or rax, rdx
	sub rax, [clock_tsc_base]
	mul qword [clock_ns_per_tsc_fp]
	shrd rax, rdx, 32               ; clock_ns(): bits 32-95 of the product
	mov rdx, r11
	add r14, rax                    ; the deadline
	mov [rbx + T_DEADLINE], r14
	mov rax, [sched_timers + 8]
%%walk:                                 ; rax = the entry to insert after, or none
	test rax, rax
	jz %%found
	cmp [rax + T_DEADLINE], r14
	jbe %%found
	mov rax, [rax + T_TPREV]
	jmp %%walk
%%found:
	mov [rbx + T_TPREV], rax
	LINK_OR_END r15, rax, T_TNEXT, sched_timers     ; prev->tnext, or the head
	mov rax, [r15]
	mov [r15], rbx
	mov [rbx + T_TNEXT], rax
	LINK_OR_END r15, rax, T_TPREV, sched_timers + 8 ; next->tprev, or the tail
	mov [r15], rbx
	mov byte [rbx + T_ON_TIMER], 1
%%done:
%endmacro

; timer_remove(rbp) (proc/sched.c) if its timer is armed: a caller's call
; timeout ends with the reply. rax, r14 and r15 are scratch.
%macro TIMER_FORGET 0
	cmp byte [rbp + T_ON_TIMER], 0
	je %%done
	mov byte [rbp + T_ON_TIMER], 0
	mov rax, [rbp + T_TPREV]
	mov r14, [rbp + T_TNEXT]
	LINK_OR_END r15, rax, T_TNEXT, sched_timers     ; prev->tnext, or the head
	mov [r15], r14
	LINK_OR_END r15, r14, T_TPREV, sched_timers + 8 ; next->tprev, or the tail
	mov [r15], rax
%%done:
%endmacro

; Nothing for C to reload: the partner's I/O bitmap is the one loaded
; (ioport_switch would do nothing). Leaves rcx = the partner's process,
; which SWITCH_TO_RBP expects.
%macro CHECK_CONTEXT 1
	mov rcx, [rbp + T_PROC]
	mov r15, [rcx + P_IOPB]
	cmp r15, [ioport_loaded]
	jne %1
%endmacro

; Undo SAVE_PARTIAL: the registers are the user's again, rsp the stack top.
%macro RESTORE_PARTIAL 0
	mov rcx, [rsp + TF_RIP]
	mov r11, [rsp + TF_RFLAGS]
	mov rbx, [rsp + TF_RBX]
	mov rbp, [rsp + TF_RBP]
	mov r15, [rsp + TF_R15]
	add rsp, TF_SIZE
%endmacro

; wait_queue_push(%2, %1): thread %1 at the tail of the wait queue at %2
; (head, then tail); %3 is scratch.
%macro QUEUE_PUSH 3
	mov qword [%1 + T_NEXT], 0
	mov %3, [%2 + 8]
	mov [%1 + T_PREV], %3
	test %3, %3
	jz %%first
	mov [%3 + T_NEXT], %1
	jmp %%queued
%%first:
	mov [%2], %1
%%queued:
	mov [%2 + 8], %1
	mov [%1 + T_WQ], %2
%endmacro

; switch_to() from the current thread rbx, parked under its frame at rsp,
; to rbp (rcx = its process, from CHECK_CONTEXT): all but rbp's registers
; and FS base. Ends comparing rbp's FS base with the one loaded (jne: the
; caller loads it, keeping its registers).
%macro SWITCH_TO_RBP 0
	lea rax, [rsp - PARK_FRAME_BYTES]
	mov [rbx + T_SAVED_RSP], rax
	mov qword [rsp - 8], fastpath_parked
	fxsave64 [rbx + T_FPU]
	mov word [rbp + T_STATE], T_RUNNING | B_NONE << 8 ; state and reason
	mov byte [rbp + T_SLICE], SCHED_SLICE_TICKS
	mov byte [gs:PERCPU_NEED_RESCHED], 0
	mov [gs:PERCPU_CURRENT], rbp
	mov rax, [rbp + T_KSTACK_TOP]
	mov [gs:PERCPU_KERNEL_RSP], rax
	mov [tss_block + TSS_RSP0], rax
	cmp rcx, [rbx + T_PROC]         ; another process: its address space
	je %%same_space
	mov rax, [rcx + P_PML4]
	mov cr3, rax
%%same_space:
	fxrstor64 [rbp + T_FPU]
	inc qword [fastpath_completed]
	mov rax, [rbp + T_FS_BASE]
	cmp rax, [gs:PERCPU_FS_BASE]
%endmacro

section .text
align 16
; SYS_CALL: a receiver waits on the endpoint; the caller blocks in B_REPLY.
fastpath_call_entry:
	SAVE_PARTIAL
	CHECK_TAG call_slow
	cmp si, IPC_LABEL_KERNEL_FIRST
	jae call_slow
	mov rbx, [gs:PERCPU_CURRENT]
	LOOKUP_EP R_SEND, call_slow
	mov rbp, [rcx + EP_RECV_HEAD]
	test rbp, rbp
	jz call_slow
	mov r11, rcx
	CHECK_PRIO call_slow
	cmp byte [rbp + T_ON_TIMER], 0  ; a receive with a timeout: the C fastpath
	jne call_c
	CHECK_CONTEXT call_c
	; The point of no return: take the receiver off the endpoint's queue head.
	mov r15, [rbp + T_NEXT]
	mov [r11 + EP_RECV_HEAD], r15
	test r15, r15
	jz .last
	mov qword [r15 + T_PREV], 0
	jmp .dequeued
.last:
	mov qword [r11 + EP_RECV_TAIL], 0
.dequeued:
	xor r15d, r15d
	mov [rbp + T_NEXT], r15
	mov [rbp + T_WQ], r15
	mov rdi, [rax + HS_BADGE]
	TIMER_ARM                       ; the call's timeout covers the reply too
	mov word [rbx + T_STATE], T_BLOCKED | B_REPLY << 8 ; state and reason
	mov [rbx + T_CALLEE], rbp
	mov [rbp + T_CALLER], rbx
	jmp switch_to_partner

align 16
; SYS_REPLY_RECV: answer the implicit caller, then a receive that must block.
fastpath_reply_recv_entry:
	SAVE_PARTIAL
	CHECK_TAG reply_recv_slow
	cmp r15, -1                     ; TIMEOUT_NEVER only (a timer: the C fastpath)
	jne reply_recv_c
	mov rbx, [gs:PERCPU_CURRENT]
	cmp qword [rbx + T_CALLER], 0
	je reply_recv_slow
	LOOKUP_EP R_RECV, reply_recv_slow
	cmp qword [rcx + EP_SENDERS], 0
	jne reply_recv_slow
	cmp qword [rcx + EP_KQ_HEAD], 0
	jne reply_recv_slow
	mov r11, [rcx + EP_BOUND]
	test r11, r11
	jz .unbound
	cmp qword [r11 + NTFN_BITS], 0
	jne reply_recv_slow
.unbound:
	mov r11, rcx
	mov rbp, [rbx + T_CALLER]
	CHECK_PRIO reply_recv_slow
	CHECK_CONTEXT reply_recv_c
	; The point of no return: the reply, then the current thread queues in B_RECV.
	TIMER_FORGET
	xor r15d, r15d
	mov [rbp + T_CALLEE], r15
	mov [rbx + T_CALLER], r15
	mov word [rbx + T_STATE], T_BLOCKED | B_RECV << 8 ; state and reason
	add r11, EP_RECV_HEAD           ; &ep->receivers
	QUEUE_PUSH rbx, r11, rax
	xor edi, edi                    ; a reply carries no badge
	; fall through

; Park the current thread rbx (its frame at rsp) and resume the partner rbp
; in ring 3 from its saved frame, the message still in the registers.
switch_to_partner:
	SWITCH_TO_RBP
	jne .load_fs_base
.fs_base_loaded:
	mov eax, esi                    ; zero the words past the count
	shr eax, 16
	jmp [zero_from + rax * 8]
.zero0:	xor edx, edx
.zero1:	xor r10d, r10d
.zero2:	xor r8d, r8d
.zero3:	xor r9d, r9d
.zero4:	xor r12d, r12d
.zero5:	xor r13d, r13d
.zero6:
	mov rax, [rbp + T_TF]
	mov rcx, [rax + TF_RIP]
	mov r11, [rax + TF_RFLAGS]
	mov rbx, [rax + TF_RBX]
	mov rbp, [rax + TF_RBP]
	mov r15, [rax + TF_R15]
	mov rsp, [rax + TF_RSP]
	xor r14d, r14d                  ; HANDLE_INVALID: no capability
	xor eax, eax                    ; E_OK
	swapgs
	o64 sysret
.load_fs_base:                          ; rax = the partner's FS base; keep rdx (w0)
	mov [gs:PERCPU_FS_BASE], rax
	mov r15, rdx
	mov rdx, rax
	shr rdx, 32
	mov ecx, MSR_FS_BASE
	wrmsr
	mov rdx, r15
	jmp .fs_base_loaded


align 16
; SYS_YIELD when schedule() would run a thread that a fastpath parked: one
; at our priority or above (the head of the highest ready queue, which is
; never us). fastpath_yield's work (ipc/fastpath.c) in asm: a yield keeps
; every register but rax, rcx and r11, so the whole user context goes into
; our frame; we go to the back of our run queue with slice 0, the other
; thread leaves its queue and returns from its syscall with its
; wake_result through its full frame. Anything else (a thread not parked
; by a fastpath, another I/O bitmap) goes to syscall_full, whose C
; fastpath or the general path has the same semantics.
fastpath_yield_entry:
	SAVE_PARTIAL
	mov rbx, [gs:PERCPU_CURRENT]
	mov eax, [runq_bitmap]
	movzx ecx, byte [rbx + T_PRIO]
	mov r15d, eax
	shr r15d, cl
	jz yield_slow                   ; nobody at our level or above: we run on
	bsr eax, eax                    ; the highest ready priority; rbp its head
	mov ecx, eax
	shl ecx, 4
	mov rbp, [runq + rcx]
	CHECK_CONTEXT yield_slow
	mov rcx, [rbp + T_SAVED_RSP]    ; parked: a switch frame just under its frame
	mov r11, [rbp + T_TF]           ; that returns to fastpath_parked
	sub r11, rcx
	cmp r11, PARK_FRAME_BYTES
	jne yield_slow
	cmp qword [rcx + PARK_FRAME_BYTES - 8], fastpath_parked
	jne yield_slow
	; The point of no return: the rest of our registers into the frame.
	mov [rsp + TF_RDI], rdi
	mov [rsp + TF_RSI], rsi
	mov [rsp + TF_RDX], rdx
	mov [rsp + TF_R8], r8
	mov [rsp + TF_R9], r9
	mov [rsp + TF_R10], r10
	mov [rsp + TF_R12], r12
	mov [rsp + TF_R13], r13
	mov [rsp + TF_R14], r14
	; wait_queue_pop(&runq[eax]): rbp is its head
	mov ecx, eax
	shl ecx, 4
	lea r15, [runq + rcx]
	mov rcx, [rbp + T_NEXT]
	mov [r15], rcx
	test rcx, rcx
	jz .emptied
	mov qword [rcx + T_PREV], 0
	jmp .popped
.emptied:
	mov [r15 + 8], rcx              ; tail = NULL, and the queue's bit goes
	btr [runq_bitmap], eax
.popped:
	xor ecx, ecx
	mov [rbp + T_NEXT], rcx
	mov [rbp + T_WQ], rcx
	; SYS_YIELD_handler: slice 0, then sched_ready(us): the tail of our queue
	mov byte [rbx + T_SLICE], 0
	mov [rbx + T_WAKE_RESULT], rcx  ; E_OK, when we run again
	mov byte [rbx + T_STATE], T_READY
	movzx eax, byte [rbx + T_PRIO]
	bts [runq_bitmap], eax
	shl eax, 4
	lea r15, [runq + rax]
	QUEUE_PUSH rbx, r15, rcx
	mov rcx, [rbp + T_PROC]
	SWITCH_TO_RBP
	jne .load_fs_base
.fs_base_loaded:
	mov rsp, [rbp + T_TF]           ; its syscall returns its wake_result
	mov rax, [rbp + T_WAKE_RESULT]
	mov [rsp + TF_RAX], rax
	jmp trap_sysret
.load_fs_base:                          ; rax = its FS base
	mov [gs:PERCPU_FS_BASE], rax
	mov rdx, rax
	shr rdx, 32
	mov ecx, MSR_FS_BASE
	wrmsr
	jmp .fs_base_loaded

; The cases not taken, with every register as it came from ring 3.
yield_slow:
	RESTORE_PARTIAL
	mov eax, SYS_YIELD
	jmp syscall_full
call_slow:
	RESTORE_PARTIAL
	mov eax, SYS_CALL
	jmp syscall_general
call_c:
	RESTORE_PARTIAL
	mov eax, SYS_CALL
	jmp syscall_full
reply_recv_slow:
	RESTORE_PARTIAL
	mov eax, SYS_REPLY_RECV
	jmp syscall_general
reply_recv_c:
	RESTORE_PARTIAL
	mov eax, SYS_REPLY_RECV
	jmp syscall_full

section .rodata
align 8
zero_from:
	dq switch_to_partner.zero0, switch_to_partner.zero1, switch_to_partner.zero2
	dq switch_to_partner.zero3, switch_to_partner.zero4, switch_to_partner.zero5
	dq switch_to_partner.zero6
