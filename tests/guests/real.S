/* Real mode: the common tests with the interrupt vector table at 0. */
#include "guest.h"
	.code16
	.text
	GUEST_HEADER MODE_REAL, start, 0
start:
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $GUEST_STACK, %esp
	mov $hello, %esi
	call puts
	mov %cr0, %eax
	test $1, %eax
	ASSERT z, "mode: CR0.PE set in a real-mode guest"
	/* IVT entry i -> 0000:stub_i. */
	xor %edi, %edi
	mov $isr_stubs, %eax
	mov $256, %ecx
1:	movl %eax, (%edi)
	add $16, %eax
	add $4, %edi
	dec %ecx
	jnz 1b
	lidt ivt_desc
	call common_tests
	jmp pass

ivt_desc:
	.word 0x3ff
	.long 0

	.balign 16
isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	pushw $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

/* Frame: 8 GPRs (pushal, 32 bytes), vector, IP, CS, FLAGS; never an error code. */
isr_common:
	pushal
	mov %sp, %bp
	movzwl 32(%bp), %eax
	call handle_vector
	test %ebx, %ebx
	jz 1f
	mov %bx, 34(%bp)
1:	popal
	add $2, %sp
	iret

hello:	.asciz "real mode\n"
#include "common.S"
image_end:
