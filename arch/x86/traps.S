/*
 * Entry stubs for all 256 vectors and the common path into C.
 *
 * Each stub makes the stack look the same whatever the vector: it pushes a
 * zero where the CPU pushes no error code, then the vector number. The common
 * path saves every general register into a struct trap_frame (traps.h), links
 * a frame record so backtraces continue into the interrupted code, and calls
 * trap_dispatch(frame). Handlers that return get the (possibly modified)
 * registers back through iretq.
 */
#include "arch/x86/traps.h"

#define TF_CS_BEFORE_GPRS	24	/* vector, error code, rip, then cs */
#define TF_RIP			(17 * 8)

	.text
	.altmacro

/*
 * Exceptions with an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX.
 * A stub is at most 12 bytes (push imm8, push imm32, jmp rel32), so padding each
 * to TRAP_STUB_SIZE puts stub N at trap_stubs + N * TRAP_STUB_SIZE. (gas cannot
 * check that with .if: the jmp is relaxed after .if is evaluated.)
 */
.macro trap_stub vec
	.balign	TRAP_STUB_SIZE
	.if (\vec == 8) || ((\vec >= 10) && (\vec <= 14)) || (\vec == 17) || (\vec == 21) || \
	    (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
.endm

	.balign	TRAP_STUB_SIZE
	.globl	trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	NR_VECTORS
	trap_stub %vec
	.set	vec, vec + 1
	.endr
	.balign	TRAP_STUB_SIZE
	.globl	trap_stubs_end
trap_stubs_end:

trap_common:
	cld
	/*
	 * Coming from ring 3, GS base still holds the user value: swap in the
	 * per-CPU one. (An NMI or #MC landing between a kernel swapgs and the
	 * iretq would see the wrong GS; ring 3 entry code must keep that window
	 * in mind once it exists.)
	 */
	testb	$3, TF_CS_BEFORE_GPRS(%rsp)
	jz	1f
	swapgs
1:	pushq	%rax
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
	/* Frame record {rbp, rip} of the interrupted code; 22 + 2 quadwords keep RSP 16-aligned. */
	pushq	TF_RIP(%rsp)
	pushq	%rbp
	movq	%rsp, %rbp
	leaq	16(%rsp), %rdi
	call	trap_dispatch
	addq	$16, %rsp
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
	testb	$3, TF_CS_BEFORE_GPRS(%rsp)
	jz	2f
	swapgs
2:	addq	$16, %rsp		/* vector and error code */
	iretq

/*
 * bool rdmsr_safe(uint32_t msr, uint64_t *value)
 * trap_dispatch resumes a #GP at rdmsr_safe_insn at rdmsr_safe_fault, so
 * probing an MSR that may not exist costs a return value, not a crash.
 */
	.globl	rdmsr_safe, rdmsr_safe_insn, rdmsr_safe_fault
rdmsr_safe:
	movl	%edi, %ecx
rdmsr_safe_insn:
	rdmsr
	shlq	$32, %rdx
	movl	%eax, %eax
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	movl	$1, %eax
	ret
rdmsr_safe_fault:
	xorl	%eax, %eax
	ret
