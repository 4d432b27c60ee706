/*
 * Switching kernel stacks between threads, and the first code a new thread
 * runs. Only the callee-saved registers need saving: a switch is a function
 * call as far as the C caller is concerned. Everything else a thread owns
 * (FPU, FS base, TSS.rsp0, address space) is switched in C (sched_switch.c).
 */

	.text

/* void switch_stacks(uintptr_t *save_ksp, uintptr_t load_ksp) */
	.globl	switch_stacks
switch_stacks:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* A new kernel thread: switch_stacks returns here with a 16-aligned rsp. */
	.globl	kernel_thread_trampoline
kernel_thread_trampoline:
	call	thread_kernel_start	/* does not return */
	ud2

/* A new user thread: rsp points at its initial trap frame (the stack top). */
	.globl	user_thread_trampoline
user_thread_trampoline:
	call	sched_finish_switch
	call	thread_return_to_user
	jmp	syscall_exit_to_user
