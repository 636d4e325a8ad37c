; SPDX-License-Identifier: MIT
;
; The user side of the trap boundary, linked into libsys: the SYSCALL stubs
; and the process entry point. (All asm lives under kernel/arch/x86_64; this
; folder is the part that runs in ring 3.)

global sys_call6, sys_ipc, _start
extern libsys_start

section .text
; long sys_call6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
; C passes nr..a4 in rdi, rsi, rdx, rcx, r8, r9 and a5 on the stack.
sys_call6:
	mov rax, rdi
	mov rdi, rsi
	mov rsi, rdx
	mov rdx, rcx
	mov r10, r8
	mov r8, r9
	mov r9, [rsp + 8]
	syscall
	ret

; long sys_ipc(long nr, struct sys_ipc_regs *r): loads the IPC registers from
; *r, traps, and stores what the kernel returned back into *r.
; Layout of sys_ipc_regs: handle, tag, w[6], cap, timeout (10 x 8 bytes).
sys_ipc:
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rsi                        ; keep the pointer across the trap
	mov rax, rdi
	mov rbx, rsi
	mov rdi, [rbx + 0]
	mov rsi, [rbx + 8]
	mov rdx, [rbx + 16]
	mov r10, [rbx + 24]
	mov r8, [rbx + 32]
	mov r9, [rbx + 40]
	mov r12, [rbx + 48]
	mov r13, [rbx + 56]
	mov r14, [rbx + 64]
	mov r15, [rbx + 72]
	syscall
	pop rbx
	mov [rbx + 0], rdi              ; badge
	mov [rbx + 8], rsi
	mov [rbx + 16], rdx
	mov [rbx + 24], r10
	mov [rbx + 32], r8
	mov [rbx + 40], r9
	mov [rbx + 48], r12
	mov [rbx + 56], r13
	mov [rbx + 64], r14
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	ret

; Process entry: rdi = the start argument. Align the stack, call libsys.
_start:
	xor ebp, ebp
	and rsp, -16
	call libsys_start
	ud2

; uint64_t sys_rdtsc(void): the time-stamp counter (under QEMU -icount
; shift=0 it counts executed guest instructions). LFENCE keeps earlier
; instructions from drifting past the read.
global sys_rdtsc
sys_rdtsc:
	lfence
	rdtsc
	shl rdx, 32
	or rax, rdx
	ret

; void *sys_tls_self(void): the word at fs:0, which libsys sets to the
; address of the thread's own block (see SYS_THREAD_SET_TLS).
global sys_tls_self
sys_tls_self:
	mov rax, [fs:0]
	ret

; void sys_thread_exit_unmap(uintptr_t stack, uint64_t size, uint8_t *slot,
;                            long nr_unmap, long nr_exit)
; The end of a thread_spawn thread (libsys/rt/thread.c): unmap its own stack,
; mark its slot free, exit. After the unmap only registers are used (the
; kernel keeps every register but rax, rcx and r11 across a syscall).
global sys_thread_exit_unmap
sys_thread_exit_unmap:
	mov r12, rdx                    ; slot flag
	mov r13, r8                     ; exit number
	mov rax, rcx                    ; SYS_UNMAP(HANDLE_SELF, stack, size)
	mov rdx, rsi
	mov rsi, rdi
	mov edi, 0xFFFFFFFF
	syscall
	mov byte [r12], 0
	mov rax, r13
	syscall
	ud2

; Port I/O for drivers that were given the ports (SYS_IOPORT_ENABLE); any
; other port raises #GP in ring 3.
global port_in8, port_out8, port_in32, port_out32
port_in8:                               ; uint8_t port_in8(uint16_t port)
	mov edx, edi
	in al, dx
	movzx eax, al
	ret
port_out8:                              ; void port_out8(uint16_t port, uint8_t v)
	mov edx, edi
	mov eax, esi
	out dx, al
	ret
port_in32:                              ; uint32_t port_in32(uint16_t port)
	mov edx, edi
	in eax, dx
	ret
port_out32:                             ; void port_out32(uint16_t port, uint32_t v)
	mov edx, edi
	mov eax, esi
	out dx, eax
	ret
