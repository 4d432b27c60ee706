/* Long-mode support: GDT, IDT with one stub per vector. */
#include "gdt.S"

/* Loads the guest's own GDT and IDT and reloads every segment register. */
setup64:
	lgdt gdt_desc
	pushq $0x18
	pushq $1f
	lretq
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	/* 16-byte interrupt gates; every stub is below 4 GiB. */
	mov $GUEST_IDT, %edi
	mov $isr_stubs, %eax
	mov $256, %ecx
2:	mov %eax, %edx
	and $0xffff, %edx
	or $0x00180000, %edx
	mov %edx, (%edi)
	mov %eax, %edx
	and $0xffff0000, %edx
	or $0x8e00, %edx
	mov %edx, 4(%edi)
	movq $0, 8(%rdi)
	add $16, %eax
	add $16, %edi
	dec %ecx
	jnz 2b
	lidt idt_desc
	ret

idt_desc:
	.word 256 * 16 - 1
	.quad GUEST_IDT

	.balign 16
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

/* Frame: 6 saved GPRs, vector, [error code], RIP, CS, RFLAGS, RSP, SS. */
isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	mov 48(%rsp), %rax
	call handle_vector
	mov 48(%rsp), %rax
	cmp $8, %eax
	je 1f
	cmp $10, %eax
	jb 2f
	cmp $14, %eax
	jbe 1f
	cmp $17, %eax
	je 1f
2:	test %ebx, %ebx
	jz 3f
	mov %rbx, 56(%rsp)
3:	mov $8, %eax
	jmp 4f
1:	test %ebx, %ebx
	jz 3f
	mov %rbx, 64(%rsp)
3:	mov $16, %eax
4:	mov %rax, 48(%rsp)			/* how much to drop after the pops */
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add (%rsp), %rsp
	iretq
