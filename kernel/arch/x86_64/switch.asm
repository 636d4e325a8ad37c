; SPDX-License-Identifier: MIT
;
; Kernel context switch and the first run of a new thread. A switch saves
; the callee-saved registers on the old thread's kernel stack, stores its
; stack pointer, and resumes the new thread where it last switched away.
; A new thread's stack is built by thread.c so that its first "resume" lands
; in thread_trampoline with the thread's user trap_frame just above.

extern thread_first_run
extern trap_return
global context_switch, thread_trampoline

section .text
; void context_switch(uint64_t *save_rsp, uint64_t new_rsp)
context_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; First instruction of every new user thread, on its own kernel stack.
thread_trampoline:
	call thread_first_run
	jmp trap_return
