/*
 * Process entry. The core starts the main thread at the ELF entry with the
 * System V initial stack (rsp -> argc, argv[], NULL, envp[], NULL, auxv) and
 * no return address; __tern_start gets that pointer and never returns.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* outermost frame for backtraces */
	mov	%rsp, %rdi
	and	$-16, %rsp		/* the C ABI wants 16-byte alignment at a call */
	call	__tern_start
	ud2
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
