/*
 * First instructions of tern. GRUB leaves us in 32-bit protected mode with
 * paging off, EAX = multiboot2 magic and EBX = physical address of the
 * multiboot2 information. We check for long mode, build page tables that map
 * the first 4 GiB three times (identity, direct map, kernel window), enter
 * long mode and jump to the higher-half C entry.
 */
#include "boot/layout.h"

#define COM1		0x3f8
#define MB2_BOOT_MAGIC	0x36d76289

#define PTE_P		0x1
#define PTE_W		0x2
#define PTE_PS		0x80

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov	$boot_stack32_top, %esp
	mov	%eax, %edi			/* multiboot2 magic */
	mov	%ebx, %esi			/* multiboot2 info (physical) */

	cmp	$MB2_BOOT_MAGIC, %edi
	jne	no_multiboot

	/* Long mode needs CPUID leaf 0x80000001 with LM (EDX bit 29). */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode
	mov	%edx, %ebp			/* keep EDX: bit 20 is NX */

	/* PD entries: 2048 x 2 MiB covering 0..4 GiB. */
	mov	$boot_pd, %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_W | PTE_PS), %eax
	mov	%eax, (%ebx, %ecx, 8)
	mov	%ecx, %eax
	shr	$11, %eax			/* high dword: (i * 2 MiB) >> 32 */
	mov	%eax, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	1b

	/* Low PDPT: four PDs. */
	mov	$boot_pdpt_low, %edi
	mov	$boot_pd, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, 0(%edi)
	add	$4096, %eax
	mov	%eax, 8(%edi)
	add	$4096, %eax
	mov	%eax, 16(%edi)
	add	$4096, %eax
	mov	%eax, 24(%edi)

	/* Kernel PDPT: entry 510 maps -2 GiB onto the first GiB. */
	mov	$boot_pdpt_high, %edi
	mov	$boot_pd, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, 510*8(%edi)

	/* PML4: identity (0), direct map (256), kernel (511). */
	mov	$boot_pml4, %edi
	mov	$boot_pdpt_low, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, 0(%edi)
	mov	%eax, 256*8(%edi)
	mov	$boot_pdpt_high, %eax
	or	$(PTE_P | PTE_W), %eax
	mov	%eax, 511*8(%edi)

	/* PAE + PGE, CR3, EFER.LME (+NXE when present), then paging. */
	mov	%cr4, %eax
	or	$((1 << 5) | (1 << 7)), %eax
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xC0000080, %ecx
	rdmsr
	or	$(1 << 8), %eax
	bt	$20, %ebp
	jnc	2f
	or	$(1 << 11), %eax
2:	wrmsr
	mov	%cr0, %eax
	or	$((1 << 31) | (1 << 16) | 1), %eax	/* PG, WP, PE */
	mov	%eax, %cr0

	mov	%esi, %ebx			/* lgdt/ljmp do not touch ESI/EDI */
	mov	$MB2_BOOT_MAGIC, %edi
	lgdt	boot_gdt_ptr
	ljmp	$0x08, $long_mode_entry

no_multiboot:
	mov	$msg_no_mb2, %esi
	jmp	fatal32
no_long_mode:
	mov	$msg_no_lm, %esi
fatal32:
	/* Print the NUL-terminated string at ESI on COM1 (polled), then halt. */
	mov	$COM1 + 5, %dx
3:	in	%dx, %al
	test	$0x20, %al
	jz	3b
	lodsb
	test	%al, %al
	jz	4f
	mov	$COM1, %dx
	out	%al, %dx
	mov	$COM1 + 5, %dx
	jmp	3b
4:	cli
	hlt
	jmp	4b

	.code64
long_mode_entry:
	xor	%eax, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%ebx, %esi			/* zero-extends: info pointer */
	mov	%edi, %edi			/* zero-extends: magic */
	movabs	$kernel_entry64, %rax
	jmp	*%rax

	.section .boot.data, "a"
	.balign 8
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short	boot_gdt_end - boot_gdt - 1
	.long	boot_gdt

msg_no_mb2:
	.asciz	"tern: not started by a multiboot2 loader; halting.\r\n"
msg_no_lm:
	.asciz	"tern: this CPU has no long mode (x86-64); tern needs a 64-bit CPU. Halting.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4 * 4096
boot_stack32:	.skip 1024
boot_stack32_top:

	/* Higher half from here on. */
	.text
kernel_entry64:
	movabs	$boot_stack_top, %rsp
	xor	%ebp, %ebp
	/* RDI = magic, RSI = info physical address. */
	call	kernel_main
5:	cli
	hlt
	jmp	5b

	.bss
	.balign 16
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:
