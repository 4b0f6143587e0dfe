; Prints 0 whatever it reads: a wrong answer.
section .rodata
zero:	db "0", 10

section .text
global _start
_start:
	mov eax, 1			; write(1, zero, 2)
	mov edi, 1
	lea rsi, [rel zero]
	mov edx, 2
	syscall
	mov eax, 60			; exit(0)
	xor edi, edi
	syscall
