/* 32-bit protected-mode support: GDT, IDT with one stub per vector. */
#include "gdt.S"

/* Loads the guest's own GDT and IDT and reloads every segment register. */
setup32:
	lgdt gdt_desc
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	/* Interrupt gates: offset 15..0, selector 0x08, type 0x8e00, offset 31..16. */
	mov $GUEST_IDT, %edi
	mov $isr_stubs, %eax
	mov $256, %ecx
2:	mov %eax, %edx
	and $0xffff, %edx
	or $0x00080000, %edx
	mov %edx, (%edi)
	mov %eax, %edx
	and $0xffff0000, %edx
	or $0x8e00, %edx
	mov %edx, 4(%edi)
	add $16, %eax
	add $8, %edi
	dec %ecx
	jnz 2b
	lidt idt_desc
	ret

idt_desc:
	.word 256 * 8 - 1
	.long GUEST_IDT

	.balign 16
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	pushl $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

/* Frame: 8 GPRs (pusha), vector, [error code], EIP, CS, EFLAGS. */
isr_common:
	pusha
	mov 32(%esp), %eax
	call handle_vector
	mov 32(%esp), %eax
	cmp $8, %eax
	je 1f
	cmp $10, %eax
	jb 2f
	cmp $14, %eax
	jbe 1f
	cmp $17, %eax
	je 1f
2:	test %ebx, %ebx				/* no error code */
	jz 3f
	mov %ebx, 36(%esp)
3:	popa
	add $4, %esp
	iret
1:	test %ebx, %ebx				/* with error code */
	jz 3f
	mov %ebx, 40(%esp)
3:	popa
	add $8, %esp
	iret
