/* 32-bit protected mode with PAE paging. */
#include "guest.h"
	.code32
	.text
	GUEST_HEADER MODE_PAE, start, pdpt
start:
	call setup32
	mov $hello, %esi
	call puts
	mov %cr0, %eax
	test $0x80000000, %eax
	ASSERT nz, "mode: CR0.PG clear"
	mov %cr4, %eax
	test $0x20, %eax
	ASSERT nz, "mode: CR4.PAE clear"
	mov $MSR_EFER, %ecx
	rdmsr
	test $0x400, %eax
	ASSERT z, "mode: EFER.LMA set in a PAE guest"
	call common_tests
	jmp pass

hello:	.asciz "32-bit protected mode, PAE paging\n"
#include "lib32.S"
#include "common.S"
	.balign 4096
pd:
	.quad pt + 3
	.fill 511, 8, 0
pt:
	SCATTER_PT 8
	.fill 256, 8, 0
pdpt:				/* 32-byte aligned; PDPTEs have no R/W bit */
	.quad pd + 1
	.quad 0, 0, 0
image_end:
