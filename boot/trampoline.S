/*
 * Start-up code of the application processors. The boot CPU copies it to
 * TRAMPOLINE_PA and sends INIT-SIPI-SIPI; the AP starts here in real mode at
 * CS:IP = (TRAMPOLINE_PA >> 4):0, switches to protected mode, enables paging
 * with long mode on the boot page tables (whose identity map keeps this code
 * reachable), and calls the entry point in the higher half on its own stack.
 *
 * The code runs at TRAMPOLINE_PA, not where it is linked, so every address is
 * written as T(label).
 */
#include "boot/trampoline.h"

#define T(sym)		(TRAMPOLINE_PA + (sym) - trampoline_start)

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_NW		(1 << 29)
#define CR0_CD		(1 << 30)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_PGE		(1 << 7)
#define MSR_EFER	0xC0000080

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18

	.section .rodata.trampoline, "a"
	.balign 16
	.globl trampoline_start
	.code16
trampoline_start:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	T(tramp_gdt_ptr)
	/* After INIT the caches are disabled (CD, NW): turn them on with PE. */
	movl	%cr0, %eax
	andl	$~(CR0_CD | CR0_NW), %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $T(tramp_pm32)

	.code32
tramp_pm32:
	movw	$SEL_DATA, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$(CR4_PAE | CR4_PGE), %eax
	movl	%eax, %cr4
	movl	T(trampoline_params + TP_CR3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	movl	T(trampoline_params + TP_EFER), %eax
	xorl	%edx, %edx
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE64, $T(tramp_lm64)

	.code64
tramp_lm64:
	xorl	%eax, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movq	T(trampoline_params + TP_STACK), %rsp
	movq	T(trampoline_params + TP_PERCPU), %rdi
	movq	T(trampoline_params + TP_ENTRY), %rax
	xorl	%ebp, %ebp
	call	*%rax
1:	cli
	hlt
	jmp	1b

	.balign 8
tramp_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_ptr:
	.short	tramp_gdt_end - tramp_gdt - 1
	.long	T(tramp_gdt)

	.balign 8
	.globl trampoline_params
trampoline_params:
	.skip	TP_SIZE
	.globl trampoline_end
trampoline_end:
