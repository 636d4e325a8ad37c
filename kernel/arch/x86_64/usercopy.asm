; SPDX-License-Identifier: MIT
;
; Copying to and from user memory. The only kernel instructions allowed to
; touch user pages: a page fault on the copy instruction is turned into an
; error return by trap.c (it resumes at copy_user_fixup), and with SMAP the
; access window is opened with STAC and closed with CLAC around the copy.
; Callers check that the whole range lies in user space first.

global arch_copy_user, copy_user_start, copy_user_end, copy_user_fixup
global smap_enabled

section .data
smap_enabled: db 0

section .text
; long arch_copy_user(void *dst, const void *src, size_t n): 0, or -1 on a fault
arch_copy_user:
	mov rcx, rdx
	cmp byte [smap_enabled], 0
	je copy_user_start
	stac
copy_user_start:
	rep movsb
copy_user_end:
	cmp byte [smap_enabled], 0
	je .done
	clac
.done:
	xor eax, eax
	ret
copy_user_fixup:
	cmp byte [smap_enabled], 0
	je .fail
	clac
.fail:
	mov rax, -1
	ret
