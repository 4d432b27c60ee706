/*
 * VM entry and the VM-exit landing point. The guest's GPRs other than RSP
 * live in struct vcpu_regs (RSP, RIP and RFLAGS are VMCS fields); the host's
 * callee-saved registers and the vcpu_regs pointer stay on the host stack,
 * whose address is HOST_RSP.
 */
#define REGS_RAX	0
#define REGS_RBX	8
#define REGS_RCX	16
#define REGS_RDX	24
#define REGS_RSI	32
#define REGS_RDI	40
#define REGS_RBP	56
#define REGS_R8		64
#define REGS_R9		72
#define REGS_R10	80
#define REGS_R11	88
#define REGS_R12	96
#define REGS_R13	104
#define REGS_R14	112
#define REGS_R15	120

#define VMCS_HOST_RSP	0x6c14

	.text
/* int vmx_enter(struct vcpu_regs *regs, bool launched, uint64_t *host_rsp) */
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi			/* the exit stub finds regs at (%rsp) */

	/* HOST_RSP only changes when the caller's stack depth does. */
	cmp	%rsp, (%rdx)
	je	1f
	mov	%rsp, (%rdx)
	mov	$VMCS_HOST_RSP, %eax
	vmwrite	%rsp, %rax
1:
	test	%sil, %sil		/* MOVs below leave ZF alone */
	mov	REGS_RAX(%rdi), %rax
	mov	REGS_RBX(%rdi), %rbx
	mov	REGS_RCX(%rdi), %rcx
	mov	REGS_RDX(%rdi), %rdx
	mov	REGS_RSI(%rdi), %rsi
	mov	REGS_RBP(%rdi), %rbp
	mov	REGS_R8(%rdi), %r8
	mov	REGS_R9(%rdi), %r9
	mov	REGS_R10(%rdi), %r10
	mov	REGS_R11(%rdi), %r11
	mov	REGS_R12(%rdi), %r12
	mov	REGS_R13(%rdi), %r13
	mov	REGS_R14(%rdi), %r14
	mov	REGS_R15(%rdi), %r15
	mov	REGS_RDI(%rdi), %rdi
	jz	2f
	vmresume
	jmp	3f
2:	vmlaunch
3:	/* Still here: the entry failed (CF = VMfailInvalid, ZF = VMfailValid). */
	mov	$1, %eax
	jc	4f
	mov	$2, %eax
4:	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
	.size vmx_enter, . - vmx_enter

/* HOST_RIP: RSP is HOST_RSP, interrupts are off, RFLAGS is 2. */
	.globl vmx_exit_stub
	.type vmx_exit_stub, @function
vmx_exit_stub:
	push	%rdi
	mov	8(%rsp), %rdi
	mov	%rax, REGS_RAX(%rdi)
	mov	%rbx, REGS_RBX(%rdi)
	mov	%rcx, REGS_RCX(%rdi)
	mov	%rdx, REGS_RDX(%rdi)
	mov	%rsi, REGS_RSI(%rdi)
	mov	%rbp, REGS_RBP(%rdi)
	mov	%r8, REGS_R8(%rdi)
	mov	%r9, REGS_R9(%rdi)
	mov	%r10, REGS_R10(%rdi)
	mov	%r11, REGS_R11(%rdi)
	mov	%r12, REGS_R12(%rdi)
	mov	%r13, REGS_R13(%rdi)
	mov	%r14, REGS_R14(%rdi)
	mov	%r15, REGS_R15(%rdi)
	popq	REGS_RDI(%rdi)
	add	$8, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	xor	%eax, %eax
	ret
	.size vmx_exit_stub, . - vmx_exit_stub
