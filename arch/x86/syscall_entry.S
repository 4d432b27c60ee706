/*
 * Ring 3 -> core through `syscall`, and back.
 *
 * The entry builds a struct trap_frame (traps.h) at the top of the thread's
 * kernel stack, in the same layout an interrupt from ring 3 leaves there, so
 * every path that needs the user registers (faults, thread creation, the exit
 * below) sees one format. GS: ring 3 runs with the core's per-CPU pointer in
 * KERNEL_GS_BASE; swapgs is the first instruction in and the last before
 * sysret/iretq out. Interrupts stay off (FMASK) until the stack is the
 * kernel's, and are off again from the handler's return to the exit.
 */
#include "arch/x86/syscall_entry.h"
#include "arch/x86/trap_frame_asm.h"

	.text

/* Switch to the kernel stack and save the ring-3 state as a trap frame. */
.macro syscall_frame cs
	swapgs
	movq	%rsp, %gs:PERCPU_USER_RSP
	movq	%gs:PERCPU_ENTRY_RSP, %rsp
	pushq	$USER_SS
	pushq	%gs:PERCPU_USER_RSP
	pushq	%r11			/* rflags */
	pushq	$\cs
	pushq	%rcx			/* rip */
	pushq	$0			/* error code */
	pushq	$SYSCALL_FRAME_VECTOR
	PUSH_GPRS
	xorl	%ebp, %ebp		/* backtraces end here */
	movq	%rsp, %rbx		/* the frame; callee-saved across the calls below */
.endm

	.globl	syscall_entry
syscall_entry:
	syscall_frame USER_CS
	/* struct syscall_args: rdi, rsi, rdx, r10, r8, r9 (the frame is 16-aligned, so is this). */
	subq	$48, %rsp
	movq	%rdi, 0(%rsp)
	movq	%rsi, 8(%rsp)
	movq	%rdx, 16(%rsp)
	movq	%r10, 24(%rsp)
	movq	%r8, 32(%rsp)
	movq	%r9, 40(%rsp)
	movq	%rax, %rdi
	movq	%rsp, %rsi
	sti
	call	syscall_dispatch
	cli
	movq	%rbx, %rsp
	movq	%rax, TF_RAX(%rsp)
	call	thread_return_to_user
	jmp	syscall_exit_to_user

/*
 * `syscall` from 32-bit compatibility mode (a far jump to the 32-bit user code
 * selector SYSRET's layout needs). tern has no 32-bit ABI: -ENOSYS, returned
 * through iretq to where the program was.
 */
	.globl	syscall_entry_compat
syscall_entry_compat:
	syscall_frame USER_CS32
	movq	$-38, TF_RAX(%rsp)	/* -ENOSYS */
	call	thread_return_to_user
	jmp	syscall_exit_to_user

/*
 * The way out for syscalls and new user threads: rsp points at the trap frame.
 * sysret only to a 64-bit user CS and a canonical user RIP (sysret with a
 * non-canonical RCX faults in ring 0 on Intel CPUs); iretq otherwise.
 */
	.globl	syscall_exit_to_user
syscall_exit_to_user:
	cmpq	$USER_CS, TF_CS(%rsp)
	jne	.Liret
	movq	TF_RIP(%rsp), %rcx
	movq	$SYSRET_RIP_LIMIT, %r11
	cmpq	%r11, %rcx
	jae	.Liret
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	addq	$8, %rsp		/* r11: becomes rflags */
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	addq	$8, %rsp		/* rcx: becomes rip */
	popq	%rbx
	popq	%rax
	/* Now at the vector: rip +16, rflags +32, rsp +40. */
	movq	16(%rsp), %rcx
	movq	32(%rsp), %r11
	movq	40(%rsp), %rsp
	swapgs
	sysretq
.Liret:
	POP_GPRS
	addq	$16, %rsp		/* vector and error code */
	swapgs
	iretq
