; Does not assemble.
section .text
global _start
_start:
	mov rax, 
	frobnicate rbx
