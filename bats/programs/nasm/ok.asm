; Reads two non-negative integers from stdin, prints their sum.
; Plain Linux system calls: read(0), write(1), exit.
section .bss
inbuf:	resb 4096
outbuf:	resb 32

section .text
global _start

; rsi = cursor into inbuf, rcx = bytes left; returns the next number in rax.
next_number:
	xor eax, eax
.skip:
	test rcx, rcx
	jz .done
	movzx edx, byte [rsi]
	sub edx, '0'
	cmp edx, 9
	jbe .digits
	inc rsi
	dec rcx
	jmp .skip
.digits:
	test rcx, rcx
	jz .done
	movzx edx, byte [rsi]
	sub edx, '0'
	cmp edx, 9
	ja .done
	imul rax, rax, 10
	add rax, rdx
	inc rsi
	dec rcx
	jmp .digits
.done:
	ret

_start:
	xor eax, eax			; read(0, inbuf, 4096)
	xor edi, edi
	lea rsi, [rel inbuf]
	mov edx, 4096
	syscall
	test rax, rax
	jle .fail
	mov rcx, rax
	lea rsi, [rel inbuf]
	call next_number
	mov rbx, rax
	call next_number
	add rax, rbx


	lea rdi, [rel outbuf + 31]	; digits backwards, then a newline
	mov byte [rdi], 10
	mov r8, 1
	mov r9, 10
.conv:
	xor edx, edx
	div r9
	add dl, '0'
	dec rdi
	mov [rdi], dl
	inc r8
	test rax, rax
	jnz .conv

	mov eax, 1			; write(1, rdi, r8)
	mov rsi, rdi
	mov edi, 1
	mov rdx, r8
	syscall
	mov eax, 60			; exit(0)
	xor edi, edi
	syscall
.fail:
	mov eax, 60
	mov edi, 1
	syscall
