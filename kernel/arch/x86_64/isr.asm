; SPDX-License-Identifier: MIT
;
; Interrupt and exception entry stubs for all 256 vectors. Each stub pushes a
; dummy error code where the CPU does not push one, then the vector number,
; and joins isr_common, which saves the general registers into a struct
; trap_frame (arch/trap.h) and calls trap_dispatch(frame), which may return
; the frame of a thread to switch to straight away (see isr_switch). Entries from ring 3
; swap GS so the kernel always sees its own per-CPU base.

%include "trapframe.inc"

extern trap_dispatch, trap_sysret

%macro ISR_NOERR 1
isr_stub_%1:
	push 0
	push %1
	jmp isr_common
%endmacro

%macro ISR_ERR 1
isr_stub_%1:
	push %1
	jmp isr_common
%endmacro

section .text
align 16
isr_common:
	test byte [rsp + 24], 3         ; CS of the interrupted context
	jz .from_kernel
	swapgs
.from_kernel:
	PUSH_GPRS
	mov rdi, rsp
	cld
	call trap_dispatch
	test rax, rax
	jnz isr_switch
; A thread fastpath_preempt parked resumes here too (its switch frame's
; return address, just under its frame), every register as interrupted.
isr_resume:
	POP_GPRS
	test byte [rsp + 24], 3
	jz .to_kernel
	swapgs
.to_kernel:
	add rsp, 16                     ; vector and error code
	iretq

; trap_dispatch returned the frame of a thread to run (fastpath_preempt):
; a syscall frame, so it returns by SYSRETQ; we are parked under ours.
isr_switch:
	lea rcx, [rel isr_resume]
	mov [rsp - 8], rcx
	mov rsp, rax
	jmp trap_sysret

; Vectors that push an error code: 8, 10-14, 17, 21, 29, 30.
%assign v 0
%rep 256
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	ISR_ERR v
%else
	ISR_NOERR v
%endif
%assign v v + 1
%endrep

section .rodata
align 8
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep
