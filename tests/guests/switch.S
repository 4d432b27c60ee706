/* Starts in real mode and switches itself to protected mode, then to long
 * mode (PAE, EFER.LME, CR0.PG), and runs the common tests there. */
#define GUEST64
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
	mov $msg_real, %esi
	call puts16
	cli
	lgdtl gdt_desc
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $pm32

	.code32
pm32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $msg_pm32, %esi
	call puts32
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $0x100, %eax			/* LME */
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax		/* PG: activates long mode */
	mov %eax, %cr0
	ljmp $0x18, $lm64

puts16:
	.code16
	movb (%si), %al
	test %al, %al
	jz 1f
	out %al, $GP_CONSOLE
	inc %si
	jmp puts16
1:	ret

	.code32
puts32:
	movb (%esi), %al
	test %al, %al
	jz 1f
	out %al, $GP_CONSOLE
	inc %esi
	jmp puts32
1:	ret

	.code64
lm64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %ss
	call setup64
	mov $MSR_EFER, %ecx
	rdmsr
	test $0x400, %eax
	ASSERT nz, "switch: EFER.LMA clear after enabling paging with EFER.LME"
	mov $msg_lm, %esi
	call puts
	call common_tests
	jmp pass

msg_real:	.asciz "real mode: switching to protected mode\n"
msg_pm32:	.asciz "protected mode: switching to long mode\n"
msg_lm:		.asciz "long mode reached\n"
#include "lib64.S"
#include "common.S"
#include "pt64.S"
image_end:
