/*
 * Shared definitions for the freestanding test guests: the image header the
 * core's test mode (hv/testmode.c) reads, the test-port protocol and the
 * guest memory layout. See README.md for the protocol.
 */
#ifndef TESTS_GUESTS_GUEST_H
#define TESTS_GUESTS_GUEST_H

#define GUEST_MAGIC		0x54534754	/* "TGST" */
#define GUEST_VERSION		1
#define GUEST_HEADER_SIZE	56

#define MODE_REAL		0
#define MODE_PM32		1
#define MODE_PM32_PAGING	2
#define MODE_PAE		3
#define MODE_LONG64		4

/* Test ports. */
#define GP_RESULT	0xE0	/* outl: 0 = PASS, else FAIL code; ends the guest */
#define GP_EVENT	0xE1	/* outl: (type << 8) | vector */
#define GP_SEQ_IN	0xE2	/* inb: next byte of the known sequence */
#define GP_SUM_OUT	0xE3	/* outb: bytes the harness checksums */
#define GP_SUM		0xE4	/* inl: checksum; out: resets sequence and checksum */
#define GP_COUNT	0xE5	/* inl: bytes received on GP_SUM_OUT since reset */
#define GP_EXPECT	0xE6	/* outl: what the next exit must be */
#define GP_EXPECT_GPA	0xE7	/* outl: GPA for EXPECT_MMIO (low 32 bits) */
#define GP_CONSOLE	0xE9	/* outb: console byte */

#define EVENT_EXTINT		1	/* vcpu_queue_interrupt(vector) */
#define EVENT_EXCEPTION		2	/* vcpu_inject_exception(vector) */

#define EXPECT_SHUTDOWN		1
#define EXPECT_MMIO		2
#define EXPECT_SPIN		3

/* Layout shared by all guests (all below 1 MiB of guest RAM). */
#define GUEST_LOAD	0x8000		/* images are linked and loaded here */
#define GUEST_STACK	0x7ff0
#define GUEST_IDT	0x4000		/* built at run time by the guest */
#define GUEST_RAM	0x100000	/* 1 MiB */
/* String I/O buffer: 5000 bytes from 0x1f9c touch linear pages 1, 2 and 3.
 * Paging guests map those pages to scattered frames (5, 3, 6) so that an
 * implementation copying linear ranges as if physically contiguous fails. */
#define STRIO_BUF	0x1f9c
#define STRIO_LEN	5000
#define STRIO_SHORT	32		/* a short transfer across one boundary */
#define STRIO_SHORT_BUF	0x1ff0

#define SCRATCH_PAGE	0x20000		/* a free page of RAM */
#define EXTINT_VECTOR	0x40
#define UNKNOWN_MSR	0xc0de0001
#define MSR_SYSENTER_CS	0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_EFER	0xc0000080
#define KVM_HC_VAPIC_POLL_IRQ 1
#define KVM_ENOSYS	1000

#ifdef __ASSEMBLER__
/* The header, first in every image; `image_start`/`image_end` bracket it. */
.macro GUEST_HEADER mode, entry, cr3
image_start:
	.long GUEST_MAGIC
	.word GUEST_VERSION, \mode
	.long GUEST_HEADER_SIZE
	.long image_end - image_start
	.quad image_start
	.quad \entry
	.quad \cr3
	.quad GUEST_RAM
	.quad GUEST_STACK
.endm

/* A page table for the low 1 MiB: identity, except linear pages 1, 2, 3 ->
 * frames 5, 3, 6 (the string I/O buffer's pages). @entsize is 4 or 8. */
.macro SCATTER_PT entsize
	.set pn, 0
	.rept 256
	.if pn == 1
	.set fr, 5
	.elseif pn == 2
	.set fr, 3
	.elseif pn == 3
	.set fr, 6
	.else
	.set fr, pn
	.endif
	.if \entsize == 4
	.long (fr << 12) | 3
	.else
	.quad (fr << 12) | 3
	.endif
	.set pn, pn + 1
	.endr
.endm

/* Fails the guest with @msg unless condition code @cc holds. */
.macro ASSERT cc, msg
	j\cc .Lok\@
	mov $.Lmsg\@, %esi
	jmp fail
.Lmsg\@:
	.asciz "\msg"
.Lok\@:
.endm

/* Tells the harness what the next exit must be. */
.macro EXPECT kind
	mov $\kind, %eax
	out %eax, $GP_EXPECT
.endm
#endif

#endif
