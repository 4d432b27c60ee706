/* 32-bit protected mode with 2-level paging (4 KiB pages). */
#include "guest.h"
	.code32
	.text
	GUEST_HEADER MODE_PM32_PAGING, start, pd
start:
	call setup32
	mov $hello, %esi
	call puts
	mov %cr0, %eax
	test $0x80000000, %eax
	ASSERT nz, "mode: CR0.PG clear"
	mov %cr4, %eax
	test $0x20, %eax
	ASSERT z, "mode: CR4.PAE set in a 2-level paging guest"
	call common_tests
	jmp pass

hello:	.asciz "32-bit protected mode, 2-level paging\n"
#include "lib32.S"
#include "common.S"
#include "pt32.S"
image_end:
