; Spins forever.
section .text
global _start
_start:
	inc rax
	jmp _start
