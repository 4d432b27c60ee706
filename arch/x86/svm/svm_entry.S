/*
 * void svm_vmrun(struct vcpu_regs *regs, paddr_t vmcb_pa, paddr_t host_vmcb_pa)
 *
 * VMRUN switches only part of the CPU state: RAX/RSP/RIP/RFLAGS, CR0/3/4,
 * EFER, ES/CS/SS/DS, GDTR/IDTR (host copy in the VM_HSAVE_PA area). FS, GS,
 * TR, LDTR (with their hidden bases), KERNEL_GS_BASE, STAR/LSTAR/CSTAR/SFMASK
 * and SYSENTER_* are left alone, so the host's are VMSAVEd to a per-CPU page,
 * the guest's VMLOADed from its VMCB, and the reverse after the exit.
 *
 * GIF stays clear from before the host VMSAVE until the host VMLOAD: between
 * the #VMEXIT and that VMLOAD the GS base is the guest's, and the core reaches
 * its per-CPU data through GS. STGI comes last so that an interrupt that made
 * the guest exit (EXIT_INTR, held pending by GIF=0) is delivered to the host
 * IDT right there, with all host state back. RFLAGS.IF is not touched: with
 * V_INTR_MASKING the host's IF (saved by VMRUN) decides whether physical
 * interrupts end guest execution.
 */
#define REG_RAX		0
#define REG_RBX		8
#define REG_RCX		16
#define REG_RDX		24
#define REG_RSI		32
#define REG_RDI		40
#define REG_RBP		56
#define REG_R8		64
#define REG_R9		72
#define REG_R10		80
#define REG_R11		88
#define REG_R12		96
#define REG_R13		104
#define REG_R14		112
#define REG_R15		120

	.text
	.globl svm_vmrun
	.type svm_vmrun, @function
svm_vmrun:
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdx			/* 16(%rsp): host VMCB page */
	push	%rsi			/*  8(%rsp): guest VMCB */
	push	%rdi			/*  0(%rsp): regs */

	clgi
	mov	%rdx, %rax
	vmsave				/* host FS/GS/TR/LDTR/syscall MSRs */
	mov	%rsi, %rax
	vmload				/* the guest's */

	mov	REG_RBX(%rdi), %rbx
	mov	REG_RCX(%rdi), %rcx
	mov	REG_RDX(%rdi), %rdx
	mov	REG_RSI(%rdi), %rsi
	mov	REG_RBP(%rdi), %rbp
	mov	REG_R8(%rdi), %r8
	mov	REG_R9(%rdi), %r9
	mov	REG_R10(%rdi), %r10
	mov	REG_R11(%rdi), %r11
	mov	REG_R12(%rdi), %r12
	mov	REG_R13(%rdi), %r13
	mov	REG_R14(%rdi), %r14
	mov	REG_R15(%rdi), %r15
	mov	REG_RDI(%rdi), %rdi

	vmrun				/* RAX = guest VMCB; RAX/RSP come back from HSAVE */
	vmsave				/* guest FS/GS/... into its VMCB */

	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rbx, REG_RBX(%rdi)
	mov	%rcx, REG_RCX(%rdi)
	mov	%rdx, REG_RDX(%rdi)
	mov	%rsi, REG_RSI(%rdi)
	mov	%rbp, REG_RBP(%rdi)
	mov	%r8, REG_R8(%rdi)
	mov	%r9, REG_R9(%rdi)
	mov	%r10, REG_R10(%rdi)
	mov	%r11, REG_R11(%rdi)
	mov	%r12, REG_R12(%rdi)
	mov	%r13, REG_R13(%rdi)
	mov	%r14, REG_R14(%rdi)
	mov	%r15, REG_R15(%rdi)
	popq	REG_RDI(%rdi)

	mov	16(%rsp), %rax
	vmload				/* host GS base is back from here on */
	stgi				/* a pending host interrupt is taken here */

	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size svm_vmrun, . - svm_vmrun

	.section .note.GNU-stack, "", @progbits
