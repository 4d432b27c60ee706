/*
 * The general-register part of struct trap_frame (arch/x86/traps.h), pushed
 * and popped the same way by every entry into the core: exceptions and
 * interrupts (traps.S) and syscalls (syscall_entry.S). Assembly only.
 */
#ifndef ARCH_X86_TRAP_FRAME_ASM_H
#define ARCH_X86_TRAP_FRAME_ASM_H

.macro PUSH_GPRS
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_GPRS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
.endm

#endif
