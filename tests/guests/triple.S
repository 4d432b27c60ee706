/* A triple fault: with an empty IDT a #UD cannot be delivered, neither can
 * the #GP nor the #DF that follow, so the CPU shuts down. The harness expects
 * a shutdown exit. */
#include "guest.h"
	.code32
	.text
	GUEST_HEADER MODE_PM32, start, 0
start:
	call setup32
	mov $hello, %esi
	call puts
	lidt empty_idt
	EXPECT EXPECT_SHUTDOWN
	ud2
	mov $survived, %esi
	jmp fail

empty_idt:
	.word 0
	.long 0
hello:		.asciz "triple fault next\n"
survived:	.asciz "triple: still running after a triple fault"
#include "lib32.S"
#include "common.S"
image_end:
