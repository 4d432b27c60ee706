/* 32-bit protected mode without paging. */
#include "guest.h"
	.code32
	.text
	GUEST_HEADER MODE_PM32, start, 0
start:
	call setup32
	mov $hello, %esi
	call puts
	mov %cr0, %eax
	test $1, %eax
	ASSERT nz, "mode: CR0.PE clear"
	test $0x80000000, %eax
	ASSERT z, "mode: CR0.PG set in a guest without paging"
	call common_tests
	jmp pass

hello:	.asciz "32-bit protected mode, no paging\n"
#include "lib32.S"
#include "common.S"
image_end:
