/* 64-bit long mode, entered directly. */
#define GUEST64
#include "guest.h"
	.code64
	.text
	GUEST_HEADER MODE_LONG64, start, pml4
start:
	call setup64
	mov $hello, %esi
	call puts
	mov $MSR_EFER, %ecx
	rdmsr
	test $0x400, %eax
	ASSERT nz, "mode: EFER.LMA clear"
	call common_tests
	jmp pass

hello:	.asciz "64-bit long mode\n"
#include "lib64.S"
#include "common.S"
#include "pt64.S"
image_end:
