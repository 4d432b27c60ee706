/* Spins forever with interrupts off: only the core's timer gets the CPU
 * back; the harness ends the guest at its deadline. */
#include "guest.h"
	.code16
	.text
	GUEST_HEADER MODE_REAL, start, 0
start:
	mov $hello, %si
1:	movb (%si), %al
	test %al, %al
	jz 2f
	out %al, $GP_CONSOLE
	inc %si
	jmp 1b
2:	mov $EXPECT_SPIN, %eax
	out %eax, $GP_EXPECT
	cli
	jmp .

hello:	.asciz "spinning with interrupts off\n"
image_end:
