; SPDX-License-Identifier: MIT
;
; SYSCALL entry and exit. The entry builds the same struct trap_frame that
; interrupts build (arch/trap.h), with vector VEC_SYSCALL, so a thread that
; blocks in a syscall and one preempted by an interrupt look alike on their
; kernel stacks. The exit returns with SYSRETQ when the frame holds a
; canonical user RIP, and with IRETQ otherwise (for example a new thread).
;
; The entry jumps through syscall_entry_table (core/syscall.c): one
; indirect jump per number, so no syscall pays for the tests of another.
; SYS_CALL and SYS_REPLY_RECV go to the asm fastpath (fastpath.asm) before
; any frame is built, unless `fastpath=off` pointed them at syscall_full. What it does not take comes back to syscall_general,
; or to syscall_full for the switches only the C fastpath can do (an I/O
; bitmap to reload). syscall_full tries the C fastpath of the syscall if
; it has one (syscall_fast_table, ipc/fastpath.c: call, reply_recv, yield,
; wait): it returns the trap_frame of the thread to run, and we
; return to ring 3 on that frame at once; the current thread is parked
; under its own frame with a switch frame that resumes in fastpath_parked.
; NULL means the general path.
;
; Light syscalls (SYS_NULL, SYS_CLOCK: numbers below SYSCALL_LIGHT_COUNT with
; an entry in syscall_light_table, kernel/core/syscall.c) build no trap_frame:
; with interrupts off (FMASK) and no way to block or switch, the entry keeps
; only what a C function may clobber, calls the handler and returns. Every
; register but rax, rcx and r11 comes back as it went in, as on the full path.
; Its pushes go below the trap_frame's place, so the frame of a thread the
; fastpath parks keeps its CS and SS slots.
; RCX is the RIP after SYSCALL, canonical since user space ends a page below
; 2^47, so SYSRETQ is safe.

%include "trapframe.inc"

extern syscall_table, syscall_light_table, syscall_fast_table, schedule, fastpath_resumed
extern syscall_entry_table
global syscall_entry, trap_return, trap_sysret, fastpath_parked, syscall_full, syscall_general
global syscall_light

%define PERCPU_KERNEL_RSP 0
%define PERCPU_USER_RSP   8
%define VEC_SYSCALL       0x100
%define SEL_UCODE         0x23
%define SEL_UDATA         0x1B
%define SYS_COUNT         49    ; sys/syscall.h (core/syscall.c checks both)
%define E_NOSYS           -10
%define PERCPU_NEED_RESCHED 32
%define TF_RAX            (14 * 8)
%define TF_SIZE           (22 * 8)

; The trap_frame of a syscall; rdi = the frame, rbp = 0 (end of the kernel backtrace).
%macro PUSH_SYSCALL_FRAME 0
	push SEL_UDATA                  ; ss
	push qword [gs:PERCPU_USER_RSP] ; rsp
	push r11                        ; rflags
	push SEL_UCODE                  ; cs
	push rcx                        ; rip
	push 0                          ; error
	push VEC_SYSCALL                ; vector
	PUSH_GPRS
	mov rdi, rsp
	xor ebp, ebp
%endmacro

section .text
align 16
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	cmp rax, SYS_COUNT
	jae syscall_full
	jmp [syscall_entry_table + rax * 8]
syscall_full:
	PUSH_SYSCALL_FRAME
	cmp rax, SYS_COUNT
	jae syscall_general.nosys
	mov rcx, [syscall_fast_table + rax * 8]
	test rcx, rcx
	jz syscall_general.slow
	call rcx
	test rax, rax
	jnz fast_switch
	mov rdi, rsp
	jmp syscall_general.slow
; The general path: the handler from syscall_table (core/syscall.c) gets
; the frame and returns rax; then the thread gives way if a higher priority
; became ready. A C fastpath may have clobbered rax, so it is read again.
syscall_general:
	PUSH_SYSCALL_FRAME
.slow:
	mov rax, [rsp + TF_RAX]
	cmp rax, SYS_COUNT
	jae .nosys
	call [syscall_table + rax * 8]
.result:
	mov [rsp + TF_RAX], rax
	cmp byte [gs:PERCPU_NEED_RESCHED], 0
	je trap_return
	call schedule
	jmp trap_return
.nosys:
	mov rax, E_NOSYS
	jmp .result

; Return to the ring-3 context saved in the trap_frame at rsp.
%define TF_RIP (17 * 8)
%define TF_CS  (18 * 8)
%macro POP_FRAME 0
	POP_GPRS
	add rsp, 16                     ; vector and error
%endmacro

trap_return:
	cli
	; SYSRET needs a canonical user RIP (else it faults in ring 0) and user CS.
	mov rcx, [rsp + TF_RIP]
	shr rcx, 47
	jnz trap_iret
	cmp qword [rsp + TF_CS], SEL_UCODE
	jne trap_iret
; The frame of a thread that entered by SYSCALL (fastpath.asm comes here too).
trap_sysret:
	POP_FRAME
	mov rcx, [rsp]                  ; rip
	mov r11, [rsp + 16]             ; rflags
	mov rsp, [rsp + 24]             ; user rsp
	swapgs
	o64 sysret
trap_iret:
	POP_FRAME
	swapgs
	iretq

; A light syscall (see the top): rax < SYSCALL_LIGHT_COUNT, with a handler.
syscall_light:
	sub rsp, TF_SIZE
	push rdi
	push rsi
	push rdx
	push r8
	push r9
	push r10
	push rcx
	push r11
	call [syscall_light_table + rax * 8]
	pop r11
	pop rcx
	pop r10
	pop r9
	pop r8
	pop rdx
	pop rsi
	pop rdi
	mov rsp, [gs:PERCPU_USER_RSP]
	swapgs
	o64 sysret

; A C fastpath's end: rax is the frame of the thread to resume, that of a
; thread blocked in a syscall (or parked by a fastpath), or our own when the
; syscall finished without a switch (its rax set): built by
; syscall_entry, so its CS is user code and its RIP came from RCX at
; SYSCALL, canonical (user space ends a page below 2^47), and no syscall
; rewrites another thread's RIP. So it returns with SYSRETQ at once.
fast_switch:
	lea rcx, [rel fastpath_parked]  ; the switch frame's return address
	mov [rsp - 8], rcx
	mov rsp, rax
	jmp trap_sysret

; A parked thread resumed by context_switch: rsp is its trap_frame again.
fastpath_parked:
	xor ebp, ebp
	call fastpath_resumed           ; rax = its wake_result
	jmp trap_return
