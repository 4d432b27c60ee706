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
#include "arch/x86/trap_frame_asm.h"

#define TF_VEC_AFTER_GPRS	(15 * 8)	/* 15 registers, then vector, error code, rip, cs */
#define TF_CS_AFTER_GPRS	(18 * 8)
#define TF_RIP			(17 * 8)
#define MSR_GS_BASE_NR		0xC0000101

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
	PUSH_GPRS
	/*
	 * GS base must hold the per-CPU pointer in the core. r12 (saved above,
	 * callee-saved across trap_dispatch) remembers whether this entry
	 * swapped it in, so the exit swaps back exactly then.
	 *
	 * Ordinary vectors decide by the saved CS: from ring 3, GS is the user's.
	 * NMI, #DF, #MC and #DB arrive on IST stacks anywhere, also in the few
	 * instructions of the syscall entry and exit that run in ring 0 with the
	 * user's GS, so the saved CS says nothing there: they read GS base
	 * itself. The core's per-CPU pointers are upper-half addresses, ring 3
	 * cannot make its GS base one (no FSGSBASE, no MSR access).
	 */
	xorl	%r12d, %r12d
	movq	TF_VEC_AFTER_GPRS(%rsp), %rax
	cmpq	$VEC_NMI, %rax
	je	3f
	cmpq	$VEC_DF, %rax
	je	3f
	cmpq	$VEC_MC, %rax
	je	3f
	cmpq	$VEC_DB, %rax
	je	3f
	testb	$3, TF_CS_AFTER_GPRS(%rsp)
	jz	1f
	jmp	4f
3:	movl	$MSR_GS_BASE_NR, %ecx
	rdmsr
	testl	%edx, %edx
	js	1f
4:	swapgs
	movl	$1, %r12d
1:	/* Frame record {rbp, rip} of the interrupted code; 22 + 2 quadwords keep RSP 16-aligned. */
	pushq	TF_RIP(%rsp)
	pushq	%rbp
	movq	%rsp, %rbp
	leaq	16(%rsp), %rdi
	call	trap_dispatch
	addq	$16, %rsp
	testl	%r12d, %r12d
	jz	2f
	swapgs
2:	POP_GPRS
	addq	$16, %rsp		/* vector and error code */
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
