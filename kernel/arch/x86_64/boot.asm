; SPDX-License-Identifier: MIT
;
; Multiboot2 header and the 32-bit entry point. GRUB jumps to _start in
; protected mode with paging off. We check for long mode, build a temporary
; set of page tables (the first 4 GiB identity-mapped, at the direct-map base
; and, for the kernel image, at -2 GiB), enable PAE, long mode, NX and paging,
; and jump to kmain() in the higher half. kmain() replaces these tables.

%define KERNEL_VMA   0xFFFFFFFF80000000
%define PHYS(x)      ((x) - KERNEL_VMA)
%define MB2_MAGIC    0xE85250D6
%define MB2_ARCH     0

%define CR0_PG       (1 << 31)
%define CR0_WP       (1 << 16)
%define CR4_PAE      (1 << 5)
%define EFER_MSR     0xC0000080
%define EFER_LME     (1 << 8)
%define EFER_NXE     (1 << 11)
%define PTE_P        1
%define PTE_W        2
%define PTE_PS       0x80

extern kmain


section .multiboot
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH
	dd mb2_header_end - mb2_header
	dd 0x100000000 - (MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
align 8
	dw 3, 0                 ; entry address tag: GRUB enters at the physical _start
	dd 12
	dd PHYS(_start)
align 8
	dw 5, 1                 ; framebuffer tag (optional): 1024x768x32
	dd 20
	dd 1024, 768, 32
align 8
	dw 6, 0                 ; module alignment tag: modules start on page boundaries
	dd 8
align 8
	dw 0, 0                 ; end tag
	dd 8
mb2_header_end:

section .text.boot
bits 32
global _start
_start:
	cli
	cld
	mov edi, eax                    ; multiboot2 magic, kept for kmain
	mov esi, ebx                    ; physical address of the boot information
	mov esp, PHYS(boot_stack_top)

	mov eax, 0x80000000             ; long mode available?
	cpuid
	cmp eax, 0x80000001
	jb no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz no_long_mode
	mov ebp, edx                    ; keep feature bits: NX is bit 20

	call build_boot_tables

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, PHYS(boot_pml4)
	mov cr3, eax

	mov ecx, EFER_MSR
	rdmsr
	or eax, EFER_LME
	test ebp, 1 << 20
	jz .no_nx
	or eax, EFER_NXE
.no_nx:
	wrmsr

	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax

	lgdt [PHYS(boot_gdt_ptr)]
	jmp 0x08:PHYS(long_mode_entry)

; Zero the boot tables, then map 0..4 GiB with 2 MiB pages through four page
; directories shared by three windows: identity (PML4 slot 0), the direct map
; (slot 256) and the kernel image at -2 GiB (slot 511, PDPT slots 510-511).
build_boot_tables:
	mov edx, edi                    ; rep stosd clobbers edi
	mov edi, PHYS(boot_pml4)
	mov ecx, (boot_tables_end - boot_pml4) / 4
	xor eax, eax
	rep stosd
	mov edi, edx

	xor ecx, ecx
.map_2m:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov [PHYS(boot_pd) + ecx * 8], eax
	mov eax, ecx
	shr eax, 11                     ; bits 32+ of (ecx << 21)
	mov [PHYS(boot_pd) + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 4 * 512
	jb .map_2m

	xor ecx, ecx
.map_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, PHYS(boot_pd) + (PTE_P | PTE_W)
	mov [PHYS(boot_pdpt_low) + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .map_pdpt

	mov dword [PHYS(boot_pdpt_high) + 510 * 8], PHYS(boot_pd) + (PTE_P | PTE_W)
	mov dword [PHYS(boot_pdpt_high) + 511 * 8], PHYS(boot_pd) + 4096 + (PTE_P | PTE_W)
	mov dword [PHYS(boot_pml4)], PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
	mov dword [PHYS(boot_pml4) + 256 * 8], PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
	mov dword [PHYS(boot_pml4) + 511 * 8], PHYS(boot_pdpt_high) + (PTE_P | PTE_W)
	ret

; No long mode: say so on COM1 and stop.
no_long_mode:
	mov esi, PHYS(no_lm_msg)
.next:
	lodsb
	test al, al
	jz .halt
	mov dx, 0x3F8
	out dx, al
	jmp .next
.halt:
	hlt
	jmp .halt

bits 64
long_mode_entry:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rax, higher_half
	jmp rax

higher_half:
	mov rsp, boot_stack_top
	xor ebp, ebp
	; edi = magic, esi = physical boot info address (zero-extended)
	mov esi, esi
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .rodata
no_lm_msg: db "boot: this CPU has no long mode; cannot start", 13, 10, 0

align 8
boot_gdt:
	dq 0
	dq 0x00AF9A000000FFFF           ; 64-bit code
	dq 0x00CF92000000FFFF           ; data
boot_gdt_end:
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd PHYS(boot_gdt)

section .bss.pagetables nobits alloc write align=4096
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pd:        resb 4 * 4096
boot_tables_end:

; Kernel stacks of the boot CPU, each with an unmapped guard page below it
; (paging_init leaves the guard pages out of the kernel map), so an overflow
; faults instead of overwriting its neighbour. Double fault, NMI and machine
; check run on their own IST stacks so they work even on a broken stack.
section .bss.kstacks nobits alloc write align=4096
global boot_stack_guard, boot_stack_top
global ist_df_guard, ist_df_top, ist_nmi_guard, ist_nmi_top, ist_mc_guard, ist_mc_top
boot_stack_guard: resb 4096
	resb 16384
boot_stack_top:
ist_df_guard:     resb 4096
	resb 8192
ist_df_top:
ist_nmi_guard:    resb 4096
	resb 8192
ist_nmi_top:
ist_mc_guard:     resb 4096
	resb 8192
ist_mc_top:
