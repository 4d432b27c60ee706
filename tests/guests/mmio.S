/* A write to guest-physical memory that is not RAM, through a page-table
 * mapping (linear 0x3ff010 -> GPA 0xd0000010): the harness expects an MMIO
 * exit with the guest-physical (not linear) address. */
#include "guest.h"
	.code32
	.text
	GUEST_HEADER MODE_PM32_PAGING, start, pd
start:
	call setup32
	mov $hello, %esi
	call puts
	mov $0xd0000010, %eax
	out %eax, $GP_EXPECT_GPA
	EXPECT EXPECT_MMIO
	movl $0x12345678, 0x3ff010
	mov $survived, %esi
	jmp fail

hello:		.asciz "MMIO write to GPA 0xd0000010 next\n"
survived:	.asciz "mmio: resumed after the unmapped access"
#include "lib32.S"
#include "common.S"
#include "pt32.S"
image_end:
