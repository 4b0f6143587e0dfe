; Grows its heap with brk by 8 MiB at a time and touches every page,
; until the kernel stops it.
section .text
global _start
_start:
	mov eax, 12			; brk(0): the current break
	xor edi, edi
	syscall
	mov rbx, rax
.grow:
	lea rdi, [rbx + 8388608]
	mov eax, 12
	syscall
	cmp rax, rdi
	jne .fail
.touch:
	mov byte [rbx], 1
	add rbx, 4096
	cmp rbx, rax
	jb .touch
	jmp .grow
.fail:
	mov eax, 60
	mov edi, 12
	syscall
